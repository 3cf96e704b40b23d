package assign_test

import (
	"encoding/json"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/respondctl/respondctl/commands"
	"github.com/respondctl/respondctl/commands/cmdtest"
	"github.com/respondctl/respondctl/sandbox"
)

func TestMain(m *testing.M) { cmdtest.Main(m, commands.Execute) }

func start(t *testing.T) *cmdtest.Env {
	return cmdtest.Start(t, sandbox.Options{Seed: "demo", Rate: 500})
}

func TestAssignSingle(t *testing.T) {
	t.Parallel() // its own sandbox
	e := start(t)
	r := e.Run(nil, "assign", "5", "--to", "lee@example.com")
	if r.Code != 0 || r.Stdout != "id:5 assigned to Lee Wong\n" || r.Stderr != "" {
		t.Fatalf("%s", r)
	}
	if a := e.Contact(5).Assignee; a == nil || a.ID != 1 {
		t.Fatalf("assignee %+v", a)
	}
	r = e.Run(nil, "unassign", "5")
	if r.Code != 0 || r.Stdout != "id:5 unassigned\n" {
		t.Fatalf("%s", r)
	}
	if a := e.Contact(5).Assignee; a != nil {
		t.Fatalf("assignee %+v", a)
	}
	r = e.Run(nil, "assign", "99999", "--to", "Lee")
	if r.Code != 5 || !strings.Contains(r.Stderr, "not found") {
		t.Fatalf("not found: %s", r)
	}
}

func TestAssignUserResolutionFailsBeforeAnyChange(t *testing.T) {
	t.Parallel() // its own sandbox
	e := start(t)
	r := e.Run(nil, "assign", "5", "6", "--to", "m")
	if r.Code != 2 || !strings.Contains(r.Stderr, `"m" matches`) || !strings.Contains(r.Stderr, "Mei Tan <mei@example.com> (id 5)") ||
		!strings.Contains(r.Stderr, "Carlos Mendes") {
		t.Fatalf("ambiguous: %s", r)
	}
	r = e.Run(nil, "assign", "5", "--round-robin", "lee@example.com,leee")
	if r.Code != 5 || !strings.Contains(r.Stderr, `no user matches "leee"; did you mean Lee Wong`) {
		t.Fatalf("unknown: %s", r)
	}
	r = e.Run(nil, "assign", "--view", "Unasigned", "--to", "Lee")
	if r.Code != 5 || !strings.Contains(r.Stderr, `view "Unasigned" not found; valid views: All, Mine, Unassigned`) {
		t.Fatalf("unknown view: %s", r)
	}
	if n := len(e.Audit("", 0)); n != 0 {
		t.Fatalf("%d audit rows after refused runs", n)
	}
}

func TestAssignBulkInputs(t *testing.T) {
	t.Parallel() // its own sandbox
	e := start(t)
	// Malformed lines are reported with their line numbers, and nothing changes.
	r := e.Run(cmdtest.Str("5\n6\nnot an id\n7\n{bad json\n"), "assign", "--to", "Carlos")
	if r.Code != 2 || !strings.Contains(r.Stderr, "line 3") || !strings.Contains(r.Stderr, "nothing was changed") {
		t.Fatalf("%s", r)
	}
	if n := len(e.Audit("", 0)); n != 0 {
		t.Fatalf("%d audit rows after refused input", n)
	}
	// Empty input is a clear no-op.
	r = e.Run(cmdtest.Str("\n"), "assign", "--to", "Carlos")
	if r.Code != 0 || r.Stdout != "" || !strings.Contains(r.Stderr, "nothing to do") {
		t.Fatalf("empty: %s", r)
	}
	r = e.Run(cmdtest.Str(""), "-o", "json", "assign", "--to", "Carlos")
	if r.Code != 0 || strings.TrimSpace(r.Stdout) != "[]" {
		t.Fatalf("empty json: %s", r)
	}
	// Plain lines with duplicates, then CSV, then the JSON lines of contacts list.
	r = e.Run(cmdtest.Str("5\nid:6\n5\n# comment\n7\n"), "assign", "--to", "Carlos")
	if r.Code != 0 || !strings.Contains(r.Stderr, "1 duplicate collapsed") || strings.Count(r.Stdout, "assigned to Carlos Mendes") != 3 ||
		!strings.Contains(r.Stderr, "done 3, skipped 0, failed 0, unknown 0") {
		t.Fatalf("plain: %s", r)
	}
	csv := "name,contact\nA,8\nB,9\n"
	r = e.Run(cmdtest.Str(csv), "assign", "--to", "Carlos", "--column", "contact")
	if r.Code != 0 || !strings.Contains(r.Stdout, "id:8 assigned") || !strings.Contains(r.Stdout, "id:9 assigned") {
		t.Fatalf("csv: %s", r)
	}
	// The shape of `contacts list -o jsonl`: one contact object per line.
	jsonl := `{"id":10,"firstName":"A","status":"open"}` + "\n" + `{"id":11,"firstName":"B","status":"open"}` + "\n"
	r = e.Run(cmdtest.Str(jsonl), "-o", "jsonl", "assign", "--to", "Carlos")
	if r.Code != 0 {
		t.Fatalf("jsonl: %s", r)
	}
	lines := strings.Split(strings.TrimSpace(r.Stdout), "\n")
	if len(lines) != 2 {
		t.Fatalf("jsonl output: %s", r)
	}
	var rec map[string]any
	if err := json.Unmarshal([]byte(lines[0]), &rec); err != nil || rec["outcome"] != "done" || rec["assigneeId"] != float64(3) {
		t.Fatalf("record %v %v", rec, err)
	}
	if a := e.Contact(11).Assignee; a == nil || a.ID != 3 {
		t.Fatalf("11 assignee %+v", a)
	}
}

