package contacts

import (
	"context"
	"fmt"

	"github.com/respondctl/respondctl/actions"
	"github.com/respondctl/respondctl/commands/bulkcmd"
	"github.com/respondctl/respondctl/commands/cmdutil"
	"github.com/spf13/cobra"
)

// DeleteOptions holds the flags of `contacts delete`.
type DeleteOptions struct {
	Factory *cmdutil.Factory
	Context context.Context
	Idents  []string
	Yes     bool
	Bulk    bulkcmd.Flags
}

// NewCmdDelete builds `contacts delete IDENT… [--yes]`.
func NewCmdDelete(f *cmdutil.Factory, runF func(*DeleteOptions) error) *cobra.Command {
	opts := &DeleteOptions{Factory: f}
	cmd := &cobra.Command{
		Use:   "delete [IDENT…] [--yes]",
		Short: "Delete contacts with their conversations",
		Long: `Delete contacts, with their messages, events, tags and custom fields. This cannot be undone.

One contact on a terminal is confirmed interactively; in scripts pass --yes. Deleting several
contacts (arguments, --input, stdin or --view) always needs --yes; --dry-run lists who would
be deleted. Runs over several contacts are journaled (--resume).`,
		Example: `  respondctl contacts delete 123
  respondctl contacts delete --input spam.txt --yes
  respondctl contacts delete --view Spam --dry-run`,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Context, opts.Idents = cmd.Context(), args
			if opts.Bulk.Resume == "" && !opts.Bulk.DryRun && !opts.Yes {
				single := len(args) == 1 && len(opts.Bulk.Inputs) == 0 && opts.Bulk.View == "" && f.IOStreams.IsStdinTTY()
				switch {
				case len(args) == 1 && len(opts.Bulk.Inputs) == 0 && opts.Bulk.View == "" && !single:
					return cmdutil.FlagErrorf("deleting a contact without a terminal to confirm on needs --yes")
				case !single:
					return cmdutil.FlagErrorf("deleting several contacts needs --yes (try --dry-run first)")
				}
				if err := cmdutil.Confirm(f.IOStreams, fmt.Sprintf("Delete contact %s and its whole conversation?", args[0]), false); err != nil {
					return err
				}
			}
			if runF != nil {
				return runF(opts)
			}
			return detailsRun(opts.Context, f, &opts.Bulk, opts.Idents, actions.Spec{Verb: actions.VerbDelete})
		},
	}
	cmd.Flags().BoolVarP(&opts.Yes, "yes", "y", false, "Do not ask for confirmation (required for several contacts)")
	opts.Bulk.Register(cmd)
	return cmd
}
