// Package users implements `respondctl users list`.
package users

import (
	"context"
	"strconv"
	"strings"

	"github.com/respondctl/respondctl/apiclient"
	"github.com/respondctl/respondctl/commands/cmdutil"
	"github.com/respondctl/respondctl/commands/listcmd"
	"github.com/respondctl/respondctl/inbox"
	"github.com/respondctl/respondctl/output"
	"github.com/spf13/cobra"
)

// NewCmdUsers builds the `users` noun.
func NewCmdUsers(f *cmdutil.Factory) *cobra.Command {
	cmd := &cobra.Command{Use: "users <command>", Short: "Workspace users (assignees)"}
	cmd.AddCommand(NewCmdList(f, nil))
	return cmd
}

// NewCmdList builds `users list`.
func NewCmdList(f *cmdutil.Factory, runF func(*listcmd.Options) error) *cobra.Command {
	return listcmd.New(f, "List the workspace's users, to pick assignees", fetch, output.Spec{Columns: columns}, runF)
}

func fetch(ctx context.Context, client *apiclient.Client) ([]apiclient.User, error) {
	return inbox.Collect(ctx, client.IterateUsers(0))
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
