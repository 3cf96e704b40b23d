package conversationstatus_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/respondctl/respondctl/apiclient"
	"github.com/respondctl/respondctl/commands/cmdtest"
	"github.com/respondctl/respondctl/sandbox"
)

// A run over a view snapshots its members before changing anything. Closing every open
// conversation of "All" (more than one page of the list) empties the view as the run goes: a
// run that paged the view lazily would skip contacts (the pages shift under it). The snapshot
// closes each member exactly once (checked in the sandbox's audit) and leaves none open.
func TestDoneOverViewSnapshotNeitherSkipsNorRepeats(t *testing.T) {
	t.Parallel() // its own sandbox
	e := cmdtest.Start(t, sandbox.Options{Seed: "large:300", Rate: 1000})
	open := e.CountWhere("status", apiclient.OpIsEqualTo, apiclient.StatusOpen)
	if open <= apiclient.DefaultPageSize {
		t.Fatalf("seed has %d open conversations; the test needs more than a page (%d)", open, apiclient.DefaultPageSize)
	}
	r := e.Run(nil, "-o", "json", "done", "--view", "All", "--workers", "16")
	if r.Code != 0 {
		t.Fatalf("%s", r)
	}
	var recs []struct{ Identifier, Outcome, Detail string }
	if err := json.Unmarshal([]byte(r.Stdout), &recs); err != nil {
		t.Fatalf("%v\n%s", err, r)
	}
	if len(recs) != open || !strings.Contains(r.Stderr, fmt.Sprintf("%d identifiers read: %d unique", open, open)) {
		t.Fatalf("%d results for %d open conversations\n%s", len(recs), open, r.Stderr)
	}
	skipped := 0
	seen := map[string]bool{}
	for _, rec := range recs {
		if seen[rec.Identifier] {
			t.Errorf("%s reported twice", rec.Identifier)
		}
		seen[rec.Identifier] = true
		switch {
		case rec.Outcome == "skipped" && strings.Contains(rec.Detail, "after the snapshot"):
			skipped++ // the sandbox's simulated customers may write meanwhile
		case rec.Outcome != "done":
			t.Errorf("%+v", rec)
		}
	}
	perContact := map[int64]int{}
	for _, row := range e.Audit("closed", 0) {
		if row.ContactID != nil && row.Result == "ok" {
			perContact[*row.ContactID]++
		}
	}
	for id, n := range perContact {
		if n != 1 {
			t.Errorf("contact %d closed %d times", id, n)
		}
	}
	if len(perContact) != open-skipped {
		t.Errorf("%d contacts closed, want %d", len(perContact), open-skipped)
	}
	if left := e.CountWhere("status", apiclient.OpIsEqualTo, apiclient.StatusOpen); left != skipped {
		t.Errorf("%d conversations still open, want %d", left, skipped)
	}
}
