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

// A clean run leaves no lock file behind, and a process that locked the file its owner was
// removing (it opened it just before) sees that the path no longer names it.
func TestJournalLockFileRemovedOnRelease(t *testing.T) {
	path := filepath.Join(t.TempDir(), "assign.jsonl")
	j, err := CreateJournal(path, JournalHeader{Action: "assign"}, targetsN(1))
	if err != nil {
		t.Fatal(err)
	}
	late, err := os.OpenFile(path+".lock", os.O_RDWR, 0) // a second runner, between open and lock
	if err != nil {
		t.Fatal(err)
	}
	defer late.Close()
	if !stillNamed(path+".lock", late) {
		t.Fatal("the lock file is not named by its path while held")
	}
	j.Close()
	if _, err := os.Stat(path + ".lock"); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("lock file after a clean release: %v", err)
	}
	if held, err := tryLock(late); err != nil || !held {
		t.Fatalf("the released file: held %v, %v", held, err)
	}
	if stillNamed(path+".lock", late) {
		t.Fatal("a removed lock file still counts as the journal's lock")
	}
	// The next runner locks a new file, whatever the late one holds.
	re, err := OpenJournal(path)
	if err != nil {
		t.Fatalf("resume after the release: %v", err)
	}
	if _, err := OpenJournal(path); err == nil {
		t.Fatal("two resumes both hold the journal")
	}
	re.Close()
}
