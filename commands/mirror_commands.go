package commands

import (
	"github.com/respondctl/respondctl/commands/cmdutil"
	"github.com/respondctl/respondctl/commands/listen"
	"github.com/respondctl/respondctl/commands/mirrorcmd"
	"github.com/spf13/cobra"
)

// mirrorCommands returns `respondctl listen` and `respondctl mirror …` (the webhook-fed inbox mirror).
func mirrorCommands(f *cmdutil.Factory) []*cobra.Command {
	return []*cobra.Command{listen.NewCmdListen(f, nil), mirrorcmd.NewCmdMirror(f)}
}
