package assign_test

import (
	"strconv"
	"strings"
	"testing"

	"github.com/respondctl/respondctl/commands/cmdtest"
)

// The README's pipe: a list cut at its default --limit says so on stderr (stdout is a pipe),
// and with --all every contact of the view reaches assign, which says how many it read.
func TestListPipeIntoAssignIsNotSilentlyCut(t *testing.T) {
	t.Parallel() // its own sandbox
	e := start(t)
	want := e.Run(nil, "contacts", "list", "--view", "Unassigned", "--all", "-o", "jsonl")
	if want.Code != 0 {
		t.Fatal(want)
	}
	total := strings.Count(want.Stdout, "\n")
	if total <= 30 {
		t.Fatalf("the demo's Unassigned view has %d contacts; the test needs more than the default limit", total)
	}

	cut := e.Run(nil, "contacts", "list", "--view", "Unassigned", "-o", "jsonl")
	if cut.Code != 0 || strings.Count(cut.Stdout, "\n") != 30 {
		t.Fatalf("default limit: %s", cut)
	}
	if notice := "showing 30 of " + itoa(total) + " matching; use --all"; !strings.Contains(cut.Stderr, notice) {
		t.Fatalf("stderr lacks %q:\n%s", notice, cut.Stderr)
	}
	if full := e.Run(nil, "contacts", "list", "--view", "Unassigned", "--limit", itoa(total), "-o", "jsonl"); strings.Contains(full.Stderr, "showing") {
		t.Fatalf("a list that is not cut says it is:\n%s", full.Stderr)
	}

	r := e.Run(cmdtest.Str(want.Stdout), "assign", "--to", "Lee Wong")
	if r.Code != 0 {
		t.Fatal(r)
	}
	if read := itoa(total) + " identifiers read"; !strings.Contains(r.Stderr, read) {
		t.Fatalf("assign does not say it read %s:\n%s", read, r.Stderr)
	}
	if got := strings.Count(r.Stdout, "assigned to Lee Wong"); got != total {
		t.Fatalf("assigned %d of %d\n%s", got, total, r)
	}
}

func itoa(n int) string { return strconv.Itoa(n) }
