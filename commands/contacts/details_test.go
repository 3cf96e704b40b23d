package contacts_test

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/respondctl/respondctl/commands"
	"github.com/respondctl/respondctl/commands/cmdtest"
	"github.com/respondctl/respondctl/sandbox"
)

func TestMain(m *testing.M) { cmdtest.Main(m, commands.Execute) }

func start(t *testing.T) *cmdtest.Env {
	return cmdtest.Start(t, sandbox.Options{Seed: "demo", Rate: 500})
}

func okRun(t *testing.T, r cmdtest.Result) cmdtest.Result {
	t.Helper()
	if r.Code != 0 {
		t.Fatalf("%s", r)
	}
	return r
}

func TestTagUntagSingleAndBulk(t *testing.T) {
	t.Parallel() // its own sandbox
	e := start(t)
	r := okRun(t, e.Run(nil, "contacts", "tag", "40", "gold", "VIP"))
	if r.Stdout != "id:40 tagged gold, VIP\n" || r.Stderr != "" {
		t.Fatalf("%s", r)
	}
	if tags := e.Contact(40).Tags; !slices.Contains(tags, "gold") || !slices.Contains(tags, "vip") {
		t.Fatalf("tags %v", tags)
	}
	// Idempotent: tagging again changes nothing and does not fail.
	okRun(t, e.Run(nil, "contacts", "tag", "40", "gold"))
	if n := strings.Count(strings.Join(e.Contact(40).Tags, ","), "gold"); n != 1 {
		t.Fatalf("gold %d times", n)
	}
	// Dry run per contact, then bulk from arguments, stdin and a view.
	r = okRun(t, e.Run(nil, "contacts", "tag", "40", "41", "gold", "--dry-run"))
	if !strings.Contains(r.Stdout, "id:40 already tagged gold") || !strings.Contains(r.Stdout, "id:41 would tag gold") {
		t.Fatalf("dry run: %s", r)
	}
	if slices.Contains(e.Contact(41).Tags, "gold") {
		t.Fatal("dry run tagged")
	}
	r = okRun(t, e.Run(cmdtest.Str("42\n43\n"), "contacts", "tag", "gold"))
	if strings.Count(r.Stdout, "tagged gold") != 2 || !strings.Contains(r.Stderr, "done 2") {
		t.Fatalf("stdin: %s", r)
	}
	r = okRun(t, e.Run(nil, "-o", "json", "contacts", "untag", "42", "43", "gold"))
	var recs []map[string]any
	if err := json.Unmarshal([]byte(r.Stdout), &recs); err != nil || len(recs) != 2 || recs[0]["outcome"] != "done" {
		t.Fatalf("json: %v %s", err, r)
	}
	r = okRun(t, e.Run(nil, "contacts", "tag", "--view", "Hot leads", "hot", "--limit", "3"))
	if strings.Count(r.Stdout, "tagged hot") != 3 {
		t.Fatalf("view: %s", r)
	}
	// A tag that looks like an identifier goes in --tag.
	okRun(t, e.Run(nil, "contacts", "tag", "44", "--tag", "2024"))
	if !slices.Contains(e.Contact(44).Tags, "2024") {
		t.Fatalf("--tag: %v", e.Contact(44).Tags)
	}
}

func TestTagBadInputChangesNothing(t *testing.T) {
	t.Parallel() // its own sandbox
	e := start(t)
	eleven := []string{"contacts", "tag", "40"}
	for i := 0; i < 11; i++ {
		eleven = append(eleven, "t"+string(rune('a'+i)))
	}
	for _, args := range [][]string{
		eleven,
		{"contacts", "tag", "40", "41"},
		{"contacts", "untag", "40"},
		{"contacts", "lifecycle"},
		{"contacts", "update", "40"},
		{"contacts", "update", "40", "--field", "shoe_size=9"},
		{"contacts", "update", "40", "--field", "loyalty_points=lots"},
		{"contacts", "update", "40", "--field", "birthday=31/12/1990"},
		{"contacts", "update", "40", "--field", "plan=Gold"},
		{"contacts", "update", "40", "--field", "noequals"},
	} {
		r := e.Run(nil, args...)
		if r.Code != 2 || !r.OneLineError() || !strings.HasPrefix(r.Stderr, "error: ") {
			t.Errorf("%v: want a one-line usage error: %s", args, r)
		}
	}
	r := e.Run(nil, "contacts", "update", "40", "--field", "loyalty_point=5")
	if !strings.Contains(r.Stderr, `unknown custom field "loyalty_point"; did you mean loyalty_points?`) {
		t.Errorf("suggestion: %s", r)
	}
	if n := len(e.Audit("", 0)); n != 0 {
		t.Fatalf("%d audit rows after refused commands", n)
	}
}

