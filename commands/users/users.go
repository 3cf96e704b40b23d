// Package users implements `respondctl users list`.
package users

import (
	"context"
	"strconv"
	"strings"

	"github.com/respondctl/respondctl/apiclient"
	"github.com/respondctl/respondctl/commands/cmdutil"
	"github.com/respondctl/respondctl/output"
	"github.com/spf13/cobra"
)

// ListOptions holds the dependencies of `users list`.
type ListOptions struct {
	IO        *output.IOStreams
	Output    output.Options
	APIClient func() (*apiclient.Client, error)
	Context   context.Context
}

// NewCmdUsers builds the `users` noun.
func NewCmdUsers(f *cmdutil.Factory) *cobra.Command {
	cmd := &cobra.Command{Use: "users <command>", Short: "Workspace users (assignees)"}
	cmd.AddCommand(NewCmdList(f, nil))
	return cmd
}

// NewCmdList builds `users list`.
func NewCmdList(f *cmdutil.Factory, runF func(*ListOptions) error) *cobra.Command {
	opts := &ListOptions{}
	return &cobra.Command{
		Use:   "list",
		Short: "List the workspace's users, to pick assignees",
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
	p, err := output.NewPrinter(opts.IO, opts.Output, output.Spec{Columns: columns})
	if err != nil {
		return err
	}
	var cursor int64
	for {
		page, err := client.ListUsers(ctx, apiclient.PageOptions{Limit: 100, Cursor: cursor})
		if err != nil {
			p.Close()
			return err
		}
		for _, u := range page.Items {
			if err := p.Write(u); err != nil {
				return err
			}
		}
		next, ok := page.NextCursor()
		if !ok || len(page.Items) == 0 || next == cursor {
			break
		}
		cursor = next
	}
	return p.Close()
}

var columns = []output.Column{
	output.Col("id", func(u apiclient.User) output.Cell { return output.Text(strconv.FormatInt(u.ID, 10)) }),
	output.Col("name", func(u apiclient.User) output.Cell {
		return output.Text(strings.TrimSpace(u.FirstName + " " + u.LastName))
	}),
	output.Col("email", func(u apiclient.User) output.Cell { return output.Text(u.Email) }),
	output.Col("role", func(u apiclient.User) output.Cell { return output.Text(u.Role) }),
	output.Col("team", func(u apiclient.User) output.Cell {
		if u.Team == nil {
			return output.Text("")
		}
		return output.Text(u.Team.Name)
	}),
}
