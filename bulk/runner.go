package bulk

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"
)

type workMode int

const (
	modeApply        workMode = iota // not attempted yet (or failed before): apply
	modeRecheck                      // idempotent, outcome not recorded: Check, Apply only if needed
	modeLostInFlight                 // non-idempotent, started but no result: unknown, never resent
	modeStillUnknown                 // non-idempotent, journaled unknown earlier: report again only
)

type workItem struct {
	i       int
	target  Target
	mode    workMode
	earlier JournalEntry
	started time.Time // the journaled start of the attempt whose outcome is unknown (zero: not recorded)
	reason  string    // why the outcome is unknown, when not the usual
	// round counts send-again cycles of reconciliation; earlierRun: unknown since an earlier run.
	round      int
	earlierRun bool
}

type runner struct {
	action Action
	opts   Options

	stopOnce sync.Once
	stop     chan struct{} // closed on a fatal error: hand out no more work
	// interrupt is Run's ctx (the first Ctrl-C): the stop-before-writing signal of calls
	// that can still be taken back.
	interrupt context.Context

	mu       sync.Mutex // serialises counting, progress and OnResult
	sum      Summary
	fatalErr error
	pending  []workItem // unknown outcomes waiting for reconciliation (Reconciler actions)
}

func newRunner(action Action, opts Options) *runner {
	if opts.Workers <= 0 {
		opts.Workers = DefaultWorkers
	}
	if opts.Progress == nil {
		opts.Progress = noProgress{}
	}
	if opts.DryRun {
		opts.Journal = nil // a dry run writes nothing
	}
	return &runner{action: action, opts: opts, stop: make(chan struct{})}
}

func (r *runner) run(ctx context.Context, items []workItem, complete int) (Summary, error) {
	now := r.opts.now()
	start := now()
	r.sum = Summary{Action: r.action.Name(), Total: len(items) + complete, AlreadyComplete: complete, DryRun: r.opts.DryRun}
	if r.opts.Journal != nil {
		r.sum.JournalPath = r.opts.Journal.Path()
	}

	// In-flight calls outlive a first Ctrl-C (ctx) but not Abort; those that have not
	// written anything yet give up at the first Ctrl-C (see stoppable).
	r.interrupt = ctx
	applyCtx, cancelApply := context.WithCancel(context.WithoutCancel(ctx))
	defer cancelApply()
	if r.opts.Abort != nil {
		go func() {
			select {
			case <-r.opts.Abort:
				cancelApply()
			case <-applyCtx.Done():
			}
		}()
	}

	r.opts.Progress.Start(len(items))
	r.dispatch(ctx, items, func(it workItem) { r.process(applyCtx, it) })
	// Unknown outcomes are reconciled before the run ends (a send found is done, one certainly
	// absent is sent again); what is still unknown after that is reported as such.
	for round := 0; round <= maxReconcileRounds; round++ {
		pending := r.takePending()
		if len(pending) == 0 {
			break
		}
		if ctx.Err() != nil || r.stopped() {
			r.mu.Lock()
			r.pending = append(pending, r.pending...)
			r.mu.Unlock()
			break
		}
		r.dispatch(ctx, pending, func(it workItem) { r.reconcile(ctx, applyCtx, it) })
	}
	for _, it := range r.takePending() {
		r.settleUnknown(it, "the run stopped before it could be checked")
	}
	r.opts.Progress.Finish()

	r.mu.Lock()
	defer r.mu.Unlock()
	s := r.sum
	s.Elapsed = now().Sub(start)
	settled := s.Done + s.Skipped + s.Failed + s.Unknown + s.WouldChange
	s.NotAttempted = s.Total - s.AlreadyComplete - settled
	if secs := s.Elapsed.Seconds(); secs > 0 {
		s.Rate = float64(settled) / secs
	}
	s.Interrupted = ctx.Err() != nil && s.NotAttempted > 0
	return s, r.fatalErr
}

// dispatch hands items to the workers, one at a time as they free up, until ctx is cancelled
// or a fatal error stops the run; it returns when every handed-out item is processed.
func (r *runner) dispatch(ctx context.Context, items []workItem, fn func(workItem)) {
	work := make(chan workItem) // unbuffered: an item is handed out only when a worker is free
	var wg sync.WaitGroup
	for w := 0; w < min(r.opts.Workers, len(items)); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for it := range work {
				// An item handed over in the same instant as Ctrl-C stays for the resume.
				if ctx.Err() != nil || r.stopped() {
					continue
				}
				fn(it)
			}
		}()
	}
