package bulk

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// Action is one bulk operation on one target, adapted by the command layer
// from API client calls. Apply and Check are called concurrently.
type Action interface {
	// Name is the command name, e.g. "assign"; it is journaled and used in the resume hint.
	Name() string
	// Idempotent is false for actions that must never be repeated (send, comment).
	Idempotent() bool
	// Check reads current state without changing it. When already is true the
	// target is in the desired state and change describes it ("already assigned
	// to Lee Wong"); otherwise change describes what Apply would do ("assign to
	// Lee Wong"; the engine prints it as "would assign to Lee Wong").
	Check(ctx context.Context, t Target) (already bool, change string, err error)
	// Apply performs the change. A Result with Err set and no Outcome is
	// classified by Options.Classify; no Err and no Outcome means done.
	Apply(ctx context.Context, t Target) Result
}

// Planner is an optional interface of an Action whose results carry facts known before
// anything is written (the planned assignee, the snooze end). A dry run adds them to its
// would-change results, so those carry the same structured fields as a real run's.
type Planner interface {
	// Planned returns the facts Apply would report for t (zero when none).
	Planned(t Target) Facts
}

// ProgressSink follows a run (see BarProgress). Calls are serialised.
type ProgressSink interface {
	Start(total int)
	Increment(Result)
	Finish()
}

// DefaultWorkers is the concurrency when Options.Workers is 0. The API
// client's per-endpoint limiter, not the worker count, sets the pace; the
// workers only have to keep it busy. A request refused with a 429 while budget
// is left waits out its own Retry-After (1 s) in its worker, so under the
// standard fault mix (5% 429s, 10% 5xx, 3% resets, 20–200 ms latency) 8
// workers spent about a quarter of their time waiting and reached 33
// accepted/s at a limit of 50; 16 reach 41/s, the ceiling (every refused
// request also took a token of the server's budget).
const DefaultWorkers = 16

// Options tunes a run. The zero value works: 16 workers, no journal, no progress.
type Options struct {
	Workers int
	// DryRun calls Check for every target and reports what would change; it
	// writes nothing, journal included.
	DryRun bool
	// CheckFirst calls Check before Apply on idempotent actions and skips
	// targets already in the desired state (one extra read per target).
	CheckFirst bool
	// Journal, from CreateJournal (Run) or OpenJournal (Resume), records every outcome.
	Journal  *Journal
	Progress ProgressSink
	// Classify maps an Apply error to failed or unknown; the command passes one
	// that returns unknown for the client's outcome-unknown errors. Nil: failed.
	Classify func(error) Outcome
	// Fatal reports errors that doom every remaining item (e.g. 401): the run
	// stops handing out work and Run returns that error. Nil: none.
	Fatal func(error) bool
	// Abort, when closed (a second Ctrl-C), cancels the context of Apply calls
	// in flight. Cancelling Run's ctx stops handing out new targets and, with
	// StopBeforeWrite, gives up the calls that have not written anything yet.
	Abort <-chan struct{}
	// StopBeforeWrite returns ctx carrying stop as its stop-before-writing signal
	// (apiclient.WithStopBeforeWrite). The engine passes Run's ctx as stop to the Check and
	// Apply calls that can still be taken back (idempotent actions; a CommitDeferrer until
	// its Commit), so that after the first Ctrl-C a request still waiting to be written (in
	// the rate limiter) is given up instead of sent. Nil: calls in flight finish.
	StopBeforeWrite func(ctx, stop context.Context) context.Context
	// NotAttempted reports an error of Check or Apply that means nothing was written: the
	// call was given up before its request left (apiclient.ErrNotSent). Its target gets no
	// result, is counted not attempted, and a resume does it. Nil: none.
	NotAttempted func(error) bool
	Now          func() time.Time
	// OnResult is called once per target, in completion order, one call at a
	// time, after the outcome is durable in the journal.
	OnResult func(Result)
	// SettleDelay is how long after an attempt's start a Reconciler action's unknown outcome
	// is checked, so that a missing message is certainly missing (0: DefaultSettleDelay).
	SettleDelay time.Duration
	// Since is the lower bound of the reconciliation window for targets without a journaled
	// start time (Resume sets the journal's creation time; Run its own start).
	Since time.Time
}

