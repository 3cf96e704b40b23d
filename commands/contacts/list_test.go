package contacts

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/respondctl/respondctl/commands/cmdtest"
	"github.com/respondctl/respondctl/commands/cmdutil"
	"github.com/respondctl/respondctl/sandbox"
)

// jsonRow is a contact row as -o json prints it (field names are part of the contract).
type jsonRow struct {
	ID              int64    `json:"id"`
	Name            string   `json:"name"`
	Phone           string   `json:"phone"`
	Email           string   `json:"email"`
	Status          string   `json:"status"`
	Lifecycle       string   `json:"lifecycle"`
	Tags            []string `json:"tags"`
	Unread          *int     `json:"unread"`
	LastMessageTime *string  `json:"lastMessageTime"`
	Assignee        *struct {
		ID    int64  `json:"id"`
		Name  string `json:"name"`
		Email string `json:"email"`
	} `json:"assignee"`
	Windows []struct {
		ChannelID   int64  `json:"channelId"`
		ClosesAt    string `json:"closesAt"`
		Description string `json:"description"`
	} `json:"channels"`
}

func listJSON(t *testing.T, srv *cmdtest.Env, search bool, args ...string) []jsonRow {
	t.Helper()
	f, out, _ := srv.Factory(false, "json")
	cmd := NewCmdList(f, nil)
	if search {
		cmd = NewCmdSearch(f, nil)
	}
	if err := cmdtest.Exec(f, cmd, args...); err != nil {
		t.Fatalf("%v: %v", args, err)
	}
	var rows []jsonRow
	if err := json.Unmarshal(out.Bytes(), &rows); err != nil {
		t.Fatalf("%v: %v\n%s", args, err, out)
	}
	return rows
}

func ids(rows []jsonRow) []int64 {
	out := make([]int64, len(rows))
	for i, r := range rows {
		out[i] = r.ID
	}
	return out
}

func TestListAllSortedByMostRecentMessageWithRFC3339Times(t *testing.T) {
	t.Parallel() // its own sandbox
	srv := cmdtest.Start(t, sandbox.Options{})
	rows := listJSON(t, srv, false, "--all")
	if len(rows) != cmdtest.DemoContactCount {
		t.Fatalf("--all listed %d contacts, the demo seed has %d", len(rows), cmdtest.DemoContactCount)
	}
	var prev time.Time
	for i, r := range rows {
		if r.LastMessageTime == nil || r.Unread == nil || r.Tags == nil {
			t.Fatalf("row %d lacks lastMessageTime, unread or tags: %+v", i, r)
		}
		ts, err := time.Parse(time.RFC3339, *r.LastMessageTime)
		if err != nil || ts.Location() != time.UTC {
			t.Fatalf("lastMessageTime %q is not RFC 3339 UTC: %v", *r.LastMessageTime, err)
		}
		if i > 0 && ts.After(prev) {
			t.Fatalf("row %d (id %d) at %s is newer than the row before (%s)", i, r.ID, ts, prev)
		}
		prev = ts
	}
	if n := len(listJSON(t, srv, false)); n != 30 {
		t.Errorf("default limit: %d rows, want 30", n)
	}
	if n := len(listJSON(t, srv, false, "--limit", "5")); n != 5 {
		t.Errorf("--limit 5: %d rows", n)
	}
}

