package contacts

import (
	"context"

	"github.com/respondctl/respondctl/actions"
	"github.com/respondctl/respondctl/apiclient"
	"github.com/respondctl/respondctl/commands/bulkcmd"
	"github.com/respondctl/respondctl/commands/cmdutil"
	"github.com/spf13/cobra"
)

// LifecycleOptions holds the flags of `contacts lifecycle`.
type LifecycleOptions struct {
	Factory *cmdutil.Factory
	Context context.Context
	Idents  []string
	Stage   string
	Clear   bool
	Bulk    bulkcmd.Flags
}

// NewCmdLifecycle builds `contacts lifecycle IDENT… STAGE|--clear`.
func NewCmdLifecycle(f *cmdutil.Factory, runF func(*LifecycleOptions) error) *cobra.Command {
	opts := &LifecycleOptions{Factory: f}
	cmd := &cobra.Command{
		Use:   "lifecycle [IDENT…] (STAGE | --clear)",
		Short: "Set or clear the lifecycle stage of contacts",
		Long: `Move contacts to a lifecycle stage ("Hot Lead", "Customer"…), or clear it with --clear.

The last argument is the stage (quote a stage with spaces); the ones before it are contacts.
Contacts may instead come from --input FILE, stdin or --view NAME. A stage the workspace
does not have is refused by the platform with the list of stages.`,
		Example: `  respondctl contacts lifecycle 123 "Hot Lead"
  respondctl contacts lifecycle --view Unassigned Customer --dry-run
  respondctl contacts lifecycle 123 456 --clear`,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Context = cmd.Context()
			switch {
			case opts.Bulk.Resume != "":
				if len(args) > 0 || opts.Clear || opts.Bulk.UsesTargets(nil) {
					return cmdutil.FlagErrorf("--resume takes the contacts and the stage from the journal: drop the other arguments")
				}
			case opts.Clear:
				opts.Idents = args
			case len(args) == 0:
				return cmdutil.FlagErrorf("give a lifecycle stage, or --clear")
			default:
				opts.Idents, opts.Stage = args[:len(args)-1], args[len(args)-1]
				if _, err := apiclient.ParseContactIdentifier(opts.Stage); err == nil && len(opts.Idents) == 0 && opts.Bulk.View == "" && len(opts.Bulk.Inputs) == 0 {
					return cmdutil.FlagErrorf("%q looks like a contact: give the stage after the contacts, or --clear", opts.Stage)
				}
			}
			if runF != nil {
				return runF(opts)
			}
			return detailsRun(opts.Context, f, &opts.Bulk, opts.Idents, actions.Spec{Verb: actions.VerbLifecycle, Lifecycle: opts.Stage})
		},
	}
	cmd.Flags().BoolVar(&opts.Clear, "clear", false, "Clear the lifecycle stage")
	opts.Bulk.Register(cmd)
	cmd.ValidArgsFunction = cmdutil.CompleteLifecycleStages(f)
	return cmd
}
