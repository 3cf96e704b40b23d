package status_test

import (
	"strconv"
	"strings"
	"testing"

	"github.com/respondctl/respondctl/actions/acttest"
	"github.com/respondctl/respondctl/apiclient"
	"github.com/respondctl/respondctl/sandbox"
)

// Bulk done under injected faults ends with every conversation closed. 1,000; 150 with -short.
func TestDoneBulkUnderFaults(t *testing.T) {
	n := 1000
	if testing.Short() {
		n = 150
	}
	e := acttest.Start(t, sandbox.Options{Seed: "large:" + strconv.Itoa(n), Rate: 200, Faults: acttest.ProductionFaults})
	r := e.Run(acttest.Str(acttest.IDLines(1, n)), "done", "--category", "Resolved", "--workers", "16")
	t.Logf("first run: exit %d, %s", r.Code, lastLine(r.Stderr))
	if r.Code == 3 {
		j, err := e.Journals()
		if err != nil {
			t.Fatal(err)
		}
		r = e.Run(nil, "done", "--resume", j[0])
		t.Logf("resume: exit %d, %s", r.Code, lastLine(r.Stderr))
	}
	if r.Code != 0 {
		t.Fatalf("%s", r)
	}
	if got := e.CountWhere("status", apiclient.OpIsEqualTo, "close"); got != n {
		t.Fatalf("%d of %d conversations closed", got, n)
	}
}

func lastLine(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return lines[len(lines)-1]
}