func TestAssignDryRunWritesNothing(t *testing.T) {
	t.Parallel() // its own sandbox
	e := start(t)
	if r := e.Run(nil, "assign", "5", "--to", "Priya"); r.Code != 0 {
		t.Fatalf("%s", r)
	}
	if r := e.Run(nil, "unassign", "6"); r.Code != 0 {
		t.Fatalf("%s", r)
	}
	before := len(e.Audit("", 0))
	r := e.Run(nil, "assign", "5", "6", "--to", "Priya", "--dry-run")
	if r.Code != 0 || !strings.Contains(r.Stdout, "id:5 already assigned to Priya Nair") || !strings.Contains(r.Stdout, "id:6 would assign to Priya Nair") ||
		!strings.Contains(r.Stderr, "dry run: would change 1, skipped 1") {
		t.Fatalf("%s", r)
	}
	if after := len(e.Audit("", 0)); after != before {
		t.Fatalf("dry run wrote %d audit rows", after-before)
	}
	if j, _ := e.Journals(); len(j) != 0 {
		t.Fatalf("dry run journaled: %v", j)
	}
}

func TestAssignRoundRobinAndBalance(t *testing.T) {
	t.Parallel() // its own sandbox
	e := start(t)
	r := e.Run(nil, "-o", "json", "assign", "--view", "Unassigned", "--limit", "6", "--round-robin", "lee@example.com,carlos@example.com,priya@example.com")
	if r.Code != 0 {
		t.Fatalf("%s", r)
	}
	var recs []struct {
		Identifier string `json:"identifier"`
		AssigneeID int64  `json:"assigneeId"`
	}
	if err := json.Unmarshal([]byte(r.Stdout), &recs); err != nil || len(recs) != 6 {
		t.Fatalf("%v %s", err, r)
	}
	per := map[int64]int{}
	for _, rec := range recs {
		per[rec.AssigneeID]++
	}
	if per[1] != 2 || per[3] != 2 || per[4] != 2 {
		t.Fatalf("round robin %v", per)
	}

	// Balance: the user with the fewest open conversations gets the most.
	loads := openLoads(t, e, 1, 4)
	r = e.Run(nil, "-o", "json", "assign", "--view", "Unassigned", "--limit", "10", "--balance", "Lee,Priya")
	if r.Code != 0 {
		t.Fatalf("%s", r)
	}
	recs = nil
	if err := json.Unmarshal([]byte(r.Stdout), &recs); err != nil {
		t.Fatal(err)
	}
	got := map[int64]int{}
	for _, rec := range recs {
		got[rec.AssigneeID]++
	}
	after := openLoads(t, e, 1, 4)
	// Each of the 10 went to whoever had fewer; the final loads differ by at most one unless
	// the starting gap was larger than the run.
	gap := loads[1] - loads[4]
	if abs(gap) >= 10 {
		if (gap > 0 && got[4] != 10) || (gap < 0 && got[1] != 10) {
			t.Fatalf("balance %v from loads %v", got, loads)
		}
	} else if abs(after[1]-after[4]) > 1 {
		t.Fatalf("balance %v from loads %v to %v", got, loads, after)
	}
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

// openLoads counts open conversations per user through the API.
func openLoads(t *testing.T, e *cmdtest.Env, ids ...int64) map[int64]int {
	t.Helper()
	out := map[int64]int{}
	for _, id := range ids {
		out[id] = e.OpenConversations(id)
	}
	return out
}

// The progress bar goes to stderr, and only when stderr is a terminal; stdout keeps only the
// result lines either way.
func TestProgressBarOnlyOnTerminalStderr(t *testing.T) {
	t.Parallel() // its own sandbox; waits on rate limits and child processes, not the CPU
	e := start(t)
	ids := cmdtest.Str(cmdtest.IDLines(1, 12))
	r := e.Run(ids, "assign", "--to", "Lee")
	if r.Code != 0 || strings.Contains(r.Stderr, "%") || strings.Count(r.Stdout, "\n") != 12 {
		t.Fatalf("piped stderr: %s", r)
	}
	e.StderrTTY = true
	r = e.Run(ids, "unassign")
	if r.Code != 0 || !regexp.MustCompile(`unassign +[0-9]+% \|.*\([0-9]+/12, `).MatchString(r.Stderr) {
		t.Fatalf("terminal stderr has no progress bar: %s", r)
	}
	if strings.Count(r.Stdout, "\n") != 12 || strings.Contains(r.Stdout, "%") || strings.Contains(r.Stdout, "\r") {
		t.Fatalf("stdout must carry only result lines: %q", r.Stdout)
	}
}

// A dry run's would-change records carry the assigneeId a real assignment reports, and a
// skipped one carries none (as in a real run); nothing is written.
func TestAssignDryRunRecordsCarryAssignee(t *testing.T) {
	t.Parallel() // its own sandbox
	e := start(t)
	if r := e.Run(nil, "assign", "5", "--to", "Priya"); r.Code != 0 {
		t.Fatalf("%s", r)
	}
	if r := e.Run(nil, "unassign", "6"); r.Code != 0 {
		t.Fatalf("%s", r)
	}
	before := len(e.Audit("", 0))
	r := e.Run(nil, "-o", "json", "assign", "5", "6", "--to", "Priya", "--dry-run")
	if r.Code != 0 {
		t.Fatalf("%s", r)
	}
	real := e.Run(nil, "-o", "json", "assign", "7", "--to", "Priya")
	if real.Code != 0 {
		t.Fatalf("%s", real)
	}
	priya := cmdtest.Records(t, real.Stdout)[0]["assigneeId"]
	if priya == nil {
		t.Fatalf("real assign record has no assigneeId: %s", real)
	}
	byID := map[string]map[string]any{}
	for _, rec := range cmdtest.Records(t, r.Stdout) {
		byID[rec["identifier"].(string)] = rec
	}
	if w := byID["id:6"]; w["outcome"] != "would-change" || w["assigneeId"] != priya {
		t.Errorf("would-change record %v, want assigneeId %v", w, priya)
	}
	if s, ok := byID["id:5"]["assigneeId"]; byID["id:5"]["outcome"] != "skipped" || ok {
		t.Errorf("skipped record %v: assigneeId %v, want none", byID["id:5"], s)
	}
	// Only the real assign of 7 wrote anything; 6 is still not Priya's.
	if after := len(e.Audit("", 0)); after != before+1 {
		t.Fatalf("audit rows %d -> %d, want one (the real assign)", before, after)
	}
	if a := e.Contact(6).Assignee; a != nil {
		t.Fatalf("dry run assigned contact 6: %+v", a)
	}
	// unassign --dry-run names no assignee.
	r = e.Run(nil, "-o", "json", "unassign", "5", "--dry-run")
	if recs := cmdtest.Records(t, r.Stdout); r.Code != 0 || recs[0]["outcome"] != "would-change" || recs[0]["assigneeId"] != nil {
		t.Fatalf("unassign --dry-run: %s", r)
	}
}

// One listing of the workspace's users per run: resolving --to (and "me") and the action's
// result labels share it.
func TestAssignListsUsersOnce(t *testing.T) {
	t.Parallel() // its own sandbox
	e := start(t)
	var userListings atomic.Int64
	target, _ := url.Parse(e.Server.URL())
	proxy := httputil.NewSingleHostReverseProxy(&url.URL{Scheme: target.Scheme, Host: target.Host})
	// Not the standard logger: a command running in-process (commands.Execute) points it at
	// its own stderr, and these tests run in parallel; a client hanging up is expected here.
	proxy.ErrorLog = log.New(io.Discard, "", 0)
	counting := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodGet && strings.HasSuffix(r.URL.Path, "/space/user") {
			userListings.Add(1)
		}
		proxy.ServeHTTP(w, r)
	}))
	t.Cleanup(counting.Close)
	e.APIBase = counting.URL + target.Path
	if r := e.Run(nil, "config", "set", "me", "lee@example.com"); r.Code != 0 {
		t.Fatalf("config set me: %s", r)
	}
	for _, to := range []string{"Lee Wong", "me"} {
		userListings.Store(0)
		args := []string{"assign", "5", "6", "--to", to}
		r := e.Run(nil, args...)
		if r.Code != 0 {
			t.Fatalf("%v: %s", args, r)
		}
		if n := userListings.Load(); n != 1 {
			t.Errorf("assign --to %q listed the users %d times, want 1", to, n)
		}
	}
}
