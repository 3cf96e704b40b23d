package bulk

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A journal without a path goes under the caller's state directory, not the
// process's XDG_STATE_HOME.
func TestJournalUnderStateDir(t *testing.T) {
	t.Setenv("XDG_STATE_HOME", filepath.Join(t.TempDir(), "process-state"))
	state := filepath.Join(t.TempDir(), "respondctl")
	h := JournalHeader{Action: "send", Created: testCreated}
	j, err := CreateJournal("", h, targetsN(1), UnderStateDir(func() (string, error) { return state, nil }))
	if err != nil {
		t.Fatal(err)
	}
	defer j.Close()
	if want := filepath.Join(state, "journals", "send-20250102T030405Z.jsonl"); j.Path() != want {
		t.Errorf("path = %s, want %s", j.Path(), want)
	}
	if _, err := os.Stat(filepath.Join(os.Getenv("XDG_STATE_HOME"), "respondctl")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("process state dir was touched: %v", err)
	}
}

func TestJournalUnderStateDirNilAndExplicitPath(t *testing.T) {
	process := t.TempDir()
	t.Setenv("XDG_STATE_HOME", process)
	h := JournalHeader{Action: "done", Created: testCreated}
	j, err := CreateJournal("", h, targetsN(1), UnderStateDir(nil)) // nil: DefaultJournalDir
	if err != nil {
		t.Fatal(err)
	}
	j.Close()
	if want := filepath.Join(process, "respondctl", "journals", "done-20250102T030405Z.jsonl"); j.Path() != want {
		t.Errorf("path = %s, want %s", j.Path(), want)
	}
	// An explicit path wins and the state directory is never asked for.
	path := filepath.Join(t.TempDir(), "mine.jsonl")
	j, err = CreateJournal(path, h, targetsN(1), UnderStateDir(func() (string, error) {
		t.Error("stateDir called although a path was given")
		return "", nil
	}))
	if err != nil {
		t.Fatal(err)
	}
	j.Close()
	if j.Path() != path {
		t.Errorf("path = %s, want %s", j.Path(), path)
	}
}

func TestJournalStateDirError(t *testing.T) {
	_, err := CreateJournal("", JournalHeader{Action: "send"}, targetsN(1),
		UnderStateDir(func() (string, error) { return "", errors.New("no home") }))
	if err == nil || !strings.Contains(err.Error(), "journal directory: no home") {
		t.Fatalf("err = %v", err)
	}
}

// A journal named relative to the working directory is recorded (and printed in the resume
// line) absolute, so the resume works from any directory.
func TestRelativeJournalPathBecomesAbsolute(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	j, err := CreateJournal("rel.jsonl", JournalHeader{Action: "assign"}, targetsN(2))
	if err != nil {
		t.Fatal(err)
	}
	defer j.Close()
	if want := filepath.Join(dir, "rel.jsonl"); j.Path() != want {
		t.Fatalf("journal path %q, want %q", j.Path(), want)
	}
}