func TestListShortcutsNarrowTheList(t *testing.T) {
	t.Parallel() // its own sandbox
	srv := cmdtest.Start(t, sandbox.Options{})
	cases := []struct {
		args    []string
		want    func(jsonRow) bool
		has     int64 // a contact that must be listed (0: none)
		missing int64 // a contact that must not be listed (0: none)
	}{
		{[]string{"--mine"}, func(r jsonRow) bool {
			return r.Status == "open" && r.Assignee != nil && r.Assignee.ID == cmdtest.LeeID
		}, cmdtest.AishaID, 0},
		{[]string{"--unassigned"}, func(r jsonRow) bool { return r.Status == "open" && r.Assignee == nil }, cmdtest.ClosingSoonID, cmdtest.AishaID},
		{[]string{"--status", "pending"}, func(r jsonRow) bool { return r.Status == "pending" }, 0, cmdtest.AishaID},
		{[]string{"--status", "snoozed"}, func(r jsonRow) bool { return r.Status == "snoozed" }, 0, cmdtest.AishaID},
		{[]string{"--assignee", "lee@example.com"}, func(r jsonRow) bool { return r.Assignee != nil && r.Assignee.Email == "lee@example.com" }, cmdtest.AishaID, 0},
		// The one user resolver: a full name and a unique prefix work as they do for `assign --to`.
		{[]string{"--assignee", "Lee Wong"}, func(r jsonRow) bool { return r.Assignee != nil && r.Assignee.Email == "lee@example.com" }, cmdtest.AishaID, 0},
		{[]string{"--assignee", "wong"}, func(r jsonRow) bool { return r.Assignee != nil && r.Assignee.Email == "lee@example.com" }, cmdtest.AishaID, 0},
		{[]string{"--assignee", "none", "--status", "all"}, func(r jsonRow) bool { return r.Assignee == nil }, 0, cmdtest.AishaID},
		{[]string{"--tag", "vip"}, func(r jsonRow) bool { return slices.Contains(r.Tags, "vip") }, cmdtest.AishaID, 0},
		{[]string{"--tag", "vip", "--tag", "complaint"}, func(r jsonRow) bool {
			return slices.Contains(r.Tags, "vip") && slices.Contains(r.Tags, "complaint")
		}, cmdtest.AishaID, 0},
		{[]string{"--lifecycle", "Hot Lead"}, func(r jsonRow) bool { return r.Lifecycle == "Hot Lead" }, cmdtest.ClosingSoonID, 0},
		{[]string{"--view", "VIP open"}, func(r jsonRow) bool { return r.Status == "open" && slices.Contains(r.Tags, "vip") }, cmdtest.AishaID, 0},
	}
	for _, c := range cases {
		rows := listJSON(t, srv, false, append(c.args, "--all")...)
		if len(rows) == 0 {
			t.Errorf("%v: no contacts", c.args)
			continue
		}
		for _, r := range rows {
			if !c.want(r) {
				t.Errorf("%v: contact %d does not match: %+v", c.args, r.ID, r)
				break
			}
		}
		if c.has != 0 && !slices.Contains(ids(rows), c.has) {
			t.Errorf("%v: contact %d missing", c.args, c.has)
		}
		if c.missing != 0 && slices.Contains(ids(rows), c.missing) {
			t.Errorf("%v: contact %d listed", c.args, c.missing)
		}
	}
}

func TestSearchByNamePhoneAndEmail(t *testing.T) {
	t.Parallel() // its own sandbox
	srv := cmdtest.Start(t, sandbox.Options{})
	for _, q := range []string{cmdtest.AishaPhone, "+60 12-345 6789", "+60-12-345-6789", "+60 123 456 789", cmdtest.AishaEmail, "Aisha Rahman"} {
		rows := listJSON(t, srv, true, q)
		if !slices.Contains(ids(rows), cmdtest.AishaID) {
			t.Errorf("search %q did not find Aisha Rahman: %v", q, ids(rows))
		}
		if q != "Aisha Rahman" && len(rows) != 1 {
			t.Errorf("search %q found %d contacts, want exactly Aisha", q, len(rows))
		}
	}
	rows := listJSON(t, srv, true, "Rahman", "--all")
	for _, r := range rows {
		if !strings.Contains(r.Name+r.Email, "Rahman") && !strings.Contains(strings.ToLower(r.Email), "rahman") {
			t.Errorf("search Rahman found %d %q <%s>", r.ID, r.Name, r.Email)
		}
	}
	if got := listJSON(t, srv, true, "zz-nobody-has-this"); len(got) != 0 {
		t.Errorf("nonsense search found %v", ids(got))
	}
}

