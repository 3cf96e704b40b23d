package bulk

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
)

// errNotWritten stands for apiclient.ErrNotSent: the call gave up before writing its request.
var errNotWritten = errors.New("not sent")

type stopKey struct{}

// stopOptions wires the engine's stop-before-writing signal to pacedAction, as the command
// layer wires it to the API client.
func stopOptions(o Options) Options {
	o.StopBeforeWrite = func(ctx, stop context.Context) context.Context {
		return context.WithValue(ctx, stopKey{}, stop)
	}
	o.NotAttempted = func(err error) bool { return errors.Is(err, errNotWritten) }
	return o
}

// pacedAction makes its Apply like the API client makes a send: an optional read in flight
// (reading, for the ids in slowRead, until its ctx is cut off), a wait for a token of a fake
// rate limiter that gives up (errNotWritten) when the run's stop-before-writing signal fires,
// the Commit, the write (announced on written) and the wait for its answer. Every phase is
// announced on a channel, so tests synchronise on events, never on sleeps.
type pacedAction struct {
	name       string
	idempotent bool

	tokens   chan struct{} // the limiter: one token per request that may leave
	answers  chan struct{} // one answer per written request
	slowRead map[string]bool
	reading  chan string // a slow read is in flight
	waiting  chan string // waiting for the limiter
	written  chan string // the request was written

	mu     sync.Mutex
	writes map[string]int
	checks map[string]int
}

func newPaced(name string, idempotent bool, targets int) *pacedAction {
	return &pacedAction{name: name, idempotent: idempotent,
		tokens: make(chan struct{}, 100), answers: make(chan struct{}, 100), slowRead: map[string]bool{},
		reading: make(chan string, targets), waiting: make(chan string, targets), written: make(chan string, targets),
		writes: map[string]int{}, checks: map[string]int{}}
}

func (a *pacedAction) Name() string       { return a.name }
func (a *pacedAction) Idempotent() bool   { return a.idempotent }
func (a *pacedAction) DefersCommit() bool { return true }

func (a *pacedAction) Check(_ context.Context, t Target) (bool, string, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.checks[t.ID]++
	return a.writes[t.ID] > 0, a.name, nil
}

func (a *pacedAction) Apply(ctx context.Context, t Target) Result {
	if a.slowRead[t.ID] {
		a.reading <- t.ID
		<-ctx.Done() // a read already written is not given up at the first Ctrl-C
		return Result{Outcome: OutcomeFailed, Err: fmt.Errorf("GET /contact/%s/channels: %w", t.ID, ctx.Err())}
	}
	stop, _ := ctx.Value(stopKey{}).(context.Context)
	var stopped <-chan struct{}
	if stop != nil {
		stopped = stop.Done()
	}
	a.waiting <- t.ID
	select {
	case <-a.tokens:
	case <-stopped:
		return Result{Outcome: OutcomeFailed, Err: errNotWritten}
	case <-ctx.Done():
		return Result{Outcome: OutcomeFailed, Err: fmt.Errorf("%w: %w", errNotWritten, ctx.Err())}
	}
	if stop != nil && stop.Err() != nil { // the client's last check before writing
		return Result{Outcome: OutcomeFailed, Err: errNotWritten}
	}
	if err := Commit(ctx); err != nil {
		return Result{Err: err}
	}
	a.mu.Lock()
	a.writes[t.ID]++
	a.mu.Unlock()
	a.written <- t.ID
	select {
	case <-a.answers:
		return Result{Detail: "sent"}
	case <-ctx.Done():
		return Result{Err: ctx.Err()} // cut off mid-request
	}
}

func (a *pacedAction) writesOf(id string) int {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.writes[id]
}

func (a *pacedAction) totalWrites() int {
	a.mu.Lock()
	defer a.mu.Unlock()
	n := 0
	for _, k := range a.writes {
		n += k
	}
	return n
}

// pacedRun starts Run in the background; the test cancels ctx (first Ctrl-C) and closes abort
// (second).
type pacedRun struct {
	cancel context.CancelFunc
	abort  chan struct{}
	out    chan Summary
	got    collect
}

func startPaced(t *testing.T, a Action, j *Journal, workers int) *pacedRun {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	r := &pacedRun{cancel: cancel, abort: make(chan struct{}), out: make(chan Summary, 1)}
	go func() {
		sum, err := Run(ctx, a, j.Targets(), stopOptions(Options{Workers: workers, Journal: j, Abort: r.abort, OnResult: r.got.add}))
		if err != nil {
			t.Error(err)
		}
		r.out <- sum
	}()
	return r
}

func receive(t *testing.T, ch <-chan string, n int) []string {
	t.Helper()
	var ids []string
	for range n {
		ids = append(ids, <-ch)
	}
	return ids
}

