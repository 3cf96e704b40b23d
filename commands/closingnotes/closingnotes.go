// Package closingnotes implements `respondctl closing-notes list`.
package closingnotes

import (
	"context"

	"github.com/respondctl/respondctl/apiclient"
	"github.com/respondctl/respondctl/commands/cmdutil"
	"github.com/respondctl/respondctl/inbox"
	"github.com/respondctl/respondctl/output"
	"github.com/spf13/cobra"
)

// ListOptions holds the dependencies of `closing-notes list`.
type ListOptions struct {
	IO        *output.IOStreams
	Output    output.Options
	APIClient func() (*apiclient.Client, error)
	Context   context.Context
}

// NewCmdClosingNotes builds the `closing-notes` noun.
func NewCmdClosingNotes(f *cmdutil.Factory) *cobra.Command {
	cmd := &cobra.Command{Use: "closing-notes <command>", Short: "Closing-note categories for `done`"}
	cmd.AddCommand(NewCmdList(f, nil))
	return cmd
}

// NewCmdList builds `closing-notes list`.
func NewCmdList(f *cmdutil.Factory, runF func(*ListOptions) error) *cobra.Command {
	opts := &ListOptions{}
	return &cobra.Command{
		Use:   "list",
		Short: "List closing-note categories",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			oo, err := f.OutputOptions()
			if err != nil {
				return err
			}
			opts.Output, opts.IO, opts.APIClient, opts.Context = oo, f.IOStreams, f.APIClient, cmd.Context()
			if runF != nil {
				return runF(opts)
			}
			return listRun(opts)
		},
	}
}

func listRun(opts *ListOptions) error {
	ctx := opts.Context
	if ctx == nil {
		ctx = context.Background()
	}
	client, err := opts.APIClient()
	if err != nil {
		return err
	}
	// Collected first (a workspace has few), so an error prints nothing on stdout.
	list, err := inbox.Collect(ctx, client.IterateClosingNotes(0))
	if err != nil {
		return err
	}
	return output.PrintList(opts.IO, opts.Output, output.Spec{Columns: columns}, list)
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
