// Package contacts implements `respondctl contacts list|search|show`.
package contacts

import (
	"github.com/respondctl/respondctl/commands/cmdutil"
	"github.com/respondctl/respondctl/inbox"
	"github.com/spf13/cobra"
)

// NewCmdContacts builds the `contacts` noun.
func NewCmdContacts(f *cmdutil.Factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:     "contacts <command>",
		Aliases: []string{"contact"},
		Short:   "List, search, show and change contacts",
	}
	cmd.AddCommand(NewCmdList(f, nil), NewCmdSearch(f, nil), NewCmdShow(f, nil))
	addDetailCommands(cmd, f)
	return cmd
}

// viewError turns an unknown view into a not-found error (exit 5) listing the valid ones.
func viewError(err error) error {
	if inbox.IsUnknownView(err) {
		return cmdutil.NotFoundf("%s", err.Error())
	}
	return err
}