func TestListWindowClosingWithin2h(t *testing.T) {
	t.Parallel() // its own sandbox
	srv := cmdtest.Start(t, sandbox.Options{})
	start := time.Now()
	rows := listJSON(t, srv, false, "--window-closing-within", "2h", "--all")
	got := ids(rows)
	if !slices.Contains(got, cmdtest.ClosingSoonID) {
		t.Errorf("contact %d (closes in ~90m) missing: %v", cmdtest.ClosingSoonID, got)
	}
	for _, not := range []int64{cmdtest.AishaID, cmdtest.WindowClosedID} {
		if slices.Contains(got, not) {
			t.Errorf("contact %d listed, its window does not close within 2h", not)
		}
	}
	for _, r := range rows {
		if len(r.Windows) == 0 {
			t.Fatalf("contact %d: no window in the row", r.ID)
		}
		at, err := time.Parse(time.RFC3339, r.Windows[0].ClosesAt)
		if err != nil || at.Before(start.Add(-time.Second)) || at.After(start.Add(2*time.Hour+time.Minute)) {
			t.Errorf("contact %d: closesAt %q not within 2h (%v)", r.ID, r.Windows[0].ClosesAt, err)
		}
		if !strings.HasPrefix(r.Windows[0].Description, "open, closes in ") {
			t.Errorf("contact %d: description %q", r.ID, r.Windows[0].Description)
		}
	}
}

func TestListPipedTableAndTerminal(t *testing.T) {
	t.Parallel() // its own sandbox
	srv := cmdtest.Start(t, sandbox.Options{})
	f, out, _ := srv.Factory(false, "")
	if err := cmdtest.Exec(f, NewCmdList(f, nil), "--mine", "--limit", "50"); err != nil {
		t.Fatal(err)
	}
	var aisha string
	for _, line := range strings.Split(out.String(), "\n") {
		if strings.HasPrefix(line, "1\t") {
			aisha = line
		}
	}
	fields := strings.Split(aisha, "\t")
	if len(fields) != 7 || fields[1] != "Aisha Rahman" || fields[2] != "Lee Wong" ||
		fields[3] != "open" || !strings.Contains(fields[6], "vip") || strings.Contains(out.String(), "\x1b[") {
		t.Fatalf("piped row of Aisha: %q\n%s", aisha, out)
	}
	if _, err := time.Parse(time.RFC3339, fields[4]); err != nil {
		t.Errorf("piped time %q: %v", fields[4], err)
	}

	f, out, _ = srv.Factory(true, "")
	if err := cmdtest.Exec(f, NewCmdList(f, nil), "--mine", "--limit", "50"); err != nil {
		t.Fatal(err)
	}
	s := out.String()
	if !strings.Contains(s, "Aisha Rahman") || !strings.Contains(s, " ago") || !strings.Contains(s, "\x1b[") || strings.Contains(s, "\t") {
		t.Errorf("terminal table should be aligned, coloured, with relative times:\n%s", s)
	}
}

func TestListEmptyPrintsEmptyJSONArrayAndNoticeOnTable(t *testing.T) {
	t.Parallel() // its own sandbox
	srv := cmdtest.Start(t, sandbox.Options{})
	f, out, _ := srv.Factory(false, "json")
	if err := cmdtest.Exec(f, NewCmdList(f, nil), "--tag", "no-such-tag"); err != nil {
		t.Fatal(err)
	}
	if strings.TrimSpace(out.String()) != "[]" {
		t.Errorf("empty json list = %q, want []", out)
	}
	f, out, errOut := srv.Factory(false, "")
	if err := cmdtest.Exec(f, NewCmdSearch(f, nil), "zz-nobody-has-this"); err != nil {
		t.Fatal(err)
	}
	if out.Len() != 0 || !strings.Contains(errOut.String(), "No contacts match.") {
		t.Errorf("stdout %q stderr %q", out, errOut)
	}
}

func TestListCoreOnlyServerUnreadUnknown(t *testing.T) {
	t.Parallel() // its own sandbox
	srv := cmdtest.Start(t, sandbox.Options{CoreOnly: true})
	rows := listJSON(t, srv, false, "--unassigned", "--all")
	if len(rows) == 0 {
		t.Fatal("no unassigned contacts on the core-only server")
	}
	for _, r := range rows {
		if r.Assignee != nil || r.Status != "open" || r.Unread != nil {
			t.Fatalf("core row %+v: want unassigned, open, unread null", r)
		}
	}
	f, _, _ := srv.Factory(false, "json")
	err := cmdtest.Exec(f, NewCmdList(f, nil), "--status", "pending")
	if err == nil || !strings.Contains(err.Error(), "pending extension") {
		t.Errorf("pending on a core server: %v", err)
	}
}

