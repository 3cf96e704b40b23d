// Package channels implements `respondctl channels list`.
package channels

import (
	"context"
	"strconv"
	"time"

	"github.com/respondctl/respondctl/apiclient"
	"github.com/respondctl/respondctl/commands/cmdutil"
	"github.com/respondctl/respondctl/commands/listcmd"
	"github.com/respondctl/respondctl/inbox"
	"github.com/respondctl/respondctl/output"
	"github.com/spf13/cobra"
)

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
func NewCmdList(f *cmdutil.Factory, runF func(*listcmd.Options) error) *cobra.Command {
	return listcmd.New(f, "List the workspace's channels, to pick one for sending", fetch, output.Spec{Columns: columns}, runF)
}

func fetch(ctx context.Context, client *apiclient.Client) ([]ChannelRow, error) {
	list, err := inbox.Collect(ctx, client.IterateChannels(0))
	if err != nil {
		return nil, err
	}
	rows := make([]ChannelRow, len(list))
	for i, c := range list {
		rows[i] = newChannelRow(c)
	}
	return rows, nil
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
