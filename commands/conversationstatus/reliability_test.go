package conversationstatus_test

import (
	"strconv"
	"testing"

	"github.com/respondctl/respondctl/apiclient"
	"github.com/respondctl/respondctl/commands/cmdtest"
)

// Bulk done under injected faults ends with every conversation closed. 1,000; 150 with
// -short. The client runs on cmdtest's fast clock (see TestAssignBulkUnderFaults).
func TestDoneBulkUnderFaults(t *testing.T) {
	t.Parallel() // its own sandbox
	n := 1000
	if testing.Short() {
		n = 150
	}
	e := cmdtest.StartUnderFaults(t, "large:"+strconv.Itoa(n))
	_, r := e.RunToCompletion(cmdtest.Str(cmdtest.IDLines(1, n)), "done", "--category", "Resolved", "--workers", "16")
	if r.Code != 0 {
		t.Fatalf("%s", r)
	}
	if got := e.CountWhere("status", apiclient.OpIsEqualTo, "close"); got != n {
		t.Fatalf("%d of %d conversations closed", got, n)
	}
}
