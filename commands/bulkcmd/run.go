package bulkcmd

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/respondctl/respondctl/actions"
	"github.com/respondctl/respondctl/apiclient"
	"github.com/respondctl/respondctl/bulk"
	"github.com/respondctl/respondctl/commands/cmdutil"
	"github.com/respondctl/respondctl/inbox"
	"github.com/respondctl/respondctl/output"
)

// Request is one fresh run of a mutating command, after its flags are parsed and its names
// (users, category, channel) resolved into Spec.
type Request struct {
	Factory  *cmdutil.Factory
	Platform actions.Platform
	Spec     actions.Spec
	Args     []string
	Flags    *Flags
	// StdinTaken: stdin carries something else (send's message text), never identifiers.
	StdinTaken bool
	// IfNoNewIncoming is done's --if-no-new-incoming: nil means on for runs over a view.
	IfNoNewIncoming *bool
	// Plan turns the collected targets into the run's targets (assignee distribution). It
	// runs before anything is changed and may fail the whole run.
	Plan func(ctx context.Context, c actions.Collected) ([]bulk.Target, error)
	// Single replaces the default handling of a successful one-contact run in table mode
	// (send prints the message id and follows --wait). Nil prints the result line. With
	// structured output it runs before the result record is printed and may add fields to
	// r.Extra (send --wait adds the delivery status); its error is still the command's.
	Single func(ctx context.Context, r *bulk.Result) error
	// Command is the command path for the journal record ("respondctl assign").
	Command string
	// Targets, when not nil, are the run's targets, read by the command itself (upsert's
	// rows): Args, --input, --view and stdin are then not read.
	Targets []bulk.Target
}

// Run collects the targets, refuses bad input before any change, and runs the action.
func Run(ctx context.Context, req Request) error {
	f, fl := req.Factory, req.Flags
	ios := f.IOStreams
	if _, err := f.OutputOptions(); err != nil {
		return err
	}
	if err := fl.Validate(); err != nil {
		return err
	}
	if err := actions.CheckCapabilities(ctx, req.Platform, req.Spec.Verb); err != nil {
		return err
	}
	if req.Targets != nil {
		return runTargets(ctx, req, req.Targets)
	}
	src := actions.TargetSource{Args: req.Args, Files: fl.Inputs, Column: fl.Column, View: fl.View, Limit: fl.Limit}
	if !req.StdinTaken && !ios.IsStdinTTY() {
		src.Stdin = ios.In
	}
	if req.StdinTaken && hasStdinFile(fl.Inputs) {
		return cmdutil.FlagErrorf("--input - conflicts with reading the message from stdin: use --text or --text-file")
	}
	c, err := actions.CollectTargets(ctx, req.Platform, src, Normalize, now(f))
	switch {
	case errors.Is(err, actions.ErrNoTargets):
		return cmdutil.UsageError(err)
	case inbox.IsUnknownView(err):
		return &cmdutil.NotFoundError{Err: err} // exit 5, as `contacts list --view`
	case err != nil && fl.View != "":
		return err
	case err != nil:
		return cmdutil.UsageError(err)
	}
	if err := c.Report.Err(); err != nil {
		// main prints errors on one line; a list of bad lines reads better one per line.
		fmt.Fprintf(ios.ErrOut, "error: %s\nnothing was changed\n", output.SafeText(err.Error()))
		return &cmdutil.ExitCodeError{Code: cmdutil.ExitUsage, Err: err, Silent: true}
	}
	if c.FromView || len(fl.Inputs) > 0 || src.Stdin != nil && len(req.Args) == 0 || c.Report.Duplicates > 0 {
		if len(c.Targets) > 0 || c.Report.Total > 0 {
			fmt.Fprintln(ios.ErrOut, output.SafeText(c.Report.String()))
		}
	}
	if len(c.Targets) == 0 {
		return nothingToDo(f, c, fl.View)
	}

	spec := req.Spec
	spec.Clock = resultClock(f)
	if spec.Verb == actions.VerbDone {
		on := c.FromView
		if req.IfNoNewIncoming != nil {
			on = *req.IfNoNewIncoming
		}
		spec.IfNoNewIncoming = on
		if on {
			spec.SnapshotAt = c.SnapshotAt
			if spec.SnapshotAt.IsZero() {
				spec.SnapshotAt = now(f)()
			}
		}
	}
	targets := c.Targets
	if req.Plan != nil {
		if targets, err = req.Plan(ctx, c); err != nil {
			return err
		}
	}
	return runAction(ctx, req, spec, req.Args, targets)
}

