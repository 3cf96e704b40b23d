package conversationstatus_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/respondctl/respondctl/commands"
	"github.com/respondctl/respondctl/commands/cmdtest"
	"github.com/respondctl/respondctl/sandbox"
)

func TestMain(m *testing.M) { cmdtest.Main(m, commands.Execute) }

func TestStatusVerbs(t *testing.T) {
	t.Parallel() // its own sandbox
	e := cmdtest.Start(t, sandbox.Options{Seed: "demo", Rate: 500})
	steps := []struct {
		args   []string
		out    string
		status string
	}{
		{[]string{"reopen", "20"}, "", "open"},
		{[]string{"done", "20", "--category", "resolved", "--summary", "Refund issued"}, "id:20 marked done (Resolved)\n", "close"},
		{[]string{"done", "20"}, "id:20 marked done\n", "close"},
		{[]string{"reopen", "20"}, "id:20 reopened\n", "open"},
		{[]string{"pending", "20"}, "id:20 marked pending\n", "pending"},
		{[]string{"unsnooze", "20"}, "id:20 not snoozed (pending)\n", "pending"},
		{[]string{"snooze", "20", "--until", "2030-01-02T03:04:05Z"}, "id:20 snoozed until 2030-01-02T03:04:05Z\n", "snoozed"},
		{[]string{"unsnooze", "20"}, "id:20 unsnoozed\n", "open"},
	}
	for _, st := range steps {
		r := e.Run(nil, st.args...)
		if r.Code != 0 || (st.out != "" && r.Stdout != st.out) {
			t.Fatalf("%v: %s", st.args, r)
		}
		if got := e.Contact(20).Status; got != st.status {
			t.Fatalf("%v: status %s, want %s", st.args, got, st.status)
		}
	}
	// Relative snooze times.
	r := e.Run(nil, "snooze", "21", "--until", "2h")
	if r.Code != 0 {
		t.Fatalf("%s", r)
	}
	if c := e.Contact(21); c.SnoozedUntil == nil || time.Until(time.Unix(*c.SnoozedUntil, 0)) < 119*time.Minute {
		t.Fatalf("snoozed until %v", c.SnoozedUntil)
	}
	r = e.Run(nil, "snooze", "21", "--until", "yesterday-ish")
	if r.Code != 2 || !strings.Contains(r.Stderr, "invalid duration") {
		t.Fatalf("%s", r)
	}
}

func TestDoneUnknownCategoryFailsBeforeAnyChange(t *testing.T) {
	t.Parallel() // its own sandbox
	e := cmdtest.Start(t, sandbox.Options{Seed: "demo", Rate: 500})
	r := e.Run(nil, "done", "20", "21", "--category", "Resolvd")
	if r.Code != 5 || !strings.Contains(r.Stderr, `unknown closing-note category "Resolvd"; did you mean "Resolved"?`) {
		t.Fatalf("%s", r)
	}
	if n := len(e.Audit("", 0)); n != 0 {
		t.Fatalf("%d audit rows", n)
	}
}

func TestPendingAndSnoozeRefusedOnCoreOnly(t *testing.T) {
	t.Parallel() // its own sandbox
	e := cmdtest.Start(t, sandbox.Options{Seed: "demo", Rate: 500, CoreOnly: true})
	for verb, ext := range map[string]string{"pending": "pending", "snooze": "snooze", "unsnooze": "snooze"} {
		args := []string{verb, "20"}
		if verb == "snooze" {
			args = append(args, "--until", "2h")
		}
		r := e.Run(nil, args...)
		want := `this server does not support ` + verb + ` (extension "` + ext + `" missing)`
		if r.Code == 0 || !strings.Contains(r.Stderr, want) {
			t.Fatalf("%s: %s", verb, r)
		}
	}
	if r := e.Run(nil, "done", "20"); r.Code != 0 {
		t.Fatalf("core done: %s", r)
	}
}

// A bulk close over a view never buries a reply that arrived after the snapshot. The CLI's
// clock is set a minute back so that a message simulated now is "after the snapshot"
// deterministically, without racing the run.
func TestDoneOverViewSkipsFreshReplies(t *testing.T) {
	t.Parallel() // its own sandbox
	e := cmdtest.Start(t, sandbox.Options{Seed: "demo", Rate: 500})
	snapshot := time.Now().Add(-time.Minute)
	e.Now = func() time.Time { return snapshot }
	r := e.Run(nil, "-o", "json", "assign", "--view", "Unassigned", "--limit", "1", "--to", "Lee", "--dry-run")
	var first []struct{ Identifier string }
	if err := json.Unmarshal([]byte(r.Stdout), &first); err != nil || len(first) != 1 {
		t.Fatalf("%v %s", err, r)
	}
	var fresh int64
	fmt.Sscanf(first[0].Identifier, "id:%d", &fresh)
	e.SimulateIncoming(fresh, "wait, one more thing")

	r = e.Run(nil, "-o", "json", "done", "--view", "Unassigned", "--limit", "5")
	if r.Code != 0 {
		t.Fatalf("%s", r)
	}
	var recs []struct{ Identifier, Outcome, Detail string }
	if err := json.Unmarshal([]byte(r.Stdout), &recs); err != nil || len(recs) != 5 {
		t.Fatalf("%v %s", err, r)
	}
	for _, rec := range recs {
		var id int64
		fmt.Sscanf(rec.Identifier, "id:%d", &id)
		wroteAfter := e.LastIncoming(id).After(snapshot)
		status := e.Contact(id).Status
		switch {
		case wroteAfter && (rec.Outcome != "skipped" || status != "open" || !strings.Contains(rec.Detail, "after the snapshot")):
			t.Errorf("%d wrote after the snapshot: %+v, status %s", id, rec, status)
		case !wroteAfter && (rec.Outcome != "done" || status != "close"):
			t.Errorf("%d: %+v, status %s", id, rec, status)
		}
		if id == fresh && rec.Outcome != "skipped" {
			t.Errorf("fresh reply buried: %+v", rec)
		}
	}
	// Explicitly off: the fresh one is closed too.
	r = e.Run(nil, "done", fmt.Sprint(fresh), "--if-no-new-incoming=false")
	if r.Code != 0 || e.Contact(fresh).Status != "close" {
		t.Fatalf("%s", r)
	}
}