func TestListBadFlagsAreUsageErrorsBeforeAnyRequest(t *testing.T) {
	for _, args := range [][]string{
		{"--limit", "0"}, {"--all", "--limit", "5"}, {"--mine", "--unassigned"}, {"--view", "x", "--mine"},
		{"--status", "bogus"}, {"--window-closing-within", "soon"}, {"--window-closing-within", "-1h"},
	} {
		f := cmdtest.NoRequestFactory(t)
		if err := cmdtest.Exec(f, NewCmdList(f, nil), args...); cmdutil.ExitCode(err) != cmdutil.ExitUsage {
			t.Errorf("list %v: exit %d (%v), want 2", args, cmdutil.ExitCode(err), err)
		}
	}
	for _, args := range [][]string{{}, {" "}, {"a", "b"}} {
		f := cmdtest.NoRequestFactory(t)
		if err := cmdtest.Exec(f, NewCmdSearch(f, nil), args...); cmdutil.ExitCode(err) != cmdutil.ExitUsage {
			t.Errorf("search %v: exit %d (%v), want 2", args, cmdutil.ExitCode(err), err)
		}
	}
}

func TestListUnknownViewExits5WithValidNames(t *testing.T) {
	t.Parallel() // its own sandbox
	srv := cmdtest.Start(t, sandbox.Options{})
	f, _, _ := srv.Factory(false, "")
	err := cmdtest.Exec(f, NewCmdList(f, nil), "--view", "No Such View")
	if cmdutil.ExitCode(err) != cmdutil.ExitNotFound || !strings.Contains(err.Error(), "VIP open") {
		t.Errorf("err = %v (exit %d)", err, cmdutil.ExitCode(err))
	}
}

func TestListAssigneeUnknownOrAmbiguousUser(t *testing.T) {
	t.Parallel() // its own sandbox
	srv := cmdtest.Start(t, sandbox.Options{})
	f, _, _ := srv.Factory(false, "json")
	err := cmdtest.Exec(f, NewCmdList(f, nil), "--assignee", "Lee Wrong")
	if cmdutil.ExitCode(err) != cmdutil.ExitNotFound || !strings.Contains(err.Error(), "did you mean Lee Wong") {
		t.Errorf("unknown user: %v (exit %d)", err, cmdutil.ExitCode(err))
	}
	f, _, _ = srv.Factory(false, "json")
	err = cmdtest.Exec(f, NewCmdList(f, nil), "--assignee", "n") // Nadia Karim, Priya Nair
	if cmdutil.ExitCode(err) != cmdutil.ExitUsage || !strings.Contains(err.Error(), "matches") || !strings.Contains(err.Error(), "use an email or id") {
		t.Errorf("ambiguous user: %v (exit %d)", err, cmdutil.ExitCode(err))
	}
}

// --window-closing-within lists the most urgent first: the window closing soonest on top,
// and --limit keeps the most urgent, not the first found.
func TestListWindowClosingSortedByUrgency(t *testing.T) {
	t.Parallel() // its own sandbox
	srv := cmdtest.Start(t, sandbox.Options{Seed: "demo"})
	all := listJSON(t, srv, false, "--window-closing-within", "24h", "--all")
	if len(all) < 3 {
		t.Fatalf("only %d contacts with a window closing within 24h", len(all))
	}
	closes := func(r jsonRow) time.Time {
		at, err := time.Parse(time.RFC3339, r.Windows[0].ClosesAt)
		if err != nil {
			t.Fatal(err)
		}
		return at
	}
	for i := 1; i < len(all); i++ {
		if closes(all[i]).Before(closes(all[i-1])) {
			t.Fatalf("not sorted by urgency at %d: %s after %s", i, all[i].Windows[0].ClosesAt, all[i-1].Windows[0].ClosesAt)
		}
	}
	top := listJSON(t, srv, false, "--window-closing-within", "24h", "-L", "2")
	if len(top) != 2 || top[0].ID != all[0].ID || top[1].ID != all[1].ID {
		t.Errorf("--limit 2 gave %v, want the two most urgent %v", ids(top), ids(all[:2]))
	}
}
