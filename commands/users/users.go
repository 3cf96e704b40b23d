// Package users implements `respondctl users list`.
package users

import (
	"context"
	"strconv"
	"strings"

	"github.com/respondctl/respondctl/apiclient"
	"github.com/respondctl/respondctl/commands/cmdutil"
	"github.com/respondctl/respondctl/inbox"
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
	// Collected first (a workspace has few), so an error prints nothing on stdout.
	list, err := inbox.Collect(ctx, client.IterateUsers(0))
	if err != nil {
		return err
	}
	return output.PrintList(opts.IO, opts.Output, output.Spec{Columns: columns}, list)
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
