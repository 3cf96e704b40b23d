package bulk

import (
	"context"
	"os"
	"strings"
	"testing"
)

// These tests write the journal a killed process (kill -9) leaves behind, then resume it.

func TestCrashMidSendIsReportedUnknownNeverResent(t *testing.T) {
	ts := targetsN(3)
	j := newTestJournal(t, "send", ts)
	j.start(0, true)
	j.result(0, Result{Target: ts[0], Outcome: OutcomeDone, Detail: "sent", Extra: Facts{MessageID: 88002}})
	j.start(1, true) // killed here: the send may or may not have reached the platform

	a := newFake("send", false)
	var got collect
	first := reopen(t, j)
	sum, err := Resume(context.Background(), a, first, Options{OnResult: got.add})
	if err != nil {
		t.Fatal(err)
	}
	if sum.AlreadyComplete != 1 || sum.Unknown != 1 || sum.Done != 1 || !sum.Partial() {
		t.Fatalf("summary = %+v", sum)
	}
	if a.attemptsOf("id:1") != 0 || a.attemptsOf("id:2") != 0 || a.attemptsOf("id:3") != 1 {
		t.Fatalf("attempts = %v", a.attempts)
	}
	if r := got.byID()["id:2"]; r.Outcome != OutcomeUnknown || !strings.Contains(r.Detail, "not resent") {
		t.Errorf("id:2 = %+v", r)
	}

	// The unknown is now journaled: another resume reports it again and still does not resend.
	again := newFake("send", false)
	re := reopen(t, first)
	if e := re.State().Results[1]; e.Outcome != OutcomeUnknown {
		t.Fatalf("journaled %+v", e)
	}
	sum2, err := Resume(context.Background(), again, re, Options{})
	if err != nil || sum2.Unknown != 1 || sum2.AlreadyComplete != 2 || again.attemptsOf("id:2") != 0 {
		t.Fatalf("second resume %+v err %v attempts %v", sum2, err, again.attempts)
	}
}

func TestCrashMidIdempotentIsRecheckedAndRedoneOnlyIfNeeded(t *testing.T) {
	ts := targetsN(3)
	j := newTestJournal(t, "assign", ts)
	j.start(0, false)
	j.start(1, true) // two assignments in flight when killed

	a := newFake("assign", true)
	a.state["id:1"] = true // this one reached the server; id:2 did not
	sum, err := Resume(context.Background(), a, reopen(t, j), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Skipped != 1 || sum.Done != 2 || sum.Partial() {
		t.Fatalf("summary = %+v", sum)
	}
	if a.checksOf("id:1") != 1 || a.attemptsOf("id:1") != 0 {
		t.Errorf("id:1: %d checks, %d applies", a.checksOf("id:1"), a.attemptsOf("id:1"))
	}
	if a.checksOf("id:2") != 1 || a.attemptsOf("id:2") != 1 {
		t.Errorf("id:2: %d checks, %d applies", a.checksOf("id:2"), a.attemptsOf("id:2"))
	}
	if a.checksOf("id:3") != 0 || a.attemptsOf("id:3") != 1 {
		t.Errorf("id:3 (never started): %d checks, %d applies", a.checksOf("id:3"), a.attemptsOf("id:3"))
	}
}

func TestResumeRetriesFailedTargets(t *testing.T) {
	ts := targetsN(2)
	j := newTestJournal(t, "send", ts)
	j.start(0, true)
	j.result(0, Result{Target: ts[0], Outcome: OutcomeFailed, Detail: "HTTP 400: channel not connected"})
	a := newFake("send", false)
	sum, err := Resume(context.Background(), a, reopen(t, j), Options{})
	if err != nil || sum.Done != 2 || a.attemptsOf("id:1") != 1 {
		t.Fatalf("summary %+v err %v", sum, err)
	}
}

func TestResumeKeepsThePlan(t *testing.T) {
	ts := PlanTargets(Balance(targetsN(3), []string{"a", "b"}, map[string]int{"a": 5}))
	j := newTestJournal(t, "assign", ts)
	var got collect
	if _, err := Resume(context.Background(), newFake("assign", true), reopen(t, j), Options{OnResult: got.add}); err != nil {
		t.Fatal(err)
	}
	r := got.byID()
	if r["id:1"].Detail != "assigned b" || r["id:2"].Detail != "assigned b" || r["id:3"].Detail != "assigned b" {
		t.Errorf("results = %+v", r)
	}
}

func TestResumeRefusesAnotherAction(t *testing.T) {
	j := newTestJournal(t, "send", targetsN(1))
	_, err := Resume(context.Background(), newFake("assign", true), j, Options{})
	if err == nil || !strings.Contains(err.Error(), `records "send", not "assign"`) {
		t.Fatalf("err = %v", err)
	}
	if _, err := Resume(context.Background(), newFake("assign", true), nil, Options{}); err == nil {
		t.Fatal("nil journal accepted")
	}
}

func TestJournalResultsCarryExtra(t *testing.T) {
	ts := targetsN(1)
	j := newTestJournal(t, "send", ts)
	a := &extraAction{fakeAction: newFake("send", false)}
	if _, err := Run(context.Background(), a, ts, Options{Journal: j}); err != nil {
		t.Fatal(err)
	}
	if e := reopen(t, j).State().Results[0]; e.Extra.MessageID != 88002 || e.At.IsZero() {
		t.Fatalf("entry = %+v", e)
	}
}

type extraAction struct{ *fakeAction }

func (a *extraAction) Apply(ctx context.Context, t Target) Result {
	r := a.fakeAction.Apply(ctx, t)
	r.Extra = Facts{MessageID: 88002}
	return r
}

// A send must only go out once its start record is on disk: read the file
// from inside Apply, as a crash right then would leave it.
func TestStartRecordIsOnDiskBeforeASend(t *testing.T) {
	ts := targetsN(4)
	j := newTestJournal(t, "send", ts)
	a := &diskCheckingAction{fakeAction: newFake("send", false), t: t, path: j.Path(), index: map[string]int{}}
	for i, tg := range ts {
		a.index[tg.ID] = i
	}
	sum, err := Run(context.Background(), a, ts, Options{Workers: 2, Journal: j})
	if err != nil || sum.Done != 4 {
		t.Fatalf("summary %+v err %v", sum, err)
	}
}

type diskCheckingAction struct {
	*fakeAction
	t     *testing.T
	path  string
	index map[string]int
}

func (a *diskCheckingAction) Apply(ctx context.Context, tg Target) Result {
	f, err := os.Open(a.path)
	if err != nil {
		return Result{Err: err}
	}
	defer f.Close()
	st, err := ReadJournal(f)
	if err != nil {
		return Result{Err: err}
	}
	if !st.InFlight[a.index[tg.ID]] {
		a.t.Errorf("%s: no start record on disk before the send", tg.ID)
	}
	return a.fakeAction.Apply(ctx, tg)
}
