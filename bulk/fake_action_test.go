package bulk

import (
	"context"
	"sync"
	"sync/atomic"
)

// fakeAction records every call. With gate set, Apply blocks until it takes a
// token from gate or its ctx is cancelled; entered (buffered) announces each
// Apply as it starts, so tests synchronise on events, never on sleeps.
type fakeAction struct {
	name       string
	idempotent bool
	gate       chan struct{}
	entered    chan string
	fail       map[string]error
	panicOn    string

	mu       sync.Mutex
	attempts map[string]int  // Apply calls per id
	checks   map[string]int  // Check calls per id
	state    map[string]bool // ids already in the desired state

	inFlight, maxInFlight atomic.Int64
}

func newFake(name string, idempotent bool) *fakeAction {
	return &fakeAction{name: name, idempotent: idempotent, fail: map[string]error{},
		attempts: map[string]int{}, checks: map[string]int{}, state: map[string]bool{}}
}

func (a *fakeAction) Name() string     { return a.name }
func (a *fakeAction) Idempotent() bool { return a.idempotent }

func (a *fakeAction) Check(ctx context.Context, t Target) (bool, string, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.checks[t.ID]++
	if a.state[t.ID] {
		return true, "already " + a.past(t), nil
	}
	return false, a.name + " " + t.Param("to"), nil
}

func (a *fakeAction) past(t Target) string { return a.name + "ed " + t.Param("to") }

func (a *fakeAction) Apply(ctx context.Context, t Target) Result {
	n := a.inFlight.Add(1)
	defer a.inFlight.Add(-1)
	for m := a.maxInFlight.Load(); n > m && !a.maxInFlight.CompareAndSwap(m, n); m = a.maxInFlight.Load() {
	}
	a.mu.Lock()
	a.attempts[t.ID]++
	a.mu.Unlock()
	if a.entered != nil {
		a.entered <- t.ID
	}
	if a.gate != nil {
		select {
		case <-a.gate:
		case <-ctx.Done():
			return Result{Err: ctx.Err()}
		}
	}
	if t.ID == a.panicOn {
		panic("boom")
	}
	if err := a.fail[t.ID]; err != nil {
		return Result{Err: err}
	}
	a.mu.Lock()
	a.state[t.ID] = true
	a.mu.Unlock()
	return Result{Detail: a.past(t)}
}

func (a *fakeAction) attemptsOf(id string) int {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.attempts[id]
}

func (a *fakeAction) checksOf(id string) int {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.checks[id]
}

// collect gathers OnResult calls (serialised by the engine; the lock is for the race detector's benefit).
type collect struct {
	mu      sync.Mutex
	results []Result
}

func (c *collect) add(r Result) {
	c.mu.Lock()
	c.results = append(c.results, r)
	c.mu.Unlock()
}

func (c *collect) byID() map[string]Result {
	c.mu.Lock()
	defer c.mu.Unlock()
	m := map[string]Result{}
	for _, r := range c.results {
		m[r.Target.ID] = r
	}
	return m
}
