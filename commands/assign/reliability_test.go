package assign_test

import (
	"strconv"
	"strings"
	"testing"

	"github.com/respondctl/respondctl/apiclient"
	"github.com/respondctl/respondctl/commands/cmdtest"
)

// Bulk assign under injected 5xx, 429, resets and latency ends with every contact assigned,
// each exactly as often as needed: no contact is left out. 1,000 contacts; 150 with -short.
// The client runs on cmdtest's fast clock (whole-second Retry-After holds last 50 ms), so
// the full run takes seconds; every retry, hold and backoff still happens.
func TestAssignBulkUnderFaults(t *testing.T) {
	t.Parallel() // its own sandbox; waits on rate limits and child processes, not the CPU
	n := 1000
	if testing.Short() {
		n = 150
	}
	e := cmdtest.StartUnderFaults(t, "large:"+strconv.Itoa(n))
	first, r := e.RunToCompletion(cmdtest.Str(cmdtest.IDLines(1, n)), "assign", "--to", "priya@example.com", "--workers", "16")
	if r.Code != 0 {
		t.Fatalf("%s", r)
	}
	if !strings.Contains(first.Stderr, "done ") {
		t.Fatalf("no summary: %s", first)
	}
	if got := e.CountWhere("assigneeUserId", apiclient.OpIsEqualTo, "4"); got != n {
		t.Fatalf("%d of %d contacts assigned to Priya", got, n)
	}
}
