package bulk

import (
	"bytes"
	"context"
	"errors"
	"os"
	"sync"
	"testing"
)

// deferringSend is a non-idempotent action that reads before it sends, like respondctl's send:
// it snapshots what a kill -9 would leave on disk before and after Commit.
type deferringSend struct {
	t    *testing.T
	path string

	mu                          sync.Mutex
	inFlightBefore, inFlightNow map[string]bool
	sent                        map[string]int
}

func (a *deferringSend) Name() string       { return "send" }
func (a *deferringSend) Idempotent() bool   { return false }
func (a *deferringSend) DefersCommit() bool { return true }
func (a *deferringSend) Check(context.Context, Target) (bool, string, error) {
	return false, "send", nil
}

// onDisk is whether the journal on disk has target id in flight (what a resume would see).
func (a *deferringSend) onDisk(id string) bool {
	if a.path == "" {
		return false
	}
	data, err := os.ReadFile(a.path) // the run holds the lock: read the file as a crash would leave it
	if err != nil {
		a.t.Error(err)
		return false
	}
	st, err := ReadJournal(bytes.NewReader(data))
	if err != nil {
		a.t.Error(err)
		return false
	}
	for i, t := range st.Targets {
		if t.ID == id {
			return st.InFlight[i]
		}
	}
	return false
}

func (a *deferringSend) Apply(ctx context.Context, t Target) Result {
	before := a.onDisk(t.ID) // the reads (channels, window) happen here
	if t.ID == "id:2" {
		return Result{Outcome: OutcomeFailed, Err: errors.New("window closed")}
	}
	if err := Commit(ctx); err != nil {
		return Result{Outcome: OutcomeFailed, Err: err}
	}
	now := a.onDisk(t.ID)
	a.mu.Lock()
	defer a.mu.Unlock()
	a.inFlightBefore[t.ID], a.inFlightNow[t.ID] = before, now
	a.sent[t.ID]++
	return Result{Detail: "sent"}
}

func TestDeferredCommitJournalsTheStartJustBeforeTheSend(t *testing.T) {
	ts := targetsN(3)
	j := newTestJournal(t, "send", ts)
	a := &deferringSend{t: t, path: j.Path(), inFlightBefore: map[string]bool{}, inFlightNow: map[string]bool{}, sent: map[string]int{}}
	sum, err := Run(context.Background(), a, ts, Options{Journal: j, Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Done != 2 || sum.Failed != 1 {
		t.Fatalf("summary %+v", sum)
	}
	for _, id := range []string{"id:1", "id:3"} {
		// Killed during the reads: nothing in flight, so a resume sends it (nothing went out).
		// Killed after Commit: in flight on disk, so a resume reports it unknown, never resends.
		if a.inFlightBefore[id] || !a.inFlightNow[id] {
			t.Errorf("%s: in flight on disk before Commit %v, after %v", id, a.inFlightBefore[id], a.inFlightNow[id])
		}
	}
	// A target that failed before Commit left no start record: a resume tries it again.
	st := reopen(t, j).State()
	if st.InFlight[1] || st.Results[1].Outcome != OutcomeFailed {
		t.Fatalf("id:2 on disk: in flight %v, result %+v", st.InFlight[1], st.Results[1])
	}
}

func TestCommitOutsideAJournaledRunIsANoOp(t *testing.T) {
	if err := Commit(context.Background()); err != nil {
		t.Fatal(err)
	}
	a := &deferringSend{t: t, inFlightBefore: map[string]bool{}, inFlightNow: map[string]bool{}, sent: map[string]int{}}
	sum, err := Run(context.Background(), a, targetsN(1), Options{})
	if err != nil || sum.Done != 1 || a.sent["id:1"] != 1 {
		t.Fatalf("summary %+v err %v sent %v", sum, err, a.sent)
	}
}
