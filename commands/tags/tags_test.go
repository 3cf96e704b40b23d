package tags_test

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

func TestTagsCreateRenameDelete(t *testing.T) {
	e := cmdtest.Start(t, sandbox.Options{Seed: "demo", Rate: 500})
	if r := e.Run(nil, "tags", "create", "gold", "--color", "#FFD700"); r.Code != 0 || r.Stdout != "created tag \"gold\"\n" {
		t.Fatalf("%s", r)
	}
	if r := e.Run(nil, "tags", "create", "gold"); r.Code == 0 || !strings.Contains(r.Stderr, "already exists") {
		t.Fatalf("duplicate: %s", r)
	}
	if !slices.Contains(e.Contact(1).Tags, "vip") {
		t.Fatal("seed: contact 1 is not vip")
	}
	r := e.Run(nil, "-o", "json", "tags", "rename", "vip", "very-important")
	var res map[string]any
	if err := json.Unmarshal([]byte(r.Stdout), &res); err != nil || res["outcome"] != "renamed" || res["previousName"] != "vip" {
		t.Fatalf("rename: %v %s", err, r)
	}
	if tags := e.Contact(1).Tags; !slices.Contains(tags, "very-important") || slices.Contains(tags, "vip") {
		t.Fatalf("contact 1 after rename: %v", tags)
	}
	if r := e.Run(nil, "tags", "rename", "vip", "x"); r.Code != 5 {
		t.Fatalf("rename missing: %s", r)
	}
	// Delete asks on a terminal; a script needs --yes.
	r = e.Run(cmdtest.Str(""), "tags", "delete", "very-important")
	if r.Code != 2 || !strings.Contains(r.Stderr, "pass --yes") {
		t.Fatalf("no --yes: %s", r)
	}
	if r := e.Run(nil, "tags", "delete", "very-important", "--yes"); r.Code != 0 {
		t.Fatalf("%s", r)
	}
	if tags := e.Contact(1).Tags; slices.Contains(tags, "very-important") {
		t.Fatalf("contact 1 after delete: %v", tags)
	}
}
