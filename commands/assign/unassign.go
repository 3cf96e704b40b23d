package assign

import (
	"context"

	"github.com/respondctl/respondctl/actions"
	"github.com/respondctl/respondctl/commands/bulkcmd"
	"github.com/respondctl/respondctl/commands/cmdutil"
	"github.com/spf13/cobra"
)

// UnassignOptions holds the flags of `unassign`.
type UnassignOptions struct {
	Factory *cmdutil.Factory
	Context context.Context
	Args    []string
	Bulk    bulkcmd.Flags
}

// NewCmdUnassign builds `respondctl unassign IDENT…`.
func NewCmdUnassign(f *cmdutil.Factory, runF func(*UnassignOptions) error) *cobra.Command {
	opts := &UnassignOptions{Factory: f}
	cmd := &cobra.Command{
		Use:   "unassign [IDENT…]",
		Short: "Remove the assignee of conversations",
		Long: `Remove the assignee of one or many conversations. Contacts come from arguments,
--input FILE, stdin when piped, or --view NAME, as for assign.`,
		Example: `  respondctl unassign 123
  respondctl unassign --view "VIP open" --dry-run`,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Args, opts.Context = args, cmd.Context()
			if opts.Bulk.Resume != "" && opts.Bulk.UsesTargets(args) {
				return cmdutil.FlagErrorf("--resume takes the contacts from the journal: drop the other arguments")
			}
			if runF != nil {
				return runF(opts)
			}
			return unassignRun(opts)
		},
	}
	opts.Bulk.Register(cmd)
	return cmd
}

func unassignRun(opts *UnassignOptions) error {
	f, ctx := opts.Factory, opts.Context
	p, err := bulkcmd.NewPlatform(f)
	if err != nil {
		return err
	}
	if opts.Bulk.Resume != "" {
		return bulkcmd.Resume(ctx, f, p, actions.VerbUnassign, &opts.Bulk)
	}
	return bulkcmd.Run(ctx, bulkcmd.Request{
		Factory: f, Platform: p, Args: opts.Args, Flags: &opts.Bulk, Command: "respondctl unassign",
		Spec: actions.Spec{Verb: actions.VerbUnassign},
	})
}