dispatch:
	for _, it := range items {
		if ctx.Err() != nil || r.stopped() {
			break
		}
		select {
		case work <- it:
		case <-ctx.Done():
			break dispatch
		case <-r.stop:
			break dispatch
		}
	}
	close(work)
	wg.Wait()
}

func (r *runner) stopped() bool {
	select {
	case <-r.stop:
		return true
	default:
		return false
	}
}

// halt records the first fatal error and stops the dispatch loop.
func (r *runner) halt(err error) {
	r.mu.Lock()
	if r.fatalErr == nil {
		r.fatalErr = err
	}
	r.mu.Unlock()
	r.stopOnce.Do(func() { close(r.stop) })
}

func (r *runner) process(ctx context.Context, it workItem) {
	j := r.opts.Journal
	var res Result
	_, reconcilable := reconcilerOf(r.action)
	reconcilable = reconcilable && !r.opts.DryRun
	switch {
	case reconcilable && (it.mode == modeStillUnknown || it.mode == modeLostInFlight):
		it.earlierRun = true
		r.deferUnknown(it) // checked against the platform before the run ends
		return
	case it.mode == modeStillUnknown:
		res = Result{Outcome: OutcomeUnknown, Earlier: true,
			Detail: "outcome unknown since an earlier run (" + it.earlier.Detail + "); not resent — check it by hand"}
		r.report(res, it.target)
		return // already journaled as unknown
	case it.mode == modeLostInFlight:
		why := it.reason
		if why == "" {
			why = "the earlier run stopped while this was in flight"
		}
		res = Result{Outcome: OutcomeUnknown, Detail: why + "; outcome unknown, not resent — check it by hand"}
	case r.opts.DryRun:
		res = r.dryRun(r.stoppable(ctx), it.target)
		if r.notWritten(ctx, res) {
			return // interrupted before its reads: not attempted
		}
	default:
		cp := &commitPoint{}
		switch {
		case j != nil && it.mode == modeApply && defersCommit(r.action):
			// The action calls Commit just before its request; the start is journaled then.
			cp.mark = func() error {
				if err := j.start(it.i, true); err != nil {
					r.halt(err) // without a durable start record a send must not go out
					return err
				}
				return nil
			}
		case j != nil && it.mode == modeApply:
			if err := j.start(it.i, !r.action.Idempotent()); err != nil {
				r.halt(err) // without a durable start record a send must not go out
				return
			}
			cp.committed.Store(true)
		default:
			cp.committed.Store(!defersCommit(r.action))
		}
		// Until its point of no return a call can still be given up when the run is stopped:
		// an idempotent one always (resume re-checks it), a CommitDeferrer before Commit.
		// An action committed before Apply (comment, journaled as started) runs to its end.
		actx := ctx
		if r.action.Idempotent() || !cp.committed.Load() {
			actx = r.stoppable(ctx)
		}
		var ok bool
		if res, ok = r.checkFirst(actx, it); !ok {
			if reconcilable {
				it.started = r.opts.now()()
			}
			res = r.apply(context.WithValue(actx, commitKey{}, cp), it.target, cp)
		}
		if (r.action.Idempotent() || !cp.committed.Load()) && r.notWritten(ctx, res) {
			// Nothing of it was written (or, idempotent, it is re-checked before being redone):
			// no result, counted not attempted; a journaled start of an idempotent action
			// leaves it in flight for --resume to re-check.
			return
		}
		if reconcilable && res.Outcome == OutcomeUnknown {
			res.Target = it.target
			if j != nil {
				if err := j.result(it.i, res); err != nil { // a crash from here on leaves it for --resume to check
					r.halt(err)
				}
			}
			it.earlierRun = false
			r.deferUnknown(it)
			return
		}
	}
	res.Target = it.target
	if j != nil {
		if err := j.result(it.i, res); err != nil {
			r.halt(err)
			// Still tell the user: the change may have happened even if we could not record it.
		}
	}
	if res.Err != nil && r.opts.Fatal != nil && r.opts.Fatal(res.Err) {
		r.halt(res.Err)
	}
	r.report(res, it.target)
}