// After the first Ctrl-C a send still waiting for the rate limiter is given up: not written,
// not journaled, counted not attempted; the sends already written finish and are recorded;
// --resume sends the rest, every target exactly once.
func TestFirstInterruptGivesUpSendsNotWritten(t *testing.T) {
	const n = 8
	j := newTestJournal(t, "send", targetsN(n))
	a := newPaced("send", false, n)
	a.tokens <- struct{}{}
	a.tokens <- struct{}{}
	run := startPaced(t, a, j, 4)
	receive(t, a.waiting, 4)
	sent := receive(t, a.written, 2) // two went out; two wait for the limiter

	run.cancel()
	for range n { // the limiter lets them go now, the server answers: still none may be written
		a.tokens <- struct{}{}
		a.answers <- struct{}{}
	}
	sum := <-run.out
	if !sum.Interrupted || sum.Done != 2 || sum.NotAttempted != n-2 || sum.Failed != 0 || sum.Unknown != 0 {
		t.Fatalf("summary = %+v", sum)
	}
	if got := a.totalWrites(); got != 2 {
		t.Fatalf("%d requests written, want the 2 written before the interrupt", got)
	}
	for _, r := range run.got.byID() {
		if r.Outcome != OutcomeDone {
			t.Errorf("reported %+v; only the sends written may be reported", r)
		}
	}

	re := reopen(t, j)
	if st := re.State(); len(st.Results) != 2 || len(st.InFlight) != 0 {
		t.Fatalf("journal: %d results, in flight %v (given-up sends must leave no record)", len(st.Results), st.InFlight)
	}
	second := newPaced("send", false, n)
	for range n {
		second.tokens <- struct{}{}
		second.answers <- struct{}{}
	}
	sum2, err := Resume(context.Background(), second, re, stopOptions(Options{Workers: 4}))
	if err != nil {
		t.Fatal(err)
	}
	if sum2.AlreadyComplete != 2 || sum2.Done != n-2 || sum2.Partial() || sum2.Interrupted {
		t.Fatalf("resume summary = %+v", sum2)
	}
	for _, tg := range re.Targets() {
		if k := a.writesOf(tg.ID) + second.writesOf(tg.ID); k != 1 {
			t.Errorf("%s sent %d times", tg.ID, k)
		}
	}
	for _, id := range sent {
		if second.writesOf(id) != 0 {
			t.Errorf("%s resent", id)
		}
	}
}

// The second Ctrl-C cuts off what is still going: a send written is unknown (as before), a send
// not written yet (its read in flight, or waiting for the limiter) is not attempted — never
// "failed: context canceled".
func TestSecondInterruptLeavesUnwrittenSendsNotAttempted(t *testing.T) {
	const n = 8
	j := newTestJournal(t, "send", targetsN(n))
	a := newPaced("send", false, n)
	a.slowRead["id:1"] = true
	a.tokens <- struct{}{}
	run := startPaced(t, a, j, 3)
	receive(t, a.reading, 1)
	receive(t, a.waiting, 2)
	receive(t, a.written, 1) // id:1 reading, one send written, one waiting for the limiter

	run.cancel()
	close(run.abort)
	sum := <-run.out
	if !sum.Interrupted || sum.Unknown != 1 || sum.Failed != 0 || sum.Done != 0 || sum.NotAttempted != n-1 {
		t.Fatalf("summary = %+v", sum)
	}
	for _, r := range run.got.byID() {
		if r.Outcome != OutcomeUnknown {
			t.Errorf("reported %+v; only the send written may be reported (unknown)", r)
		}
	}

	// The resume sends the not attempted ones and never resends the one cut off mid-request.
	second := newPaced("send", false, n)
	for range n {
		second.tokens <- struct{}{}
		second.answers <- struct{}{}
	}
	sum2, err := Resume(context.Background(), second, reopen(t, j), stopOptions(Options{Workers: 4}))
	if err != nil {
		t.Fatal(err)
	}
	if sum2.Done != n-1 || sum2.Unknown != 1 || sum2.Failed != 0 {
		t.Fatalf("resume summary = %+v", sum2)
	}
	for _, tg := range j.Targets() {
		if k := a.writesOf(tg.ID) + second.writesOf(tg.ID); k != 1 {
			t.Errorf("%s written %d times", tg.ID, k)
		}
	}
}

// An idempotent action (tag) given up at the first Ctrl-C is not attempted too; its start
// record makes the resume re-check it before applying.
func TestFirstInterruptGivesUpIdempotentNotWritten(t *testing.T) {
	const n = 4
	j := newTestJournal(t, "tag", targetsN(n))
	a := newPaced("tag", true, n)
	a.tokens <- struct{}{}
	run := startPaced(t, a, j, 2)
	receive(t, a.waiting, 2)
	receive(t, a.written, 1)
	run.cancel()
	for range n {
		a.tokens <- struct{}{}
		a.answers <- struct{}{}
	}
	sum := <-run.out
	if !sum.Interrupted || sum.Done != 1 || sum.NotAttempted != n-1 || sum.Failed != 0 {
		t.Fatalf("summary = %+v", sum)
	}
	if got := a.totalWrites(); got != 1 {
		t.Fatalf("%d requests written, want 1", got)
	}
	second := newPaced("tag", true, n)
	for range n {
		second.tokens <- struct{}{}
		second.answers <- struct{}{}
	}
	sum2, err := Resume(context.Background(), second, reopen(t, j), stopOptions(Options{Workers: 2}))
	if err != nil {
		t.Fatal(err)
	}
	if sum2.AlreadyComplete != 1 || sum2.Done != n-1 || sum2.Partial() {
		t.Fatalf("resume summary = %+v", sum2)
	}
	for _, tg := range j.Targets() {
		if k := a.writesOf(tg.ID) + second.writesOf(tg.ID); k != 1 {
			t.Errorf("%s written %d times", tg.ID, k)
		}
	}
}
