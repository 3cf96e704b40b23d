package conversationstatus

import (
	"context"
	"fmt"

	"github.com/respondctl/respondctl/actions"
	"github.com/respondctl/respondctl/commands/bulkcmd"
	"github.com/respondctl/respondctl/commands/cmdutil"
	"github.com/respondctl/respondctl/timeparse"
	"github.com/spf13/cobra"
)

// SnoozeOptions holds the flags of `snooze`.
type SnoozeOptions struct {
	Factory *cmdutil.Factory
	Context context.Context
	Args    []string
	Bulk    bulkcmd.Flags

	Until string
}

// NewCmdSnooze builds `respondctl snooze IDENT… --until 2h|tomorrow 09:00|RFC3339`.
func NewCmdSnooze(f *cmdutil.Factory, runF func(*SnoozeOptions) error) *cobra.Command {
	opts := &SnoozeOptions{Factory: f}
	cmd := &cobra.Command{
		Use:   "snooze [IDENT…] --until WHEN",
		Short: "Snooze conversations until a time",
		Long: `Hide conversations until a time; they come back open then (or when the contact writes).
WHEN is a duration from now (30m, 2h, 2d), a clock phrase ("tomorrow 09:00", "monday 09:00",
"17:00"), a date and time ("2026-11-25 14:00", in --tz or local time) or RFC 3339. Needs a
server with the snooze extension.

` + targetsHelp,
		Example: `  respondctl snooze 123 --until 2h
  respondctl snooze 123 --until "tomorrow 09:00"
  respondctl snooze --view "Waiting on customer" --until 2026-11-25T09:00:00Z`,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Args, opts.Context = args, cmd.Context()
			if err := checkResume(&opts.Bulk, args); err != nil {
				return err
			}
			if opts.Bulk.Resume != "" && opts.Until != "" {
				return cmdutil.FlagErrorf("--resume takes the snooze time from the journal: drop --until")
			}
			if opts.Bulk.Resume == "" && opts.Until == "" {
				return cmdutil.FlagErrorf("--until is required: e.g. --until 2h or --until \"tomorrow 09:00\"")
			}
			if runF != nil {
				return runF(opts)
			}
			return snoozeRun(opts)
		},
	}
	cmd.Flags().StringVar(&opts.Until, "until", "", "Snooze until `WHEN`: 2h, tomorrow 09:00, RFC 3339…")
	opts.Bulk.Register(cmd)
	return cmd
}

func snoozeRun(opts *SnoozeOptions) error {
	spec := actions.Spec{Verb: actions.VerbSnooze}
	if opts.Bulk.Resume == "" {
		oo, err := opts.Factory.OutputOptions()
		if err != nil {
			return err
		}
		until, note, err := timeparse.ParseUntil(opts.Until, opts.Factory.Now(), oo.Loc)
		if err != nil {
			return cmdutil.UsageError(err)
		}
		if note != "" {
			fmt.Fprintln(opts.Factory.IOStreams.ErrOut, "note: "+note)
		}
		spec.SnoozeUntil = until.UTC().Truncate(1e9) // the API counts in whole seconds
	}
	return runSpec(opts.Context, opts.Factory, &opts.Bulk, opts.Args, spec, nil)
}
