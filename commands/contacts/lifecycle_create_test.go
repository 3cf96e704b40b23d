package contacts_test

import (
	"context"
	"strings"
	"testing"

	"github.com/respondctl/respondctl/apiclient"
	"github.com/respondctl/respondctl/commands/cmdtest"
)

func TestCreateDeleteMerge(t *testing.T) {
	t.Parallel() // its own sandbox
	e := start(t)
	r := okRun(t, e.Run(nil, "contacts", "create", "--first-name", "Zed", "--email", "zed@example.com", "--field", "plan=pro", "--tag", "vip", "--lifecycle", "New Lead"))
	if !strings.HasPrefix(r.Stdout, "id:301 created contact 301 (Zed); tagged vip; lifecycle stage New Lead") {
		t.Fatalf("%s", r)
	}
	c := e.Contact(301)
	if c.Email == nil || *c.Email != "zed@example.com" || c.Lifecycle == nil || len(c.Tags) != 1 {
		t.Fatalf("created %+v", c)
	}
	r = e.Run(nil, "contacts", "create", "--first-name", "Zed", "--email", "zed@example.com")
	if r.Code == 0 || !strings.Contains(r.Stderr, "already exists") {
		t.Fatalf("duplicate: %s", r)
	}
	for _, args := range [][]string{
		{"contacts", "create", "--email", "a@example.com"},
		{"contacts", "create", "--first-name", "A"},
		{"contacts", "create", "--first-name", "A", "--email", "a@example.com", "--field", "shoe=1"},
		{"contacts", "merge", "5", "id:5"},
		{"contacts", "delete", "5", "6"},
	} {
		r := e.Run(nil, args...)
		if r.Code != 2 || !r.OneLineError() {
			t.Errorf("%v: %s", args, r)
		}
	}
	// Merge with itself through two spellings of the same contact is refused before any change.
	email := *e.Contact(1).Email
	r = e.Run(nil, "contacts", "merge", "1", email)
	if r.Code != 2 || !strings.Contains(r.Stderr, "are the same contact (id 1)") {
		t.Fatalf("self merge: %s", r)
	}
	// Merge: dry run, then the real one.
	r = okRun(t, e.Run(nil, "contacts", "merge", "301", "7", "--dry-run"))
	if !strings.Contains(r.Stdout, "would merge") {
		t.Fatalf("%s", r)
	}
	r = okRun(t, e.Run(nil, "-o", "json", "contacts", "merge", "301", "7", "--field", "loyalty_points=5"))
	if recs := cmdtest.Records(t, r.Stdout); recs[0]["outcome"] != "done" || recs[0]["contactId"] != float64(301) {
		t.Fatalf("%s", r)
	}
	if _, err := e.Client().GetContact(context.Background(), apiclient.ContactID(7)); !apiclient.IsNotFound(err) {
		t.Fatalf("merged contact 7 still there: %v", err)
	}
	// Delete: on a terminal it asks (no answer: nothing deleted); a script needs --yes; a dry
	// run lists; several need --yes.
	e.StderrTTY = true
	r = e.Run(nil, "contacts", "delete", "301")
	e.StderrTTY = false
	if r.Code != 1 || !strings.Contains(r.Stderr, "Delete contact 301 and its whole conversation? [y/N]") || !strings.Contains(r.Stderr, "not confirmed") {
		t.Fatalf("prompt: %s", r)
	}
	r = e.Run(cmdtest.Str(""), "contacts", "delete", "301")
	if r.Code != 2 || !strings.Contains(r.Stderr, "--yes") {
		t.Fatalf("no --yes: %s", r)
	}
	r = okRun(t, e.Run(nil, "contacts", "delete", "8", "9", "--dry-run"))
	if !strings.Contains(r.Stdout, "id:8 would delete") {
		t.Fatalf("dry run: %s", r)
	}
	r = okRun(t, e.Run(nil, "contacts", "delete", "8", "9", "301", "--yes"))
	if strings.Count(r.Stdout, "deleted") != 3 {
		t.Fatalf("%s", r)
	}
	r = e.Run(nil, "contacts", "delete", "8", "--yes")
	if r.Code != 0 || !strings.Contains(r.Stdout, "not found") {
		t.Fatalf("delete again: %s", r)
	}
	if n := len(e.Audit("contact_deleted", 0)); n != 4 {
		t.Fatalf("%d contact_deleted audit rows", n)
	}
}
