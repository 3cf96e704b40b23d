package contacts

import (
	"github.com/respondctl/respondctl/commands/cmdutil"
	"github.com/spf13/cobra"
)

// addDetailCommands adds the verbs that change contacts.
func addDetailCommands(cmd *cobra.Command, f *cmdutil.Factory) {
	cmd.AddCommand(NewCmdTag(f, nil), NewCmdUntag(f, nil), NewCmdLifecycle(f, nil), NewCmdUpdate(f, nil))
}
