package bulk

import (
	"errors"
	"path/filepath"
	"strings"
	"testing"
)

func TestWorkspaceBinding(t *testing.T) {
	const token = "tok-secret-1234567890"
	fp := TokenFingerprint(token)
	if fp == "" || strings.Contains(fp, token) || strings.Contains(fp, token[len(token)-4:]) {
		t.Fatalf("fingerprint %q shows the token", fp)
	}
	api := Workspace{BaseURL: "https://api.respond.io/v2", Profile: "work", TokenFingerprint: fp}
	cases := []struct {
		name string
		cur  Workspace
		same bool
	}{
		{"same, other profile name", Workspace{BaseURL: "https://api.respond.io/v2/", Profile: "alias", TokenFingerprint: fp}, true},
		{"other token on the same URL", Workspace{BaseURL: "https://api.respond.io/v2", TokenFingerprint: TokenFingerprint("other")}, false},
		{"other URL", Workspace{BaseURL: "http://127.0.0.1:9/v2", TokenFingerprint: fp}, false},
		{"the sandbox", Workspace{SandboxDB: "/s/sandbox.db"}, false},
	}
	for _, c := range cases {
		if got := api.Same(c.cur); got != c.same {
			t.Errorf("%s: Same = %v", c.name, got)
		}
	}
	if !(Workspace{SandboxDB: "/s/a/../sandbox.db"}).Same(Workspace{SandboxDB: "/s/sandbox.db"}) {
		t.Error("one sandbox database under two spellings")
	}

	dir := t.TempDir()
	j, err := CreateJournal(filepath.Join(dir, "j.jsonl"), JournalHeader{Action: "assign", Workspace: api}, []Target{{ID: "id:1"}})
	if err != nil {
		t.Fatal(err)
	}
	j.Close()
	j, err = OpenJournal(j.Path())
	if err != nil {
		t.Fatal(err)
	}
	defer j.Close()
	if err := j.CheckWorkspace(cases[0].cur); err != nil {
		t.Fatalf("same workspace refused: %v", err)
	}
	var mm *WorkspaceMismatchError
	if err := j.CheckWorkspace(cases[3].cur); !errors.As(err, &mm) || !strings.Contains(err.Error(), "/s/sandbox.db") || !strings.Contains(err.Error(), "api.respond.io") {
		t.Fatalf("other workspace: %v", err)
	}

	old, err := CreateJournal(filepath.Join(dir, "old.jsonl"), JournalHeader{Action: "assign"}, []Target{{ID: "id:1"}})
	if err != nil {
		t.Fatal(err)
	}
	defer old.Close()
	var none *NoWorkspaceError
	if err := old.CheckWorkspace(api); !errors.As(err, &none) || !strings.Contains(err.Error(), "--workspace-check=off") {
		t.Fatalf("journal without a workspace: %v", err)
	}
}
