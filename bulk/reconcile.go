package bulk

import (
	"context"
	"time"
)

// Reconciler is implemented by non-idempotent actions that can read back whether an attempt
// whose outcome is unknown reached the platform (send: the contact's newest messages). The
// engine reconciles such targets instead of leaving them unknown: before a run ends, and on
// --resume for targets an earlier run left unknown or in flight.
//
// The rule (documented in docs/bulk.md): found (same type and content, created after the
// journaled start) → applied, with its id; certainly absent once the platform's write has had
// time to appear (Options.SettleDelay after the start) → sent again, journaled like any send;
// anything else → stays unknown, with the reason.
type Reconciler interface {
	// Reconcile looks for t's attempt begun at since (a lower bound: the journaled start).
	// It is called only once SettleDelay has passed since then.
	Reconcile(ctx context.Context, t Target, since time.Time) Reconciliation
}

// Verdict is what a reconciliation found.
type Verdict int

const (
	// Undecided: the attempt may or may not have been applied (Reason says why).
	Undecided Verdict = iota
	// Applied: the attempt was found on the platform (Detail and Extra describe it).
	Applied
	// Absent: the attempt is certainly not on the platform: safe to apply again.
	Absent
)

// Reconciliation is the answer of Reconciler.Reconcile.
type Reconciliation struct {
	Verdict Verdict
	Detail  string // Applied: the result line, e.g. "sent message 88002 on Support WhatsApp"
	Extra   Facts  // Applied: as Result.Extra
	Reason  string // Undecided: why, e.g. "2 identical messages since the send"
}

// DefaultSettleDelay is how long after an attempt's start the engine waits before calling an
// absent attempt certainly absent: a request cut off in flight may still be applied by the
// platform for a moment (the server reads it in full before answering).
const DefaultSettleDelay = 5 * time.Second

// maxReconcileRounds bounds send-again-and-reconcile cycles per target within one run.
const maxReconcileRounds = 3

func reconcilerOf(a Action) (Reconciler, bool) {
	if a.Idempotent() {
		return nil, false
	}
	r, ok := a.(Reconciler)
	return r, ok
}

// reconcile settles one target whose outcome is unknown (see Reconciler). ctx is the run's
// (Ctrl-C stops the wait); applyCtx carries the reads and a send made again.
func (r *runner) reconcile(ctx, applyCtx context.Context, it workItem) {
	rec, _ := reconcilerOf(r.action)
	since := it.started
	if since.IsZero() {
		since = r.opts.Since // no start recorded (an older journal, lost records): the run's own start
	}
	settle := r.opts.SettleDelay
	if settle == 0 {
		settle = DefaultSettleDelay
	}
	if wait := since.Add(settle).Sub(r.opts.now()()); wait > 0 {
		t := time.NewTimer(wait)
		select {
		case <-t.C:
		case <-ctx.Done():
			t.Stop()
			r.settleUnknown(it, "interrupted before it could be checked")
			return
		}
	}
	var found Reconciliation
	func() {
		defer func() {
			if p := recover(); p != nil {
				found = Reconciliation{Reason: "checking it failed"}
			}
		}()
		found = rec.Reconcile(applyCtx, it.target, since)
	}()
	switch found.Verdict {
	case Applied:
		res := Result{Target: it.target, Outcome: OutcomeDone, Detail: found.Detail + " (found on the platform after its outcome was unknown)", Extra: found.Extra}
		r.finish(it, res)
	case Absent:
		if it.round >= maxReconcileRounds {
			r.settleUnknown(it, "sent again and lost again too many times")
			return
		}
		again := it
		again.mode, again.round = modeApply, it.round+1
		r.process(applyCtx, again)
	default:
		r.settleUnknown(it, found.Reason)
	}
}

// settleUnknown journals and reports an unknown outcome that reconciliation could not settle.
func (r *runner) settleUnknown(it workItem, reason string) {
	detail := "outcome unknown"
	if it.earlierRun {
		detail += " since an earlier run"
	}
	if reason != "" {
		detail += " (" + reason + ")"
	}
	detail += "; not resent — check it by hand"
	r.finish(it, Result{Target: it.target, Outcome: OutcomeUnknown, Detail: detail, Earlier: it.mode == modeStillUnknown})
}

// finish journals a settled result and reports it.
func (r *runner) finish(it workItem, res Result) {
	if j := r.opts.Journal; j != nil {
		if err := j.result(it.i, res); err != nil {
			r.halt(err)
		}
	}
	r.report(res, it.target)
}

// deferUnknown keeps an unknown target for the reconciliation phase instead of reporting it now.
func (r *runner) deferUnknown(it workItem) {
	r.mu.Lock()
	r.pending = append(r.pending, it)
	r.mu.Unlock()
}

func (r *runner) takePending() []workItem {
	r.mu.Lock()
	defer r.mu.Unlock()
	p := r.pending
	r.pending = nil
	return p
}
