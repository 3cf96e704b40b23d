package contacts_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/respondctl/respondctl/apiclient"
	"github.com/respondctl/respondctl/commands/cmdtest"
	"github.com/respondctl/respondctl/sandbox"
)

func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestUpsertDryRunApplyAndBadRows(t *testing.T) {
	t.Parallel() // its own sandbox
	e := start(t)
	existing := *e.Contact(1).Email
	csv := "email,first name,lastName,plan,loyalty_points,lifecycle\n" +
		existing + ",Aisha,,Pro,10,Customer\n" + // line 2: update
		"new1@example.com,New,One,free,,\n" + // line 3: create
		"bad-email,X,,,,\n" + // line 4: bad key
		"new2@example.com,Two,,Gold,,\n" + // line 5: not a list value
		"new3@example.com,Three,,,lots,\n" + // line 6: not a number
		"new4@example.com,Four\n" + // line 7: wrong cell count
		",Nobody,,,,\n" + // line 8: no key
		"new5@example.com,Five,,,,Hot Lead\n" // line 9: create with a stage
	path := writeFile(t, "crm.csv", csv)
	r := e.Run(nil, "contacts", "upsert", "--input", path, "--key", "email", "--dry-run")
	if r.Code != 3 {
		t.Fatalf("dry run: %s", r)
	}
	for _, want := range []string{"skipped line 4: email \"bad-email\" is not valid", "skipped line 5: custom field \"plan\": \"Gold\" is not one of",
		"skipped line 6: custom field \"loyalty_points\" is of type number", "skipped line 7: 2 cells, the header has 6", "skipped line 8: no email"} {
		if !strings.Contains(r.Stderr, want) {
			t.Errorf("missing %q in\n%s", want, r.Stderr)
		}
	}
	if !strings.Contains(r.Stdout, "email:new1@example.com would create with email=new1@example.com, firstName=New, lastName=One, plan=Free") ||
		!strings.Contains(r.Stdout, "would update contact 1: ") || !strings.Contains(r.Stdout, "→ Customer") || !strings.Contains(r.Stdout, "loyalty_points: ") {
		t.Fatalf("dry run diff: %s", r)
	}
	if n := len(e.Audit("", 0)); n != 0 {
		t.Fatalf("dry run wrote %d audit rows", n)
	}
	r = e.Run(nil, "contacts", "upsert", "--input", path, "--key", "email")
	if r.Code != 3 || strings.Count(r.Stdout, "upserted contact") != 3 {
		t.Fatalf("apply: %s", r)
	}
	c := e.Contact(1)
	if c.Lifecycle == nil || *c.Lifecycle != "Customer" {
		t.Fatalf("contact 1: %+v", c)
	}
	c5, err := e.Client().GetContact(context.Background(), "new5@example.com")
	if err != nil || c5.Lifecycle == nil || *c5.Lifecycle != "Hot Lead" {
		t.Fatalf("new5: %+v %v", c5, err)
	}
	// Again: nothing new is created.
	created := len(e.Audit("contact_created", 0))
	r = e.Run(nil, "contacts", "upsert", "--input", path, "--key", "email")
	if r.Code != 3 || len(e.Audit("contact_created", 0)) != created {
		t.Fatalf("rerun created contacts: %s", r)
	}
	// Keyed by phone: the phone column names the contact, created once then updated.
	phones := writeFile(t, "p.csv", "phone,firstName,newsletter_opt_in\n+60 19-555 0001,Pat,yes\n")
	okRun(t, e.Run(nil, "contacts", "upsert", "--input", phones, "--key", "phone"))
	r = okRun(t, e.Run(nil, "contacts", "upsert", "--input", phones, "--key", "phone", "--dry-run"))
	if !strings.HasPrefix(r.Stdout, "phone:+60195550001 contact ") || !strings.Contains(r.Stdout, "already up to date") {
		t.Fatalf("phone rerun: %s", r)
	}
	// An unknown column is refused before anything changes.
	r = e.Run(nil, "contacts", "upsert", "--input", writeFile(t, "x.csv", "email,shoe_size\na@example.com,9\n"))
	if r.Code != 2 || !strings.Contains(r.Stderr, `CSV column "shoe_size": unknown custom field`) {
		t.Fatalf("unknown column: %s", r)
	}
}

// upsertCSV is n rows keyed by email, every 50th row malformed (2%).
func upsertCSV(n int) (string, int) {
	var b strings.Builder
	b.WriteString("email,firstName,lastName,phone,plan,loyalty_points,newsletter_opt_in\n")
	bad := 0
	for i := 1; i <= n; i++ {
		switch {
		case i%50 == 0 && i%100 == 0:
			fmt.Fprintf(&b, "crm%d@example.com,Row,%d,,Platinum,1,true\n", i, i) // not a plan
			bad++
		case i%50 == 0:
			fmt.Fprintf(&b, "crm%d@example.com,Row,%d\n", i, i) // short row
			bad++
		default:
			fmt.Fprintf(&b, "crm%d@example.com,Row,%d,+6019%07d,Pro,%d,%t\n", i, i, i, i, i%2 == 0)
		}
	}
	return b.String(), bad
}

