package bulk

import (
	"context"
	"testing"
)

// reopen simulates a new process: close the journal and open it from disk.
func reopen(t *testing.T, j *Journal) *Journal {
	t.Helper()
	j.Close()
	re, err := OpenJournal(j.Path())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { re.Close() })
	return re
}

// gatedRun is a Run whose Apply calls block on the action's gate.
type gatedRun struct {
	cancel context.CancelFunc // first Ctrl-C
	abort  chan struct{}      // second Ctrl-C
	done   chan Summary
	errs   chan error
}

// startGated starts Run and returns once `workers` Apply calls are in flight.
func startGated(t *testing.T, a *fakeAction, j *Journal, workers int) *gatedRun {
	t.Helper()
	a.gate = make(chan struct{})
	a.entered = make(chan string, len(j.Targets()))
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	g := &gatedRun{cancel: cancel, abort: make(chan struct{}), done: make(chan Summary, 1), errs: make(chan error, 1)}
	go func() {
		sum, err := Run(ctx, a, j.Targets(), Options{Workers: workers, Journal: j, Abort: g.abort})
		g.errs <- err
		g.done <- sum
	}()
	for range workers {
		<-a.entered
	}
	return g
}

func (g *gatedRun) wait(t *testing.T) Summary {
	t.Helper()
	if err := <-g.errs; err != nil {
		t.Fatal(err)
	}
	return <-g.done
}

func TestInterruptLetsInFlightFinishThenResumeCompletesTheRest(t *testing.T) {
	j := newTestJournal(t, "assign", targetsN(10))
	first := newFake("assign", true)
	g := startGated(t, first, j, 2)
	g.cancel() // Ctrl-C: no new targets; the two in flight may finish
	first.gate <- struct{}{}
	first.gate <- struct{}{}
	sum := g.wait(t)
	if !sum.Interrupted || sum.Done != 2 || sum.NotAttempted != 8 {
		t.Fatalf("summary = %+v", sum)
	}
	if got := sum.ResumeCommand("respondctl"); got != "respondctl assign --resume "+j.Path() {
		t.Errorf("ResumeCommand = %q", got)
	}

	re := reopen(t, j)
	if st := re.State(); len(st.Results) != 2 || len(st.InFlight) != 0 {
		t.Fatalf("journal: %+v", st)
	}
	second := newFake("assign", true)
	sum2, err := Resume(context.Background(), second, re, Options{Workers: 3})
	if err != nil {
		t.Fatal(err)
	}
	if sum2.AlreadyComplete != 2 || sum2.Done != 8 || sum2.Total != 10 || sum2.Interrupted || sum2.Partial() {
		t.Fatalf("resume summary = %+v", sum2)
	}
	for _, tg := range re.Targets() {
		if n := first.attemptsOf(tg.ID) + second.attemptsOf(tg.ID); n != 1 {
			t.Errorf("%s applied %d times", tg.ID, n)
		}
	}
	// A third run has nothing left to do.
	sum3, err := Resume(context.Background(), newFake("assign", true), reopen(t, re), Options{})
	if err != nil || sum3.AlreadyComplete != 10 || sum3.Done != 0 {
		t.Fatalf("third run %+v err %v", sum3, err)
	}
}

func TestAbortMidSendIsUnknownAndNeverResent(t *testing.T) {
	j := newTestJournal(t, "send", targetsN(6))
	first := newFake("send", false)
	g := startGated(t, first, j, 2)
	g.cancel()
	close(g.abort) // second Ctrl-C: the two sends in flight are cut off mid-request
	sum := g.wait(t)
	if !sum.Interrupted || sum.Unknown != 2 || sum.NotAttempted != 4 || !sum.Partial() {
		t.Fatalf("summary = %+v", sum)
	}
	inFlight := []string{}
	for _, tg := range j.Targets() {
		if first.attemptsOf(tg.ID) == 1 {
			inFlight = append(inFlight, tg.ID)
		}
	}

	second := newFake("send", false)
	var got collect
	sum2, err := Resume(context.Background(), second, reopen(t, j), Options{OnResult: got.add})
	if err != nil {
		t.Fatal(err)
	}
	if sum2.Done != 4 || sum2.Unknown != 2 || !sum2.Partial() {
		t.Fatalf("resume summary = %+v", sum2)
	}
	for _, id := range inFlight {
		if second.attemptsOf(id) != 0 {
			t.Errorf("%s was resent", id)
		}
		if r := got.byID()[id]; r.Outcome != OutcomeUnknown || !r.Earlier {
			t.Errorf("%s reported as %+v", id, r)
		}
	}
}

func TestAbortMidIdempotentIsRecheckedOnResume(t *testing.T) {
	j := newTestJournal(t, "assign", targetsN(3))
	first := newFake("assign", true)
	g := startGated(t, first, j, 1)
	g.cancel()
	close(g.abort)
	sum := g.wait(t)
	// Cut off mid-call: not settled, left in flight for the resume to re-check.
	if !sum.Interrupted || sum.NotAttempted != 3 || sum.Partial() {
		t.Fatalf("summary = %+v", sum)
	}
	re := reopen(t, j)
	if !re.State().InFlight[0] {
		t.Fatalf("journal: %+v", re.State())
	}
	second := newFake("assign", true)
	second.state["id:1"] = true // the request had reached the server after all
	sum2, err := Resume(context.Background(), second, re, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if sum2.Skipped != 1 || sum2.Done != 2 || second.checksOf("id:1") != 1 || second.attemptsOf("id:1") != 0 {
		t.Fatalf("resume summary %+v, checks %v, attempts %v", sum2, second.checks, second.attempts)
	}
}
