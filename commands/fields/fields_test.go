package fields_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/respondctl/respondctl/commands"
	"github.com/respondctl/respondctl/commands/cmdtest"
	"github.com/respondctl/respondctl/sandbox"
)

func TestMain(m *testing.M) { cmdtest.Main(m, commands.Execute) }

func TestFieldsListShowCreate(t *testing.T) {
	e := cmdtest.Start(t, sandbox.Options{Seed: "demo", Rate: 500})
	r := e.Run(nil, "fields", "list")
	if r.Code != 0 || !strings.Contains(r.Stdout, "5\tplan\tlist\tFree, Pro, Enterprise\tSubscription plan") {
		t.Fatalf("%s", r)
	}
	r = e.Run(nil, "-o", "json", "fields", "show", "loyalty_points")
	var f map[string]any
	if err := json.Unmarshal([]byte(r.Stdout), &f); err != nil || f["dataType"] != "number" || f["id"] != float64(2) {
		t.Fatalf("%v %s", err, r)
	}
	r = e.Run(nil, "fields", "show", "loyalty")
	if r.Code != 5 {
		t.Fatalf("unknown: %s", r)
	}
	r = e.Run(nil, "-o", "json", "fields", "create", "Shoe size", "--type", "list", "--values", "S,M,L")
	if err := json.Unmarshal([]byte(r.Stdout), &f); err != nil || f["slug"] != "shoe_size" || len(f["allowedValues"].([]any)) != 3 {
		t.Fatalf("create: %v %s", err, r)
	}
	// The new field is usable at once, typed.
	if r := e.Run(nil, "contacts", "update", "5", "--field", "shoe size=m"); r.Code != 0 {
		t.Fatalf("use: %s", r)
	}
	for _, args := range [][]string{
		{"fields", "create", "x", "--type", "colour"},
		{"fields", "create", "x"},
		{"fields", "create", "x", "--type", "list"},
		{"fields", "create", "x", "--type", "text", "--values", "a"},
	} {
		if r := e.Run(nil, args...); r.Code != 2 {
			t.Errorf("%v: %s", args, r)
		}
	}
	if r := e.Run(nil, "fields", "create", "Shoe Size", "--type", "text"); r.Code == 0 || !strings.Contains(r.Stderr, "already exists") {
		t.Fatalf("duplicate: %s", r)
	}
	if n := len(e.Audit("custom_field_created", 0)); n != 2 {
		t.Fatalf("%d audit rows, want 2 (created, duplicate refused by the server)", n)
	}
}
