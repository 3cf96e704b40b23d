// Package bulkcmd is the command-side driver shared by respondctl's mutating commands (send,
// assign, unassign, done, reopen, pending, snooze, unsnooze, comment): the common bulk flags,
// reading targets, the journal, Ctrl-C handling, result lines, the summary and exit codes.
// Every invocation is a bulk run, a single contact being a run of one.
package bulkcmd

import (
	"time"

	"github.com/respondctl/respondctl/bulk"
	"github.com/respondctl/respondctl/commands/cmdutil"
	"github.com/spf13/cobra"
)

// Flags are the bulk flags every mutating command takes.
type Flags struct {
	Inputs  []string // --input FILE (repeatable; "-" is stdin)
	Column  string   // --column NAME: CSV column / JSON field with the identifier
	View    string   // --view NAME: act on a snapshot of a view
	Limit   int      // --limit N: with --view
	DryRun  bool     // --dry-run: read state, print what would change, write nothing
	Journal string   // --journal PATH: where to journal (default: a new file under the state dir)
	Resume  string   // --resume PATH: finish the run recorded in a journal
	Workers int      // --workers N: concurrent requests (the rate limiter sets the pace)
	// WorkspaceCheck is --workspace-check on|off: with --resume, refuse a journal of another workspace.
	WorkspaceCheck string
	// ReconcileAfter is --reconcile-after: how long after an unknown send its message must
	// have appeared on the platform before it counts as absent (and is sent again).
	ReconcileAfter time.Duration

	// Noun is not a flag: the parent command of a verb that is a subcommand ("contacts" for
	// `contacts tag`), so the resume hint names the right command.
	Noun string
}

// Register adds the bulk flags to cmd.
func (f *Flags) Register(cmd *cobra.Command) {
	fl := cmd.Flags()
	fl.StringArrayVarP(&f.Inputs, "input", "i", nil, "Read identifiers from `FILE` (one per line, CSV, or JSON lines; \"-\" for stdin)")
	fl.StringVar(&f.Column, "column", "", "CSV column or JSON field holding the identifier (default: identifier, id, contact, email or phone)")
	fl.StringVar(&f.View, "view", "", "Act on every contact of view `NAME` (snapshotted before the run)")
	fl.IntVar(&f.Limit, "limit", 0, "With --view, act on at most `N` contacts")
	fl.BoolVar(&f.DryRun, "dry-run", false, "Print what would change without changing anything")
	fl.StringVar(&f.Journal, "journal", "", "Journal outcomes to `PATH` (default for several contacts: a new file in the state directory)")
	fl.StringVar(&f.Resume, "resume", "", "Finish the run recorded in journal `PATH`, skipping what is done")
	fl.IntVar(&f.Workers, "workers", 0, "Concurrent requests (default 16; the API rate limit sets the pace)")
	fl.DurationVar(&f.ReconcileAfter, "reconcile-after", bulk.DefaultSettleDelay, "A send whose outcome is unknown is looked up on the platform; not found `DURATION` after it started, it is sent again")
	fl.StringVar(&f.WorkspaceCheck, "workspace-check", "on", "With --resume, refuse a journal started on another workspace (`on|off`)")
}

// Validate refuses values no run can use (exit 2, before any request). --workers 0 is the
// default.
func (f *Flags) Validate() error {
	if f.Workers < 0 {
		return cmdutil.FlagErrorf("invalid --workers %d: use 1 or more (0 for the default)", f.Workers)
	}
	if f.Limit < 0 {
		return cmdutil.FlagErrorf("invalid --limit %d: use 1 or more", f.Limit)
	}
	return nil
}

// UsesTargets reports whether target-selecting flags were given (they conflict with --resume).
func (f *Flags) UsesTargets(args []string) bool {
	return len(args) > 0 || len(f.Inputs) > 0 || f.View != "" || f.Limit != 0
}
