// Package channels implements `respondctl channels list`.
package channels

import (
	"context"
	"strconv"
	"time"

	"github.com/respondctl/respondctl/apiclient"
	"github.com/respondctl/respondctl/commands/cmdutil"
	"github.com/respondctl/respondctl/inbox"
	"github.com/respondctl/respondctl/output"
	"github.com/spf13/cobra"
)

// ListOptions holds the dependencies of `channels list`.
type ListOptions struct {
	IO        *output.IOStreams
	Output    output.Options
	APIClient func() (*apiclient.Client, error)
	Context   context.Context
}

// ChannelRow is a channel with its creation time in UTC.
type ChannelRow struct {
	ID        int64     `json:"id"`
	Name      string    `json:"name"`
	Source    string    `json:"source"`
	CreatedAt time.Time `json:"createdAt"`
}

// NewCmdChannels builds the `channels` noun.
func NewCmdChannels(f *cmdutil.Factory) *cobra.Command {
	cmd := &cobra.Command{Use: "channels <command>", Short: "Workspace channels"}
	cmd.AddCommand(NewCmdList(f, nil))
	return cmd
}

// NewCmdList builds `channels list`.
func NewCmdList(f *cmdutil.Factory, runF func(*ListOptions) error) *cobra.Command {
	opts := &ListOptions{}
	return &cobra.Command{
		Use:   "list",
		Short: "List the workspace's channels, to pick one for sending",
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
	list, err := inbox.Collect(ctx, client.IterateChannels(0))
	if err != nil {
		return err
	}
	rows := make([]ChannelRow, len(list))
	for i, c := range list {
		rows[i] = newChannelRow(c)
	}
	return output.PrintList(opts.IO, opts.Output, output.Spec{Columns: columns}, rows)
}

var columns = []output.Column{
	output.Col("id", func(c ChannelRow) output.Cell { return output.Text(strconv.FormatInt(c.ID, 10)) }),
	output.Col("name", func(c ChannelRow) output.Cell { return output.Text(c.Name) }),
	output.Col("source", func(c ChannelRow) output.Cell { return output.Text(c.Source) }),
	output.Col("created", func(c ChannelRow) output.Cell { return output.Cell{Time: c.CreatedAt} }),
}

func newChannelRow(c apiclient.Channel) ChannelRow {
	return ChannelRow{ID: c.ID, Name: c.Name, Source: c.Source, CreatedAt: time.Unix(c.CreatedAt, 0).UTC()}
}
