package bulk

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestJournalLockOneProcessPerJournal(t *testing.T) {
	path := filepath.Join(t.TempDir(), "send.jsonl")
	j, err := CreateJournal(path, JournalHeader{Action: "send"}, targetsN(2))
	if err != nil {
		t.Fatal(err)
	}
	// The run is alive: a resume is refused, naming the owner.
	_, err = OpenJournal(path)
	var locked *LockedError
	if !errors.As(err, &locked) || !strings.Contains(err.Error(), fmt.Sprintf("pid %d", os.Getpid())) {
		t.Fatalf("second runner: %v", err)
	}
	j.Close()

	first, err := OpenJournal(path)
	if err != nil {
		t.Fatalf("after the run ended: %v", err)
	}
	if first.StaleLockOwner() != "" {
		t.Errorf("a cleanly released lock reported stale: %q", first.StaleLockOwner())
	}
	if _, err := OpenJournal(path); !errors.As(err, &locked) {
		t.Fatalf("two resumes: %v", err)
	}
	first.Close()

	// A lock file left by a process that died holding it (kill -9): taken over.
	if err := os.WriteFile(path+".lock", []byte("pid 999999 on host gone since 2026-01-01T00:00:00Z\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	re, err := OpenJournal(path)
	if err != nil {
		t.Fatalf("stale lock not taken over: %v", err)
	}
	defer re.Close()
	if !strings.Contains(re.StaleLockOwner(), "pid 999999") {
		t.Errorf("StaleLockOwner = %q", re.StaleLockOwner())
	}
}