func TestLifecycleAndUpdate(t *testing.T) {
	t.Parallel() // its own sandbox
	e := start(t)
	r := okRun(t, e.Run(nil, "contacts", "lifecycle", "40", "41", "Hot Lead"))
	if strings.Count(r.Stdout, "lifecycle stage set to Hot Lead") != 2 {
		t.Fatalf("%s", r)
	}
	if l := e.Contact(41).Lifecycle; l == nil || *l != "Hot Lead" {
		t.Fatalf("lifecycle %v", l)
	}
	r = okRun(t, e.Run(nil, "contacts", "lifecycle", "40", "Hot Lead", "--dry-run"))
	if r.Stdout != "id:40 already Hot Lead\n" {
		t.Fatalf("dry run: %s", r)
	}
	okRun(t, e.Run(nil, "contacts", "lifecycle", "40", "--clear"))
	if l := e.Contact(40).Lifecycle; l != nil {
		t.Fatalf("not cleared: %v", *l)
	}
	r = e.Run(nil, "contacts", "lifecycle", "40", "Prospect")
	if r.Code == 0 || !strings.Contains(r.Stderr, "Hot Lead") {
		t.Fatalf("unknown stage: %s", r)
	}
	// In a bulk run an unknown stage stops the run instead of failing every contact.
	r = e.Run(cmdtest.Str(cmdtest.IDLines(100, 199)), "contacts", "lifecycle", "Prospect", "--workers", "1")
	if r.Code == 0 || strings.Count(r.Stderr, "does not exist") > 2 || len(e.Audit("lifecycle_updated", 0)) > 10 {
		t.Fatalf("bulk unknown stage: %d requests: %s", len(e.Audit("lifecycle_updated", 0)), r)
	}
	// update: standard and custom fields, typed; dry run shows the diff.
	r = okRun(t, e.Run(nil, "contacts", "update", "40", "--field", "plan=pro", "--field", "loyalty_points=250", "--email", "new40@example.com", "--dry-run"))
	if !strings.Contains(r.Stdout, "would change email:") || !strings.Contains(r.Stdout, "loyalty_points: ") || !strings.Contains(r.Stdout, "plan: (none) → Pro") {
		t.Fatalf("dry run: %s", r)
	}
	r = okRun(t, e.Run(nil, "contacts", "update", "40", "--field", "plan=pro", "--field", "loyalty_points=250", "--email", "new40@example.com", "--lifecycle", "Customer"))
	if r.Stdout != "id:40 updated email, loyalty_points, plan, lifecycle\n" {
		t.Fatalf("%s", r)
	}
	c := e.Contact(40)
	got := map[string]any{}
	for _, f := range c.CustomFields {
		got[f.Name] = f.Value
	}
	if c.Email == nil || *c.Email != "new40@example.com" || got["plan"] != "Pro" || got["loyalty_points"] != float64(250) || *c.Lifecycle != "Customer" {
		t.Fatalf("contact %+v %v", c, got)
	}
	r = okRun(t, e.Run(nil, "contacts", "update", "40", "--field", "plan=Pro", "--dry-run"))
	if r.Stdout != "id:40 already up to date\n" {
		t.Fatalf("no-op dry run: %s", r)
	}
	// Bulk update, journaled.
	r = okRun(t, e.Run(nil, "contacts", "update", "41", "42", "--field", "newsletter_opt_in=yes"))
	if !strings.Contains(r.Stderr, "done 2") {
		t.Fatalf("bulk: %s", r)
	}
	if j, _ := e.Journals(); len(j) == 0 {
		t.Fatal("bulk update not journaled")
	}
}
