package bulk

import (
	"context"
	"errors"
	"os"
	"strconv"
	"strings"
	"testing"
)

var errUnknown = errors.New("outcome unknown: connection reset after the request was sent")

func classifyTest(err error) Outcome {
	if errors.Is(err, errUnknown) {
		return OutcomeUnknown
	}
	return OutcomeFailed
}

func TestRunAllDone(t *testing.T) {
	ts := PlanTargets(RoundRobin(targetsN(50), []string{"a@x.com", "b@x.com"}))
	j := newTestJournal(t, "assign", ts)
	a := newFake("assign", true)
	var got collect
	sum, err := Run(context.Background(), a, ts, Options{Workers: 4, Journal: j, OnResult: got.add})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Done != 50 || sum.Total != 50 || sum.NotAttempted != 0 || sum.Partial() || sum.Interrupted || sum.JournalPath != j.Path() {
		t.Fatalf("summary = %+v", sum)
	}
	if r := got.byID()["id:2"]; r.Outcome != OutcomeDone || r.Detail != "assigned b@x.com" || len(got.results) != 50 {
		t.Errorf("result id:2 = %+v (%d results)", r, len(got.results))
	}
	st := j.State()
	if len(st.Results) != 50 || len(st.InFlight) != 0 {
		t.Errorf("journal: %d results, %d in flight", len(st.Results), len(st.InFlight))
	}
}

func TestRunNoTargetsIsANoOp(t *testing.T) {
	a := newFake("assign", true)
	sum, err := Run(context.Background(), a, nil, Options{})
	if err != nil || sum.Total != 0 || sum.Partial() || sum.Interrupted {
		t.Fatalf("summary %+v err %v", sum, err)
	}
}

func TestRunContinuesOnPerItemErrors(t *testing.T) {
	a := newFake("send", false)
	a.fail["id:3"] = errors.New("contact id:3 not found")
	a.fail["id:5"] = errUnknown
	var got collect
	sum, err := Run(context.Background(), a, targetsN(10), Options{Workers: 3, Classify: classifyTest, OnResult: got.add})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Done != 8 || sum.Failed != 1 || sum.Unknown != 1 || !sum.Partial() {
		t.Fatalf("summary = %+v", sum)
	}
	r := got.byID()
	if r["id:3"].Outcome != OutcomeFailed || r["id:3"].Detail != "contact id:3 not found" || r["id:3"].Err == nil {
		t.Errorf("id:3 = %+v", r["id:3"])
	}
	if r["id:5"].Outcome != OutcomeUnknown {
		t.Errorf("id:5 = %+v", r["id:5"])
	}
}

func TestRunStopsOnFatalError(t *testing.T) {
	errUnauthorized := errors.New("401 unauthorized")
	a := newFake("assign", true)
	a.fail["id:2"] = errUnauthorized
	sum, err := Run(context.Background(), a, targetsN(10), Options{Workers: 1,
		Fatal: func(err error) bool { return errors.Is(err, errUnauthorized) }})
	if !errors.Is(err, errUnauthorized) {
		t.Fatalf("err = %v", err)
	}
	if sum.Done != 1 || sum.Failed != 1 || sum.NotAttempted != 8 || a.attemptsOf("id:3") != 0 {
		t.Fatalf("summary = %+v", sum)
	}
}

func TestRunBoundsConcurrency(t *testing.T) {
	const workers, n = 3, 12
	a := newFake("assign", true)
	a.gate = make(chan struct{})
	a.entered = make(chan string, n)
	done := make(chan Summary)
	go func() {
		sum, _ := Run(context.Background(), a, targetsN(n), Options{Workers: workers})
		done <- sum
	}()
	for range workers {
		<-a.entered // all workers busy at once: the bound is reached...
	}
	close(a.gate) // ...then let everything through
	sum := <-done
	if sum.Done != n {
		t.Fatalf("summary = %+v", sum)
	}
	if m := a.maxInFlight.Load(); m != workers {
		t.Fatalf("max in flight = %d, want %d", m, workers)
	}
}