// runAction builds the action of spec, journals a run of several targets (or one with
// --journal) under the workspace it runs against, and executes it.
func runAction(ctx context.Context, req Request, spec actions.Spec, args []string, targets []bulk.Target) error {
	f, fl := req.Factory, req.Flags
	action, err := actions.Build(ctx, req.Platform, spec)
	if err != nil {
		return cmdutil.UsageError(err)
	}
	if !action.Idempotent() && len(targets) > 1 {
		// A send or comment reaches each contact once, however many ways it was named.
		var notices []string
		targets, notices = actions.CollapseSameContact(ctx, req.Platform, targets)
		for _, n := range notices {
			fmt.Fprintln(f.IOStreams.ErrOut, output.SafeText(n))
		}
	}
	var j *bulk.Journal
	if !fl.DryRun && (len(targets) > 1 || fl.Journal != "") {
		ws, err := f.Workspace()
		if err != nil {
			return err
		}
		j, err = bulk.CreateJournal(fl.Journal, bulk.JournalHeader{
			Action: spec.Verb, Params: spec.Params(), Command: commandRecord(req.Command, args, fl),
			Created: now(f)(), Workspace: ws,
		}, targets, bulk.UnderStateDir(f.StateDir))
		if err != nil {
			return journalError(err)
		}
		defer j.Close()
		j.SetScrubber(f.Secrets.String)
	}
	return execute(ctx, f, action, len(targets), fl, j, req.Single, func(ctx context.Context, o bulk.Options) (bulk.Summary, error) {
		return bulk.Run(ctx, action, targets, o)
	})
}

// Resume finishes the run recorded in the journal at fl.Resume with the action rebuilt from it.
func Resume(ctx context.Context, f *cmdutil.Factory, p actions.Platform, verb string, fl *Flags) error {
	if _, err := f.OutputOptions(); err != nil {
		return err
	}
	if err := fl.Validate(); err != nil {
		return err
	}
	j, err := bulk.OpenJournal(fl.Resume)
	if err != nil {
		return journalError(err)
	}
	defer j.Close()
	j.SetScrubber(f.Secrets.String)
	if owner := j.StaleLockOwner(); owner != "" {
		fmt.Fprintf(f.IOStreams.ErrOut, "notice: the journal's lock was left by %s, which is no longer running; taken over\n", owner)
	}
	h := j.Header()
	if h.Action != verb {
		return cmdutil.FlagErrorf("journal %s records %q: run `%s %s --resume %s`", fl.Resume, h.Action, resumeProgram(f), h.Action, fl.Resume)
	}
	if err := checkWorkspace(f, j, fl); err != nil {
		return err
	}
	spec, err := actions.SpecFromParams(verb, h.Params)
	if err != nil {
		return err
	}
	spec.Now = f.Now
	spec.Clock = resultClock(f)
	if err := actions.CheckCapabilities(ctx, p, verb); err != nil {
		return err
	}
	action, err := actions.Build(ctx, p, spec)
	if err != nil {
		return err
	}
	st := j.State()
	if st.TruncatedTail {
		fmt.Fprintln(f.IOStreams.ErrOut, "notice: the journal's last record was incomplete (the run was killed mid-write); it was ignored")
	}
	if len(st.Damage) > 0 {
		more := ""
		if len(st.Damage) > 1 {
			more = fmt.Sprintf(" (and %d more)", len(st.Damage)-1)
		}
		fmt.Fprintf(f.IOStreams.ErrOut, "warning: journal %s is damaged: %s%s; contacts it does not record as done are treated as unknown and checked, never blindly redone\n",
			fl.Resume, st.Damage[0], more)
	}
	fl.DryRun = false
	return execute(ctx, f, action, len(j.Targets()), fl, j, nil, func(ctx context.Context, o bulk.Options) (bulk.Summary, error) {
		return bulk.Resume(ctx, action, j, o)
	})
}

