// Package conversationstatus implements the conversation-status commands: done, reopen, pending, snooze
// and unsnooze. Each is a bulk run (a single contact being a run of one).
package conversationstatus

import (
	"context"

	"github.com/respondctl/respondctl/actions"
	"github.com/respondctl/respondctl/commands/bulkcmd"
	"github.com/respondctl/respondctl/commands/cmdutil"
	"github.com/spf13/cobra"
)

// StatusOptions holds the flags of reopen, pending and unsnooze.
type StatusOptions struct {
	Factory *cmdutil.Factory
	Context context.Context
	Verb    string
	Args    []string
	Bulk    bulkcmd.Flags
}

const targetsHelp = `Contacts come from arguments, --input FILE (one identifier per line, CSV with an
identifier column, or the JSON lines of ` + "`contacts list -o jsonl`" + `), stdin when piped, or
--view NAME (snapshotted before the run). Runs over several contacts print one line per
contact, a summary on stderr, and are journaled for --resume.`

// newSimpleCmd builds a status command whose only input is the contacts.
func newSimpleCmd(f *cmdutil.Factory, runF func(*StatusOptions) error, verb, short, long, example string) *cobra.Command {
	opts := &StatusOptions{Factory: f, Verb: verb}
	cmd := &cobra.Command{
		Use:     verb + " [IDENT…]",
		Short:   short,
		Long:    long + "\n\n" + targetsHelp,
		Example: example,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Args, opts.Context = args, cmd.Context()
			if err := checkResume(&opts.Bulk, args); err != nil {
				return err
			}
			if runF != nil {
				return runF(opts)
			}
			return statusRun(opts)
		},
	}
	opts.Bulk.Register(cmd)
	return cmd
}

func checkResume(fl *bulkcmd.Flags, args []string) error {
	if fl.Resume != "" && fl.UsesTargets(args) {
		return cmdutil.FlagErrorf("--resume takes the contacts from the journal: drop the other arguments")
	}
	return nil
}

func statusRun(opts *StatusOptions) error {
	return runSpec(opts.Context, opts.Factory, &opts.Bulk, opts.Args, actions.Spec{Verb: opts.Verb}, nil)
}

// runSpec resumes or runs a status change.
func runSpec(ctx context.Context, f *cmdutil.Factory, fl *bulkcmd.Flags, args []string, spec actions.Spec, ifNoNew *bool) error {
	p, err := bulkcmd.NewPlatform(f)
	if err != nil {
		return err
	}
	if fl.Resume != "" {
		return bulkcmd.Resume(ctx, f, p, spec.Verb, fl)
	}
	return bulkcmd.Run(ctx, bulkcmd.Request{
		Factory: f, Platform: p, Args: args, Flags: fl, Spec: spec, IfNoNewIncoming: ifNoNew,
		Command: "respondctl " + spec.Verb,
	})
}

// NewCmdReopen builds `respondctl reopen IDENT…`.
func NewCmdReopen(f *cmdutil.Factory, runF func(*StatusOptions) error) *cobra.Command {
	return newSimpleCmd(f, runF, actions.VerbReopen, "Reopen conversations",
		"Reopen conversations that were marked done (or pending).",
		"  respondctl reopen 123\n  respondctl reopen --input closed-by-mistake.txt")
}

// NewCmdPending builds `respondctl pending IDENT…` (needs the server's pending extension).
func NewCmdPending(f *cmdutil.Factory, runF func(*StatusOptions) error) *cobra.Command {
	return newSimpleCmd(f, runF, actions.VerbPending, "Mark conversations pending",
		"Mark conversations pending: waiting on something other than the customer. Needs a server\nwith the pending extension.",
		"  respondctl pending 123")
}

// NewCmdUnsnooze builds `respondctl unsnooze IDENT…` (needs the server's snooze extension).
func NewCmdUnsnooze(f *cmdutil.Factory, runF func(*StatusOptions) error) *cobra.Command {
	return newSimpleCmd(f, runF, actions.VerbUnsnooze, "Wake snoozed conversations now",
		"Reopen snoozed conversations before their time. Conversations that are not snoozed are\nskipped. Needs a server with the snooze extension.",
		"  respondctl unsnooze 123")
}