// stoppable gives ctx the run's stop-before-writing signal (Options.StopBeforeWrite).
func (r *runner) stoppable(ctx context.Context) context.Context {
	if r.opts.StopBeforeWrite == nil || r.interrupt == nil {
		return ctx
	}
	return r.opts.StopBeforeWrite(ctx, r.interrupt)
}

// notWritten says whether res, of a call that had not reached its point of no return, ends
// it without anything written: given up at the first Ctrl-C (Options.NotAttempted), or cut
// off by the second (ctx, the Apply context, is aborted) — an idempotent call cut off
// mid-request included, since a resume re-checks it before doing anything.
func (r *runner) notWritten(ctx context.Context, res Result) bool {
	switch res.Outcome {
	case OutcomeDone, OutcomeSkipped, OutcomeWouldChange:
		return false
	}
	if res.Err != nil && r.opts.NotAttempted != nil && r.opts.NotAttempted(res.Err) {
		return true
	}
	return ctx.Err() != nil && (r.action.Idempotent() || errors.Is(res.Err, context.Canceled))
}

// checkFirst reads state before applying when asked to (or when resuming an
// idempotent target whose outcome was lost). ok means res is final.
func (r *runner) checkFirst(ctx context.Context, it workItem) (res Result, ok bool) {
	if !r.action.Idempotent() || (it.mode != modeRecheck && !r.opts.CheckFirst) {
		return Result{}, false
	}
	already, change, err := r.action.Check(ctx, it.target)
	switch {
	case err != nil:
		return Result{Outcome: OutcomeFailed, Err: err, Detail: err.Error()}, true
	case already:
		return Result{Outcome: OutcomeSkipped, Detail: change}, true
	}
	return Result{}, false
}

func (r *runner) dryRun(ctx context.Context, t Target) Result {
	already, change, err := r.action.Check(ctx, t)
	switch {
	case err != nil:
		return Result{Outcome: OutcomeFailed, Err: err, Detail: err.Error()}
	case already:
		return Result{Outcome: OutcomeSkipped, Detail: change}
	}
	res := Result{Outcome: OutcomeWouldChange, Detail: "would " + change}
	if pl, ok := r.action.(Planner); ok {
		res.Extra = pl.Planned(t)
	}
	return res
}

// apply calls Action.Apply and settles the outcome. A panic in the action is
// contained to its target; for a non-idempotent action it may have happened
// after the request left, so it is unknown.
func (r *runner) apply(ctx context.Context, t Target, cp *commitPoint) (res Result) {
	defer func() {
		if p := recover(); p != nil {
			err := fmt.Errorf("internal error: %v", p)
			res = Result{Outcome: OutcomeFailed, Err: err, Detail: err.Error()}
			if !r.action.Idempotent() && cp.committed.Load() {
				res.Outcome = OutcomeUnknown
			}
		}
	}()
	res = r.action.Apply(ctx, t)
	if res.Err != nil && res.Outcome == "" {
		res.Outcome = r.opts.classify(res.Err)
	}
	if res.Outcome == "" {
		res.Outcome = OutcomeDone
	}
	// Aborted mid-send: unless it is known to have gone through, it may have (once committed).
	if ctx.Err() != nil && !r.action.Idempotent() && res.Outcome == OutcomeFailed && cp.committed.Load() {
		res.Outcome = OutcomeUnknown
	}
	if res.Detail == "" && res.Err != nil {
		res.Detail = res.Err.Error()
	}
	return res
}

func (o Options) classify(err error) Outcome {
	if o.Classify != nil {
		if out := o.Classify(err); out == OutcomeUnknown || out == OutcomeFailed {
			return out
		}
	}
	return OutcomeFailed
}

func (r *runner) report(res Result, t Target) {
	res.Target = t
	r.mu.Lock()
	defer r.mu.Unlock()
	switch res.Outcome {
	case OutcomeDone:
		r.sum.Done++
	case OutcomeSkipped:
		r.sum.Skipped++
	case OutcomeWouldChange:
		r.sum.WouldChange++
	case OutcomeUnknown:
		r.sum.Unknown++
	default:
		r.sum.Failed++
	}
	r.opts.Progress.Increment(res)
	if r.opts.OnResult != nil {
		r.opts.OnResult(res)
	}
}

type noProgress struct{}

func (noProgress) Start(int)        {}
func (noProgress) Increment(Result) {}
func (noProgress) Finish()          {}