// execute runs the engine with printing, progress, Ctrl-C handling, summary and exit codes.
func execute(ctx context.Context, f *cmdutil.Factory, action bulk.Action, n int, fl *Flags, j *bulk.Journal,
	single func(context.Context, *bulk.Result) error, run func(context.Context, bulk.Options) (bulk.Summary, error)) error {
	ios := f.IOStreams
	opts, err := f.OutputOptions()
	if err != nil {
		return err
	}
	structured := opts.Structured()
	isSingle := n == 1 && j == nil
	sink := &resultSink{out: ios.Out, errOut: ios.ErrOut, single: isSingle}
	var progress bulk.ProgressSink = bulk.NoProgress()
	if n > 1 && ios.IsStderrTTY() && (!structured || !ios.IsStdoutTTY()) {
		bar := bulk.NewBarProgress(ios.ErrOut, action.Name())
		bar.SetTerminalWidth(ios.StderrWidth())
		progress = bar
		sink.out, sink.errOut = bar.Writer(ios.Out), bar.Writer(ios.ErrOut)
	}
	if structured {
		if sink.printer, err = output.NewPrinter(ios, opts, output.Spec{}); err != nil {
			return err
		}
		sink.hold = isSingle && single != nil
	}

	runCtx, abort, stopSignals := interruptible(ctx, ios.ErrOut)
	defer stopSignals()
	sum, runErr := run(runCtx, bulk.Options{
		Workers:  fl.Workers,
		DryRun:   fl.DryRun,
		Journal:  j,
		Progress: progress,
		Classify: classify,
		Fatal:    fatal,
		Abort:    abort,
		// The first Ctrl-C gives up the requests not written yet (waiting for the rate
		// limiter): not attempted, left to --resume.
		StopBeforeWrite: apiclient.WithStopBeforeWrite,
		NotAttempted:    notSent,
		Now:             now(f),
		OnResult:        sink.handle,

		SettleDelay: fl.ReconcileAfter,
	})
	// A held single record gets its follow-up (send --wait) before it is printed.
	var follow *followUp
	if sink.held && runErr == nil && !sum.Interrupted && settled(sink.last.Outcome) {
		follow = &followUp{err: single(ctx, &sink.last)}
	}
	printErr := sink.close()

	if !isSingle || sum.Interrupted || runErr != nil {
		fmt.Fprintln(ios.ErrOut, sum.String())
		if j != nil && (sum.Partial() || sum.NotAttempted > 0) {
			fmt.Fprintln(ios.ErrOut, "journal: "+j.Path())
		}
	}
	switch {
	case runErr != nil:
		if resume := sum.ResumeCommand(program(f, fl)); resume != "" && sum.NotAttempted > 0 {
			fmt.Fprintln(ios.ErrOut, "to finish the run: "+resume)
		}
		return runErr
	case sum.Interrupted:
		// main prints "interrupted" after this.
		if resume := sum.ResumeCommand(program(f, fl)); resume != "" {
			fmt.Fprintln(ios.ErrOut, "to finish the run: "+resume)
		}
		return &cmdutil.ExitCodeError{Code: cmdutil.ExitInterrupted, Err: errors.New("interrupted"), Silent: true}
	case printErr != nil:
		return printErr
	case isSingle:
		if follow != nil {
			return follow.err
		}
		return singleOutcome(ctx, ios.Out, sink, single, structured)
	case sum.Partial():
		return cmdutil.PartialError(sum.String())
	}
	return nil
}

// singleOutcome turns a one-contact run's result into the command's output and exit code:
// its own error for a failure (not found exits 5…), exit 7 for an unknown outcome.
func singleOutcome(ctx context.Context, out io.Writer, sink *resultSink, single func(context.Context, *bulk.Result) error, structured bool) error {
	r := sink.last
	switch r.Outcome {
	case bulk.OutcomeFailed:
		if r.Err != nil {
			return r.Err
		}
		return errors.New(r.Detail)
	case bulk.OutcomeUnknown:
		if r.Err != nil && errors.Is(r.Err, apiclient.ErrOutcomeUnknown) {
			return r.Err
		}
		return &cmdutil.ExitCodeError{Code: cmdutil.ExitUnknown, Err: errors.New(r.Target.ID + ": " + r.Detail)}
	}
	if single != nil && (r.Outcome == bulk.OutcomeDone || structured) {
		return single(ctx, &r)
	}
	if !structured {
		fmt.Fprintln(out, Line(r))
	}
	return nil
}

// followUp is the outcome of a single run's follow-up made before its record was printed.
type followUp struct{ err error }

// settled: the outcomes singleOutcome hands to the command's follow-up (not a failure).
func settled(o bulk.Outcome) bool {
	return o != bulk.OutcomeFailed && o != bulk.OutcomeUnknown
}

func classify(err error) bulk.Outcome {
	if errors.Is(err, apiclient.ErrOutcomeUnknown) {
		return bulk.OutcomeUnknown
	}
	return bulk.OutcomeFailed
}

// notSent: the request was given up before it was written (interrupted): not attempted.
func notSent(err error) bool { return errors.Is(err, apiclient.ErrNotSent) }

// fatal errors doom every remaining item: stop instead of failing a thousand times.
func fatal(err error) bool {
	return apiclient.IsUnauthorized(err) || errors.Is(err, cmdutil.ErrNotAuthenticated) || actions.StopsRun(err)
}

