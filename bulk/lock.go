package bulk

import (
	"fmt"
	"io"
	"os"
	"strings"
	"time"
)

// One process per journal: a journal is locked for the whole run, so a second --resume (or a
// resume while the first run is still alive) cannot act on the same pending targets. The lock
// is <journal>.lock next to the journal: an OS file lock (flock) where there is one, held until
// the process ends (the kernel drops it when the process dies, so a kill -9 leaves no stale
// lock); the file names the owner (pid, host, start) for the refusal message. A run removes
// the file when it releases the lock (while still holding it), and a process that locks a file
// checks that the path still names that file — if the previous owner removed it in between, it
// locks the new one instead — so two processes never hold locks on different files, and no
// lock file is left behind after a clean run.

// LockedError: another live process runs this journal.
type LockedError struct {
	Path  string
	Owner string // "pid 4242 on host build-1 since 2026-11-30T23:50:00Z", or "" when unreadable
}

func (e *LockedError) Error() string {
	owner := e.Owner
	if owner == "" {
		owner = "another process"
	}
	return fmt.Sprintf("journal %s is in use by %s: wait for that run to finish (or stop it) before resuming; if it is gone, remove %s.lock", e.Path, owner, e.Path)
}

// journalLock is a held journal lock.
type journalLock struct {
	f *os.File
	// stale is the owner a lock file named when this process took it over (its owner had
	// died without releasing it cleanly); "" when the lock was free.
	stale string
}

func lockJournal(journal string) (*journalLock, error) {
	path := journal + ".lock"
	var f *os.File
	var held bool
	for attempt := 0; ; attempt++ {
		var err error
		f, err = os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
		if err != nil {
			return nil, fmt.Errorf("journal lock: %w", err)
		}
		held, err = tryLock(f)
		if err != nil {
			f.Close()
			return nil, fmt.Errorf("journal lock %s: %w", path, err)
		}
		if !held || stillNamed(path, f) || attempt == 10 {
			break
		}
		// The owner released (and removed) the file between our open and our lock: the
		// lock we hold is on a file nobody else will open. Lock the one the path names now.
		f.Close()
	}
	prev := readOwner(f)
	for wait := 0; !held && prev == "" && wait < 50; wait++ {
		time.Sleep(2 * time.Millisecond) // the owner locked it a moment ago and is writing its name
		prev = readOwner(f)
	}
	if !held {
		f.Close()
		if !ownerAlive(prev) {
			return nil, fmt.Errorf("journal lock %s: held by %s, which is no longer running; remove the lock file and resume again", path, prev)
		}
		return nil, &LockedError{Path: journal, Owner: prev}
	}
	host, _ := os.Hostname()
	owner := fmt.Sprintf("pid %d on host %s since %s", os.Getpid(), host, time.Now().UTC().Format(time.RFC3339))
	if err := f.Truncate(0); err == nil {
		_, _ = f.WriteAt([]byte(owner+"\n"), 0)
		_ = f.Sync()
	}
	return &journalLock{f: f, stale: prev}, nil
}

// stillNamed reports whether path still names the open file f.
func stillNamed(path string, f *os.File) bool {
	a, err := os.Stat(path)
	if err != nil {
		return false
	}
	b, err := f.Stat()
	return err == nil && os.SameFile(a, b)
}

// release removes the lock file while still holding it (a process waiting on the same file
// finds the path gone and locks a new one; see stillNamed), then drops the lock. Where the
// file cannot be removed, it is left empty: cleanly released.
func (l *journalLock) release() {
	if l == nil || l.f == nil {
		return
	}
	if err := os.Remove(l.f.Name()); err != nil {
		_ = l.f.Truncate(0)
	}
	_ = l.f.Close() // closing drops the OS lock
	l.f = nil
}

func readOwner(f *os.File) string {
	buf := make([]byte, 256)
	n, err := f.ReadAt(buf, 0)
	if err != nil && err != io.EOF {
		return ""
	}
	return strings.TrimSpace(strings.ToValidUTF8(string(buf[:n]), "?"))
}
