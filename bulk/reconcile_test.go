package bulk

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"
)

// reconcilingSend loses the answer of every target's first send; Reconcile says what the
// platform shows for it.
type reconcilingSend struct {
	mu       sync.Mutex
	attempts map[string]int
	verdict  map[string]Verdict
}

func (a *reconcilingSend) Name() string     { return "send" }
func (a *reconcilingSend) Idempotent() bool { return false }
func (a *reconcilingSend) Check(context.Context, Target) (bool, string, error) {
	return false, "send", nil
}
func (a *reconcilingSend) Apply(_ context.Context, t Target) Result {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.attempts[t.ID]++
	if a.attempts[t.ID] == 1 {
		return Result{Outcome: OutcomeUnknown, Detail: "connection reset"}
	}
	return Result{Detail: "sent again"}
}
func (a *reconcilingSend) Reconcile(_ context.Context, t Target, since time.Time) Reconciliation {
	a.mu.Lock()
	defer a.mu.Unlock()
	switch a.verdict[t.ID] {
	case Applied:
		return Reconciliation{Verdict: Applied, Detail: "sent message 7", Extra: Facts{MessageID: 7}}
	case Absent:
		return Reconciliation{Verdict: Absent}
	}
	return Reconciliation{Reason: "two identical messages"}
}

// Unknown outcomes are reconciled before the run ends: found → done with its id, absent →
// sent again once, undecidable → unknown with the reason. The journal agrees, so a resume
// touches nothing.
func TestUnknownSendsAreReconciledBeforeTheRunEnds(t *testing.T) {
	ts := targetsN(3)
	j := newTestJournal(t, "send", ts)
	a := &reconcilingSend{attempts: map[string]int{}, verdict: map[string]Verdict{"id:1": Applied, "id:2": Absent, "id:3": Undecided}}
	var got collect
	sum, err := Run(context.Background(), a, ts, Options{Journal: j, OnResult: got.add, SettleDelay: time.Nanosecond})
	if err != nil {
		t.Fatal(err)
	}
	res := got.byID()
	if r := res["id:1"]; r.Outcome != OutcomeDone || r.Extra.MessageID != 7 || a.attempts["id:1"] != 1 {
		t.Errorf("found: %+v, attempts %d", r, a.attempts["id:1"])
	}
	if r := res["id:2"]; r.Outcome != OutcomeDone || a.attempts["id:2"] != 2 {
		t.Errorf("absent: %+v, attempts %d", r, a.attempts["id:2"])
	}
	if r := res["id:3"]; r.Outcome != OutcomeUnknown || !strings.Contains(r.Detail, "two identical messages") || a.attempts["id:3"] != 1 {
		t.Errorf("undecidable: %+v, attempts %d", r, a.attempts["id:3"])
	}
	if sum.Done != 2 || sum.Unknown != 1 || len(got.results) != 3 {
		t.Fatalf("summary %+v, %d results reported", sum, len(got.results))
	}

	// A resume reconciles the one still unknown again (the platform now shows it) and sends nothing.
	a.verdict["id:3"] = Applied
	re := reopen(t, j)
	var again collect
	sum, err = Resume(context.Background(), a, re, Options{OnResult: again.add, SettleDelay: time.Nanosecond})
	if err != nil || sum.AlreadyComplete != 2 || sum.Done != 1 || a.attempts["id:3"] != 1 {
		t.Fatalf("resume: %+v err %v attempts %v", sum, err, a.attempts)
	}
}

// A target left in flight by a killed run is reconciled on --resume once the settle delay has
// passed since its journaled start.
func TestResumeReconcilesInFlightSendsAfterTheSettleDelay(t *testing.T) {
	ts := targetsN(1)
	j := newTestJournal(t, "send", ts)
	now := time.Now()
	j.now = func() time.Time { return now }
	j.start(0, true)
	a := &reconcilingSend{attempts: map[string]int{"id:1": 1}, verdict: map[string]Verdict{"id:1": Absent}}
	re := reopen(t, j)
	t0 := time.Now()
	sum, err := Resume(context.Background(), a, re, Options{SettleDelay: 300 * time.Millisecond})
	if err != nil || sum.Done != 1 || a.attempts["id:1"] != 2 {
		t.Fatalf("summary %+v err %v attempts %v", sum, err, a.attempts)
	}
	if waited := time.Since(t0); waited < 200*time.Millisecond {
		t.Fatalf("sent again %s after the start: before the platform's write could appear", waited)
	}
}