// snooze records carry the end of the snooze as RFC 3339 UTC, for a real run and a dry run;
// a dry run writes nothing, and other verbs carry no snoozedUntil.
func TestSnoozeRecordsCarrySnoozeUntil(t *testing.T) {
	t.Parallel() // its own sandbox
	e := cmdtest.Start(t, sandbox.Options{Seed: "demo", Rate: 500})
	for _, id := range []string{"22", "23"} {
		if r := e.Run(nil, "reopen", id); r.Code != 0 {
			t.Fatalf("%s", r)
		}
	}
	const until = "2030-01-02T03:04:05Z"
	before := len(e.Audit("", 23))
	r := e.Run(nil, "-o", "json", "snooze", "23", "--until", "2030-01-02T04:04:05+01:00", "--dry-run")
	if recs := cmdtest.Records(t, r.Stdout); r.Code != 0 || recs[0]["outcome"] != "would-change" || recs[0]["snoozedUntil"] != until {
		t.Fatalf("snooze --dry-run: %s", r)
	}
	if after := len(e.Audit("", 23)); after != before || e.Contact(23).Status == "snoozed" {
		t.Fatalf("dry run changed contact 23 (%d audit rows)", after-before)
	}
	r = e.Run(nil, "-o", "jsonl", "snooze", "22", "23", "--until", until)
	if r.Code != 0 {
		t.Fatalf("%s", r)
	}
	for _, line := range strings.Split(strings.TrimSpace(r.Stdout), "\n") {
		var rec map[string]any
		if err := json.Unmarshal([]byte(line), &rec); err != nil || rec["outcome"] != "done" || rec["snoozedUntil"] != until {
			t.Fatalf("snooze record %q: %v", line, err)
		}
	}
	if c := e.Contact(22); c.SnoozedUntil == nil || time.Unix(*c.SnoozedUntil, 0).UTC().Format(time.RFC3339) != until {
		t.Fatalf("snoozed until %v", c.SnoozedUntil)
	}
	// A relative time is resolved once and reported in UTC.
	r = e.Run(nil, "-o", "json", "snooze", "24", "--until", "2h")
	got, _ := cmdtest.Records(t, r.Stdout)[0]["snoozedUntil"].(string)
	if at, err := time.Parse(time.RFC3339, got); r.Code != 0 || err != nil || !strings.HasSuffix(got, "Z") || time.Until(at) < 119*time.Minute {
		t.Fatalf("snooze --until 2h: %s", r)
	}
	r = e.Run(nil, "-o", "json", "unsnooze", "22")
	if recs := cmdtest.Records(t, r.Stdout); r.Code != 0 || recs[0]["outcome"] != "done" || recs[0]["snoozedUntil"] != nil {
		t.Fatalf("unsnooze: %s", r)
	}
}

// --tz reaches the confirmation, and a snooze at a wall time the clocks skip moves forward
// (the EU changes at 02:00 on 31 March 2030: 02:30 does not exist in Berlin) and says so.
func TestSnoozeHonoursTZAndDaylightSavingGaps(t *testing.T) {
	t.Parallel() // its own sandbox
	e := cmdtest.Start(t, sandbox.Options{Seed: "demo", Rate: 500})
	r := e.Run(nil, "snooze", "20", "--tz", "Asia/Kuala_Lumpur", "--until", "2030-01-02T03:04:05Z")
	if r.Code != 0 || r.Stdout != "id:20 snoozed until 2030-01-02T11:04:05+08:00\n" {
		t.Fatalf("%s", r)
	}
	r = e.Run(nil, "snooze", "20", "--tz", "Europe/Berlin", "--until", "2030-03-31 02:30")
	if r.Code != 0 || r.Stdout != "id:20 snoozed until 2030-03-31T03:30:00+02:00\n" {
		t.Fatalf("%s", r)
	}
	if !strings.Contains(r.Stderr, "note: 02:30 does not exist on Sun 2030-03-31 in Europe/Berlin (the clocks go forward 1h): using 03:30 CEST") {
		t.Fatalf("no note about the gap: %s", r)
	}
	if c := e.Contact(20); c.SnoozedUntil == nil || time.Unix(*c.SnoozedUntil, 0).UTC() != time.Date(2030, 3, 31, 1, 30, 0, 0, time.UTC) {
		t.Fatalf("snoozed until %v", c.SnoozedUntil)
	}
}
