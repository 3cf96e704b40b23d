package commands

import (
	"github.com/respondctl/respondctl/commands/cmdutil"
	"github.com/spf13/cobra"
)

// sandboxCommands returns `respondctl sandbox …` once commands/sandbox exists.
func sandboxCommands(f *cmdutil.Factory) []*cobra.Command {
	return nil
}
