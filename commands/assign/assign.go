// Package assign implements `respondctl assign` and `respondctl unassign`.
package assign

import (
	"context"

	"github.com/respondctl/respondctl/actions"
	"github.com/respondctl/respondctl/bulk"
	"github.com/respondctl/respondctl/commands/bulkcmd"
	"github.com/respondctl/respondctl/commands/cmdutil"
	"github.com/spf13/cobra"
)

// AssignOptions holds the flags of `assign`.
type AssignOptions struct {
	Factory *cmdutil.Factory
	Context context.Context
	Args    []string
	Bulk    bulkcmd.Flags

	To         string
	RoundRobin []string
	Balance    []string
}

// NewCmdAssign builds `respondctl assign IDENT… --to USER|me`.
func NewCmdAssign(f *cmdutil.Factory, runF func(*AssignOptions) error) *cobra.Command {
	opts := &AssignOptions{Factory: f}
	cmd := &cobra.Command{
		Use:   "assign [IDENT…] (--to USER | --round-robin USERS | --balance USERS)",
		Short: "Assign conversations to a user, or spread them over several",
		Long: `Assign one or many conversations.

USER is "me", a user id, an email, or a name (or a unique prefix of one). A name that
matches several users fails and lists them; respondctl never guesses.

Contacts come from arguments, --input FILE (one identifier per line, CSV with an
identifier column, or the JSON lines of ` + "`contacts list -o jsonl`" + `), stdin when piped, or
--view NAME (snapshotted before the run, so a changing view neither skips nor repeats anyone).

--round-robin deals the contacts to the users in turn; --balance gives each contact to the
user with the fewest open conversations (counting the ones this run hands out).

Runs over several contacts print one line per contact on stdout, errors on stderr, then a
summary; they are journaled so that an interrupted run resumes with --resume.`,
		Example: `  respondctl assign 123 --to me
  respondctl assign 123 456 --to lee@example.com
  respondctl contacts list --view Unassigned --all -o jsonl | respondctl assign --to "Lee Wong"
  respondctl assign --view Unassigned --round-robin a@x.com,b@x.com,c@x.com
  respondctl assign --view Unassigned --balance a@x.com,b@x.com --dry-run
  respondctl assign --resume ~/.local/state/respondctl/journals/assign-20250101T120000Z.jsonl`,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Args, opts.Context = args, cmd.Context()
			if err := validateAssign(opts); err != nil {
				return err
			}
			if runF != nil {
				return runF(opts)
			}
			return assignRun(opts)
		},
	}
	cmd.Flags().StringVar(&opts.To, "to", "", "Assign to `USER`: me, an id, an email or a name")
	cmd.Flags().StringSliceVar(&opts.RoundRobin, "round-robin", nil, "Deal contacts in turn to `USERS` (comma-separated)")
	cmd.Flags().StringSliceVar(&opts.Balance, "balance", nil, "Give each contact to whichever of `USERS` has the fewest open conversations")
	opts.Bulk.Register(cmd)
	return cmd
}

func validateAssign(opts *AssignOptions) error {
	if opts.Bulk.Resume != "" {
		if opts.Bulk.UsesTargets(opts.Args) || opts.To != "" || len(opts.RoundRobin) > 0 || len(opts.Balance) > 0 {
			return cmdutil.FlagErrorf("--resume takes the contacts and assignees from the journal: drop the other arguments")
		}
		return nil
	}
	n := 0
	for _, set := range []bool{opts.To != "", len(opts.RoundRobin) > 0, len(opts.Balance) > 0} {
		if set {
			n++
		}
	}
	if n != 1 {
		return cmdutil.FlagErrorf("give exactly one of --to USER, --round-robin USERS or --balance USERS")
	}
	return nil
}

func assignRun(opts *AssignOptions) error {
	f, ctx := opts.Factory, opts.Context
	p, err := bulkcmd.NewPlatform(f)
	if err != nil {
		return err
	}
	if opts.Bulk.Resume != "" {
		return bulkcmd.Resume(ctx, f, p, actions.VerbAssign, &opts.Bulk)
	}
	queries, balance := []string{opts.To}, false
	switch {
	case len(opts.RoundRobin) > 0:
		queries = opts.RoundRobin
	case len(opts.Balance) > 0:
		queries, balance = opts.Balance, true
	}
	// Resolve every user before reading targets or changing anything.
	users, err := bulkcmd.ResolveUsers(ctx, f, p, queries)
	if err != nil {
		return err
	}
	req := bulkcmd.Request{
		Factory: f, Platform: p, Args: opts.Args, Flags: &opts.Bulk, Command: "respondctl assign",
		Spec: actions.Spec{Verb: actions.VerbAssign},
	}
	if opts.To != "" {
		req.Spec.To = users[0].ID
	} else {
		req.Plan = func(ctx context.Context, c actions.Collected) ([]bulk.Target, error) {
			plan, _, err := actions.PlanAssignees(ctx, p, c.Targets, users, balance)
			return plan, err
		}
	}
	return bulkcmd.Run(ctx, req)
}