func TestDryRunWritesNothing(t *testing.T) {
	ts := PlanTargets(RoundRobin(targetsN(4), []string{"lee@x.com"}))
	j := newTestJournal(t, "assign", ts)
	before, _ := os.ReadFile(j.Path())
	a := newFake("assign", true)
	a.state["id:2"] = true
	a.fail["id:3"] = errors.New("never called")
	var got collect
	sum, err := Run(context.Background(), a, ts, Options{DryRun: true, Journal: j, OnResult: got.add})
	if err != nil {
		t.Fatal(err)
	}
	if sum.WouldChange != 3 || sum.Skipped != 1 || sum.Done != 0 || !sum.DryRun {
		t.Fatalf("summary = %+v", sum)
	}
	if r := got.byID(); r["id:1"].Detail != "would assign lee@x.com" || r["id:2"].Detail != "already assigned lee@x.com" {
		t.Errorf("results = %+v", r)
	}
	after, _ := os.ReadFile(j.Path())
	if string(before) != string(after) {
		t.Error("dry run wrote to the journal")
	}
	for _, tg := range ts {
		if a.attemptsOf(tg.ID) != 0 || a.checksOf(tg.ID) != 1 {
			t.Errorf("%s: %d applies, %d checks", tg.ID, a.attemptsOf(tg.ID), a.checksOf(tg.ID))
		}
	}
	if !strings.HasPrefix(sum.String(), "dry run: would change 3, skipped 1, failed 0 in ") {
		t.Errorf("String() = %q", sum.String())
	}
}

func TestCheckFirstSkipsTargetsAlreadyInState(t *testing.T) {
	a := newFake("assign", true)
	a.state["id:1"] = true
	sum, err := Run(context.Background(), a, targetsN(3), Options{CheckFirst: true})
	if err != nil || sum.Skipped != 1 || sum.Done != 2 || a.attemptsOf("id:1") != 0 {
		t.Fatalf("summary %+v err %v", sum, err)
	}
}

func TestPanicInActionIsContained(t *testing.T) {
	a := newFake("send", false)
	a.panicOn = "id:2"
	sum, err := Run(context.Background(), a, targetsN(3), Options{Workers: 2})
	if err != nil || sum.Done != 2 || sum.Unknown != 1 {
		t.Fatalf("summary %+v err %v", sum, err)
	}
}

func TestNoSendWithoutADurableStartRecord(t *testing.T) {
	ts := targetsN(3)
	j := newTestJournal(t, "send", ts)
	j.Close() // every append now fails
	a := newFake("send", false)
	sum, err := Run(context.Background(), a, ts, Options{Journal: j})
	if err == nil || !strings.Contains(err.Error(), "closed") {
		t.Fatalf("err = %v", err)
	}
	if sum.NotAttempted != 3 || a.attemptsOf("id:1")+a.attemptsOf("id:2")+a.attemptsOf("id:3") != 0 {
		t.Fatalf("summary %+v, attempts %v", sum, a.attempts)
	}
}

func TestRunRejectsAJournalForOtherTargets(t *testing.T) {
	j := newTestJournal(t, "assign", targetsN(2))
	if _, err := Run(context.Background(), newFake("assign", true), targetsN(3), Options{Journal: j}); err == nil {
		t.Fatal("want an error")
	}
}

// plannerAction is a fakeAction that also reports what Apply would (bulk.Planner).
type plannerAction struct{ *fakeAction }

func (p plannerAction) Planned(t Target) Facts {
	id, _ := strconv.ParseInt(t.Param("to"), 10, 64)
	return Facts{AssigneeID: id}
}

func TestDryRunCarriesPlannedFields(t *testing.T) {
	ts := PlanTargets(RoundRobin(targetsN(2), []string{"7"}))
	a := newFake("assign", true)
	a.state["id:2"] = true
	var got collect
	if _, err := Run(context.Background(), plannerAction{a}, ts, Options{DryRun: true, OnResult: got.add}); err != nil {
		t.Fatal(err)
	}
	r := got.byID()
	if r["id:1"].Outcome != OutcomeWouldChange || r["id:1"].Extra.AssigneeID != 7 {
		t.Errorf("would-change result %+v, want the planned fields", r["id:1"])
	}
	if r["id:2"].Outcome != OutcomeSkipped || !r["id:2"].Extra.IsZero() {
		t.Errorf("skipped result %+v, want no planned fields", r["id:2"])
	}
}
