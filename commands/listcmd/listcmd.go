// Package listcmd builds the `<noun> list` commands of small workspace collections (users,
// channels, closing notes): fetch everything, then print it with the global output options.
package listcmd

import (
	"context"

	"github.com/respondctl/respondctl/apiclient"
	"github.com/respondctl/respondctl/commands/cmdutil"
	"github.com/respondctl/respondctl/output"
	"github.com/spf13/cobra"
)

// Options holds the dependencies of a list command.
type Options struct {
	IO        *output.IOStreams
	Output    output.Options
	APIClient func() (*apiclient.Client, error)
	Context   context.Context
}

// Fetch reads a whole collection. Collections are small, so they are collected before
// printing: an error then leaves stdout empty.
type Fetch[T any] func(ctx context.Context, client *apiclient.Client) ([]T, error)

// New builds `list` for one collection. runF replaces the run function in tests.
func New[T any](f *cmdutil.Factory, short string, fetch Fetch[T], spec output.Spec, runF func(*Options) error) *cobra.Command {
	opts := &Options{}
	return &cobra.Command{
		Use:   "list",
		Short: short,
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
			return Run(opts, fetch, spec)
		},
	}
}

// Run fetches the collection and prints it.
func Run[T any](opts *Options, fetch Fetch[T], spec output.Spec) error {
	ctx := opts.Context
	client, err := opts.APIClient()
	if err != nil {
		return err
	}
	list, err := fetch(ctx, client)
	if err != nil {
		return err
	}
	return output.PrintList(opts.IO, opts.Output, spec, list)
}