// Run applies action to every target. With a journal, the journal must have
// been created for these targets (CreateJournal(path, header, targets)).
// Cancelling ctx stops handing out targets; Apply calls in flight finish
// (their ctx is not cancelled unless Options.Abort fires), except those that
// give up before writing anything (Options.StopBeforeWrite), and the Summary
// comes back with Interrupted set; what was not written counts as not attempted.
func Run(ctx context.Context, action Action, targets []Target, opts Options) (Summary, error) {
	if opts.Journal != nil && !opts.DryRun {
		jt := opts.Journal.Targets()
		if len(jt) != len(targets) {
			return Summary{}, fmt.Errorf("journal %s holds %d targets, run has %d", opts.Journal.Path(), len(jt), len(targets))
		}
		for i := range jt {
			if jt[i].ID != targets[i].ID {
				return Summary{}, fmt.Errorf("journal %s: target %d is %s, run has %s", opts.Journal.Path(), i, jt[i].ID, targets[i].ID)
			}
		}
	}
	items := make([]workItem, len(targets))
	for i, t := range targets {
		items[i] = workItem{i: i, target: t, mode: modeApply}
	}
	if _, ok := reconcilerOf(action); ok && opts.Since.IsZero() {
		opts.Since = opts.now()()
	}
	return newRunner(action, opts).run(ctx, items, 0)
}

// Resume finishes the run recorded in j. Targets with a done or skipped
// result are not touched. Failed ones are tried again. Targets left in
// flight (a start record, no result) are re-checked and applied only if
// needed when the action is idempotent, and reported unknown — never resent —
// when it is not; unknown non-idempotent results stay unknown and are
// reported again.
func Resume(ctx context.Context, action Action, j *Journal, opts Options) (Summary, error) {
	if j == nil {
		return Summary{}, errors.New("resume: no journal")
	}
	if name := j.Header().Action; name != action.Name() {
		return Summary{}, fmt.Errorf("journal %s records %q, not %q", j.Path(), name, action.Name())
	}
	opts.Journal = j
	st := j.State()
	if opts.Since.IsZero() {
		opts.Since = st.Header.Created
	}
	// A damaged journal may have lost any record after its snapshot: a target not recorded
	// done or skipped may have been acted on since. Treat it as in flight: re-checked when
	// idempotent, unknown (reconciled where the action can) when not — never blindly redone.
	damaged := len(st.Damage) > 0
	var items []workItem
	complete := 0
	for i, t := range st.Targets {
		entry, hasResult := st.Results[i]
		settled := hasResult && (entry.Outcome == OutcomeDone || entry.Outcome == OutcomeSkipped)
		lost := st.InFlight[i] || damaged && !settled
		mode := modeApply
		switch {
		case lost && action.Idempotent():
			mode = modeRecheck
		case lost:
			mode = modeLostInFlight
		case hasResult && (entry.Outcome == OutcomeDone || entry.Outcome == OutcomeSkipped):
			complete++
			continue
		case hasResult && entry.Outcome == OutcomeUnknown && action.Idempotent():
			mode = modeRecheck
		case hasResult && entry.Outcome == OutcomeUnknown:
			mode = modeStillUnknown
		}
		it := workItem{i: i, target: t, mode: mode, earlier: entry, started: st.Started[i]}
		if mode == modeLostInFlight && !st.InFlight[i] {
			it.reason = "the journal is damaged and may have lost this contact's records"
		}
		items = append(items, it)
	}
	return newRunner(action, opts).run(ctx, items, complete)
}

func (o Options) now() func() time.Time {
	if o.Now != nil {
		return o.Now
	}
	return time.Now
}
