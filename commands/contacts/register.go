package contacts

import (
	"github.com/respondctl/respondctl/commands/cmdutil"
	"github.com/spf13/cobra"
)

// addDetailCommands adds the verbs that change contacts.
func addDetailCommands(cmd *cobra.Command, f *cmdutil.Factory) {
	cmd.AddCommand(NewCmdCreate(f, nil), NewCmdUpdate(f, nil), NewCmdDelete(f, nil), NewCmdMerge(f, nil),
		NewCmdTag(f, nil), NewCmdUntag(f, nil), NewCmdLifecycle(f, nil), NewCmdUpsert(f, nil))
}
