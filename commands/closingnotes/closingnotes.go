// Package closingnotes implements `respondctl closing-notes list`.
package closingnotes

import (
	"context"

	"github.com/respondctl/respondctl/apiclient"
	"github.com/respondctl/respondctl/commands/cmdutil"
	"github.com/respondctl/respondctl/commands/listcmd"
	"github.com/respondctl/respondctl/inbox"
	"github.com/respondctl/respondctl/output"
	"github.com/spf13/cobra"
)

// NewCmdClosingNotes builds the `closing-notes` noun.
func NewCmdClosingNotes(f *cmdutil.Factory) *cobra.Command {
	cmd := &cobra.Command{Use: "closing-notes <command>", Short: "Closing-note categories for `done`"}
	cmd.AddCommand(NewCmdList(f, nil))
	return cmd
}

// NewCmdList builds `closing-notes list`.
func NewCmdList(f *cmdutil.Factory, runF func(*listcmd.Options) error) *cobra.Command {
	return listcmd.New(f, "List closing-note categories", fetch, output.Spec{Columns: columns}, runF)
}

func fetch(ctx context.Context, client *apiclient.Client) ([]apiclient.ClosingNote, error) {
	return inbox.Collect(ctx, client.IterateClosingNotes(0))
}

var columns = []output.Column{
	output.Col("category", func(n apiclient.ClosingNote) output.Cell { return output.Text(n.Category) }),
	output.Col("description", func(n apiclient.ClosingNote) output.Cell {
		if n.Description == nil {
			return output.Text("")
		}
		return output.Text(*n.Description)
	}),
}