// interruptible: the first Ctrl-C (or SIGTERM) stops handing out work, gives up the requests
// not written yet (those waiting for the rate limiter: not attempted, left to --resume) and lets
// those already sent finish, so their outcome is known; a second one aborts them too.
func interruptible(parent context.Context, errOut io.Writer) (context.Context, <-chan struct{}, func()) {
	ctx, cancel := context.WithCancel(parent)
	abort := make(chan struct{})
	sigs := make(chan os.Signal, 2)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	done := make(chan struct{})
	go func() {
		n := 0
		for {
			select {
			case <-sigs:
				n++
				if n == 1 {
					fmt.Fprintln(errOut, "\nstopping: nothing more is sent; waiting for the requests already sent (Ctrl-C again to abort them)…")
					cancel()
				} else {
					close(abort)
					return
				}
			case <-done:
				return
			}
		}
	}()
	return ctx, abort, func() {
		signal.Stop(sigs)
		close(done)
		cancel()
	}
}

// nothingToDo reports an empty input as a clear no-op (exit 0; `[]` for structured output).
func nothingToDo(f *cmdutil.Factory, c actions.Collected, view string) error {
	ios := f.IOStreams
	switch {
	case view != "":
		fmt.Fprintf(ios.ErrOut, "view %s has no contacts: nothing to do\n", output.SafeLine(strconv.Quote(view)))
	case c.Report.Total == 0:
		fmt.Fprintln(ios.ErrOut, "no identifiers in input: nothing to do")
	}
	opts, _ := f.OutputOptions()
	if opts.Structured() {
		return output.PrintList(ios, opts, output.Spec{}, []ResultRecord{})
	}
	return nil
}

// Normalize canonicalises one contact identifier for target input.
func Normalize(s string) (string, error) {
	id, err := apiclient.ParseContactIdentifier(s)
	if err != nil {
		return "", err
	}
	return id.String(), nil
}

func now(f *cmdutil.Factory) func() time.Time {
	if f.Now != nil {
		return f.Now
	}
	return time.Now
}

func exe(f *cmdutil.Factory) string {
	if f.ExecutableName != "" {
		return f.ExecutableName
	}
	return "respondctl"
}

// journalError maps what refuses a journal before anything is done to a usage error (exit 2):
// a journal another process runs, one that does not exist, one that is not a journal.
func journalError(err error) error {
	var locked *bulk.LockedError
	var bad *bulk.BadJournalError
	if errors.As(err, &locked) || errors.As(err, &bad) || errors.Is(err, fs.ErrNotExist) || errors.Is(err, fs.ErrExist) {
		return &cmdutil.ExitCodeError{Code: cmdutil.ExitUsage, Err: err} // no "see --help": the flags were right
	}
	return err
}

func hasStdinFile(files []string) bool {
	for _, f := range files {
		if f == "-" {
			return true
		}
	}
	return false
}

// commandRecord is the command line kept in the journal for the record: the command and how
// targets were chosen, never message text or anything secret.
func commandRecord(command string, args []string, fl *Flags) []string {
	rec := strings.Fields(command)
	if fl.View != "" {
		rec = append(rec, "--view", fl.View)
	}
	for _, in := range fl.Inputs {
		rec = append(rec, "--input", in)
	}
	if len(args) > 0 {
		rec = append(rec, fmt.Sprintf("(%d identifiers)", len(args)))
	}
	return rec
}

// resultClock writes the moments in result texts: "snoozed until Sun 6 Dec 09:00 MYT" on a
// terminal, RFC 3339 when piped; both in --tz when given.
func resultClock(f *cmdutil.Factory) func(time.Time) string {
	opts, _ := f.OutputOptions()
	tf := output.TimeFormatter{TTY: f.IOStreams.IsStdoutTTY(), Now: now(f), Loc: opts.Loc}
	if tf.TTY {
		return tf.ClockZone
	}
	return tf.RFC3339
}

// program is the command prefix of the resume hint: the executable, and the noun of a verb
// that is a subcommand.
func program(f *cmdutil.Factory, fl *Flags) string {
	if fl.Noun != "" {
		return resumeProgram(f) + " " + fl.Noun
	}
	return resumeProgram(f)
}

// runTargets runs a command's own targets: build the action, journal a run of several, execute.
func runTargets(ctx context.Context, req Request, targets []bulk.Target) error {
	if len(targets) == 0 {
		return nothingToDo(req.Factory, actions.Collected{}, "")
	}
	return runAction(ctx, req, req.Spec, nil, targets)
}