// runResume finishes a journaled contacts run, resuming until nothing is left (bounded).
func runResume(t *testing.T, e *cmdtest.Env, verb, journal string) cmdtest.Result {
	t.Helper()
	var r cmdtest.Result
	for i := 0; i < 5; i++ {
		r = e.Run(nil, "contacts", verb, "--resume", journal)
		t.Logf("resume %d: exit %d, %s", i+1, r.Code, cmdtest.LastLine(r.Stderr))
		if r.Code != 3 {
			return r
		}
	}
	return r
}

// kill -9 in the middle of an upsert, then --resume: every good row is applied, each contact
// is created exactly once, and each bad row is reported by its line. 5,000 rows; 300 -short.
func TestUpsertKill9AndResume(t *testing.T) {
	t.Parallel() // its own sandbox
	n := 5000
	if testing.Short() {
		n = 300
	}
	e := cmdtest.Start(t, sandbox.Options{Seed: "demo", Rate: 1000, Faults: "latency=1ms..5ms"})
	csv, bad := upsertCSV(n)
	input := writeFile(t, "crm.csv", csv)
	journal := filepath.Join(t.TempDir(), "upsert.jsonl")
	start := time.Now()
	cmd := e.Command("contacts", "upsert", "--input", input, "--key", "email", "--journal", journal, "--workers", "8")
	var stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &bytes.Buffer{}, &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(120 * time.Second)
	for cmdtest.JournalResults(journal) < (n-bad)/2 {
		if time.Now().After(deadline) {
			_ = cmd.Process.Kill()
			t.Fatalf("journal never reached %d results; stderr:\n%s", n/2, stderr.String())
		}
		time.Sleep(10 * time.Millisecond)
	}
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	_ = cmd.Wait()
	before := cmdtest.JournalResults(journal)
	if before >= n-bad {
		t.Fatalf("the run finished before the kill (%d results)", before)
	}
	for _, line := range []string{"skipped line 51: 3 cells, the header has 7", "skipped line 101: custom field \"plan\": \"Platinum\""} {
		if !strings.Contains(stderr.String(), line) {
			t.Errorf("first run did not report %q", line)
		}
	}
	r := runResume(t, e, "upsert", journal)
	if r.Code != 0 {
		t.Fatalf("resume: %s", r)
	}
	elapsed := time.Since(start)
	created := map[int64]int{}
	for _, row := range e.Audit("contact_created", 0) {
		if row.Result == "ok" && row.ContactID != nil {
			created[*row.ContactID]++
		}
	}
	if len(created) != n-bad {
		t.Fatalf("%d contacts created, want %d", len(created), n-bad)
	}
	for id, k := range created {
		if k != 1 {
			t.Errorf("contact %d created %d times", id, k)
		}
	}
	count, err := e.Client().CountContacts(context.Background(), apiclient.ContactListRequest{Search: "crm"})
	if err != nil || count.Count != n-bad {
		t.Fatalf("%d crm contacts (%v), want %d", count.Count, err, n-bad)
	}
	t.Logf("upsert of %d rows (%d malformed): killed after %d results, resumed; %d contacts, each created once; %s total",
		n, bad, before, n-bad, elapsed.Round(time.Millisecond))
}

// A bulk tag of a view under 5xx, 429 and connection resets (some after the change) ends with
// every contact tagged once: tagging is idempotent, so a retried item never fails. 1,000
// contacts; 100 with -short. Logs the throughput beside a bulk assign of the same contacts.
func TestTagViewUnderFaults(t *testing.T) {
	t.Parallel() // its own sandbox
	n := 1000
	if testing.Short() {
		n = 100
	}
	// The All view (open conversations, under half the contacts) of a seed three times as big, cut at n by --limit.
	e := cmdtest.StartUnderFaults(t, "large:"+strconv.Itoa(3*n))
	begin := time.Now()
	r := e.Run(nil, "contacts", "tag", "--view", "All", "--limit", strconv.Itoa(n), "promo", "--workers", "16")
	if r.Code == 3 {
		j, _ := e.Journals()
		r = runResume(t, e, "tag", j[0])
	}
	tagTime := time.Since(begin)
	if r.Code != 0 {
		t.Fatalf("%s", r)
	}
	c, err := e.Client().CountContacts(context.Background(), apiclient.ContactListRequest{Filter: &apiclient.Filter{And: []apiclient.Condition{
		apiclient.TagCondition(apiclient.OpHasAnyOf, "promo")}}})
	if err != nil || c.Count != n {
		t.Fatalf("%d of %d tagged (%v): %s", c.Count, n, err, r)
	}
	events := 0
	for _, row := range e.Audit("tags_added", 0) {
		if row.Result == "ok" && strings.HasSuffix(row.Request, "changed=promo") {
			events++
		}
	}
	if events != n {
		t.Fatalf("%d requests added the tag, want exactly %d (once per contact)", events, n)
	}
	if testing.Short() {
		return
	}
	begin = time.Now()
	first, _ := e.RunToCompletion(nil, "assign", "--view", "All", "--limit", strconv.Itoa(n), "--to", "priya@example.com", "--workers", "16")
	assignTime := time.Since(begin)
	t.Logf("tag %d contacts: %s (%.0f/s); assign the same: %s (%.0f/s); ratio tag/assign %.2f; %s",
		n, tagTime.Round(time.Millisecond), float64(n)/tagTime.Seconds(), assignTime.Round(time.Millisecond),
		float64(n)/assignTime.Seconds(), tagTime.Seconds()/assignTime.Seconds(), cmdtest.LastLine(first.Stderr))
}
