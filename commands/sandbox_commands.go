package commands

import (
	"github.com/respondctl/respondctl/commands/cmdutil"
	sandboxcmd "github.com/respondctl/respondctl/commands/sandbox"
	"github.com/spf13/cobra"
)

// sandboxCommands returns `respondctl sandbox …` (serve the emulator).
func sandboxCommands(f *cmdutil.Factory) []*cobra.Command {
	return []*cobra.Command{sandboxcmd.NewCmdSandbox(f)}
}
