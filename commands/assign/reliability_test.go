package assign_test

import (
	"strconv"
	"strings"
	"testing"

	"github.com/respondctl/respondctl/actions/acttest"
	"github.com/respondctl/respondctl/apiclient"
	"github.com/respondctl/respondctl/sandbox"
)

// Bulk assign under injected 5xx, 429, resets and latency ends with every contact assigned.
// 1,000 contacts; 150 with -short.
func TestAssignBulkUnderFaults(t *testing.T) {
	n := 1000
	if testing.Short() {
		n = 150
	}
	e := acttest.Start(t, sandbox.Options{Seed: "large:" + strconv.Itoa(n), Rate: 200, Faults: acttest.ProductionFaults})
	r := e.Run(acttest.Str(acttest.IDLines(1, n)), "assign", "--to", "priya@example.com", "--workers", "16")
	t.Logf("first run: exit %d, %s", r.Code, lastLine(r.Stderr))
	if r.Code == 3 {
		// A few items may exhaust their retries; finishing them is what --resume is for.
		j, err := e.Journals()
		if err != nil {
			t.Fatal(err)
		}
		r = e.Run(nil, "assign", "--resume", j[0])
		t.Logf("resume: exit %d, %s", r.Code, lastLine(r.Stderr))
	}
	if r.Code != 0 {
		t.Fatalf("%s", r)
	}
	if got := e.CountWhere("assigneeUserId", apiclient.OpIsEqualTo, "4"); got != n {
		t.Fatalf("%d of %d contacts assigned to Priya", got, n)
	}
}

func lastLine(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return lines[len(lines)-1]
}
