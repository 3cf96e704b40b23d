package bulk

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
	"time"
)

// JournalVersion is the format version written in the header record. Version 2 added the
// journal id and record sequence numbers; version 1 journals are still read.
const JournalVersion = 2

// JournalHeader is the first record of a journal: what was being done, so a
// resume can rebuild the same Action.
type JournalHeader struct {
	Version int
	ID      string         // random, written in every record: a line of another journal is recognised
	Action  string         // Action.Name(), e.g. "assign"
	Params  map[string]any // action parameters the command needs to rebuild the Action (message text, channel…)
	Command []string       // the original command line, for the record (never put a token here)
	Targets int
	Created time.Time
	// Workspace is where the run acts; a resume elsewhere is refused (CheckWorkspace).
	Workspace Workspace
}

// JournalEntry is the last recorded outcome of one target.
type JournalEntry struct {
	Outcome Outcome
	Detail  string
	Extra   Facts
	At      time.Time
}

// JournalState is what a journal file says: the plan and how far it got.
type JournalState struct {
	Header  JournalHeader
	Targets []Target
	// Results holds the last result recorded per target index.
	Results map[int]JournalEntry
	// InFlight holds targets with a start record and no later result: the
	// process stopped (or was killed) while acting on them.
	InFlight map[int]bool
	// Started is when each target's latest start record was written (zero for journals
	// before version 2): a reconciliation looks for the message from then on.
	Started map[int]time.Time
	// TruncatedTail reports that an incomplete or unreadable final record
	// (a crash mid-write) was ignored.
	TruncatedTail bool
	// Damage lists what was wrong after the target snapshot (a line of another journal, a
	// repeated line, records missing in the middle of the file, an unreadable line), one
	// entry per line. A damaged journal's unsettled targets are treated as unknown.
	Damage []string

	lastSeq uint64 // sequence number of the last record read or appended (version 2)

	validLen int64 // bytes up to the end of the last good record
}

// Journal is an append-only JSON-lines record of a bulk run. Records reach
// the disk (fsync) before the engine reports the item they describe.
type Journal struct {
	path  string
	state *JournalState
	now   func() time.Time
	lock  *journalLock // held from create/open to Close: one process per journal

	mu      sync.Mutex // serialises appends and state updates
	f       *os.File
	written uint64 // records appended so far
	err     error  // sticky: once a write or sync fails, the journal is unusable

	syncMu sync.Mutex // one fsync at a time; waiters piggy-back on it (group commit)
	synced uint64

	scrub func(string) string // SetScrubber; nil: none
}

// DefaultJournalDir is $XDG_STATE_HOME/respondctl/journals, falling back to
// ~/.local/state/respondctl/journals.
func DefaultJournalDir() (string, error) {
	if dir := os.Getenv("XDG_STATE_HOME"); dir != "" && filepath.IsAbs(dir) {
		return filepath.Join(dir, "respondctl", "journals"), nil
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return "", fmt.Errorf("journal directory: %w", err)
	}
	return filepath.Join(home, ".local", "state", "respondctl", "journals"), nil
}

// JournalOption adjusts CreateJournal.
type JournalOption func(*journalConfig)

type journalConfig struct {
	stateDir func() (string, error)
}

// UnderStateDir puts a journal created without a path in stateDir()/journals
// instead of DefaultJournalDir, so the directory comes from the caller's
// environment (cmdutil.Factory.StateDir) rather than the process's. stateDir is
// called only when the path is ""; nil means DefaultJournalDir.
func UnderStateDir(stateDir func() (string, error)) JournalOption {
	return func(c *journalConfig) { c.stateDir = stateDir }
}

func (c journalConfig) dir() (string, error) {
	if c.stateDir == nil {
		return DefaultJournalDir()
	}
	dir, err := c.stateDir()
	if err != nil {
		return "", fmt.Errorf("journal directory: %w", err)
	}
	return filepath.Join(dir, "journals"), nil
}

// CreateJournal creates a new journal at path (refusing to overwrite one) or,
// when path is "", at DefaultJournalDir()/<action>-<UTC timestamp>.jsonl (see
// UnderStateDir for another directory). It
// writes the header and the whole target snapshot and fsyncs them before
// returning, so a run over a view is pinned to the targets it saw.
func CreateJournal(path string, h JournalHeader, targets []Target, opts ...JournalOption) (*Journal, error) {
	var cfg journalConfig
	for _, o := range opts {
		o(&cfg)
	}
	h.Version = JournalVersion
	h.ID = newJournalID()
	h.Targets = len(targets)
	if h.Created.IsZero() {
		h.Created = time.Now()
	}
	h.Created = h.Created.UTC().Truncate(time.Second)

	var buf bytes.Buffer
	if err := encodeSnapshot(&buf, h, targets); err != nil {
		return nil, err
	}
	f, path, err := createExclusive(path, cfg, h)
	if err != nil {
		return nil, err
	}
	lock, err := lockJournal(path)
	if err != nil {
		f.Close()
		return nil, err
	}
	if _, err := f.Write(buf.Bytes()); err != nil {
		f.Close()
		lock.release()
		return nil, fmt.Errorf("journal %s: %w", path, err)
	}
	if err := f.Sync(); err != nil {
		f.Close()
		lock.release()
		return nil, fmt.Errorf("journal %s: %w", path, err)
	}
	syncDir(filepath.Dir(path)) // make the new directory entry durable too
	st := &JournalState{
		Header: h, Targets: append([]Target(nil), targets...),
		Results: map[int]JournalEntry{}, InFlight: map[int]bool{}, Started: map[int]time.Time{},
		validLen: int64(buf.Len()), lastSeq: uint64(len(targets)),
	}
	return &Journal{path: path, state: st, f: f, now: time.Now, lock: lock}, nil
}

func createExclusive(path string, cfg journalConfig, h JournalHeader) (*os.File, string, error) {
	const flags = os.O_WRONLY | os.O_CREATE | os.O_EXCL | os.O_APPEND
	if path != "" {
		// Absolute, so the resume line printed at the end works from any directory.
		if abs, err := filepath.Abs(path); err == nil {
			path = abs
		}
		if dir := filepath.Dir(path); dir != "" {
			if err := os.MkdirAll(dir, 0o700); err != nil {
				return nil, "", fmt.Errorf("journal: %w", err)
			}
		}
		f, err := os.OpenFile(path, flags, 0o600)
		if err != nil {
			return nil, "", fmt.Errorf("journal: %w", err)
		}
		return f, path, nil
	}
	dir, err := cfg.dir()
	if err != nil {
		return nil, "", err
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, "", fmt.Errorf("journal: %w", err)
	}
	base := fmt.Sprintf("%s-%s", h.Action, h.Created.Format("20060102T150405Z"))
	for n := 1; n < 100; n++ {
		p := filepath.Join(dir, base+".jsonl")
		if n > 1 {
			p = filepath.Join(dir, fmt.Sprintf("%s-%d.jsonl", base, n))
		}
		f, err := os.OpenFile(p, flags, 0o600)
		if errors.Is(err, fs.ErrExist) {
			continue // two runs in the same second
		}
		if err != nil {
			return nil, "", fmt.Errorf("journal: %w", err)
		}
		return f, p, nil
	}
	return nil, "", fmt.Errorf("journal: too many journals named %s-* in %s", base, dir)
}

func newJournalID() string {
	b := make([]byte, 8)
	if _, err := rand.Read(b); err != nil {
		return fmt.Sprintf("t%x", time.Now().UnixNano()) // unique enough to tell journals apart
	}
	return hex.EncodeToString(b)
}

func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync() // best effort: not every platform can fsync a directory
		d.Close()
	}
}

// OpenJournal opens an existing journal to resume it. An incomplete final
// record (kill -9 mid-write) is ignored, reported in State().TruncatedTail,
// and cut off so new records start on a clean line.
func OpenJournal(path string) (j *Journal, err error) {
	if fi, err := os.Stat(path); err != nil {
		return nil, fmt.Errorf("journal: %w", err)
	} else if !fi.Mode().IsRegular() {
		return nil, &BadJournalError{Path: path, Err: errors.New("not a journal: not a regular file")}
	}
	// Lock before reading: what a run still going would append must not be missed.
	lock, err := lockJournal(path)
	if err != nil {
		return nil, err
	}
	defer func() {
		if err != nil {
			lock.release()
		}
	}()
	data, err := readJournalBytes(path)
	if err != nil {
		return nil, err
	}
	st, err := ReadJournal(bytes.NewReader(data))
	if err != nil {
		return nil, &BadJournalError{Path: path, Err: err}
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		return nil, fmt.Errorf("journal: %w", err)
	}
	if st.validLen < int64(len(data)) {
		if err := f.Truncate(st.validLen); err != nil {
			f.Close()
			return nil, fmt.Errorf("journal %s: cutting the incomplete last record: %w", path, err)
		}
		if err := f.Sync(); err != nil {
			f.Close()
			return nil, fmt.Errorf("journal %s: %w", path, err)
		}
	}
	return &Journal{path: path, state: st, f: f, now: time.Now, lock: lock}, nil
}

// StaleLockOwner names the owner of a lock this process took over from a run that had died
// without releasing it ("" when the lock was free).
func (j *Journal) StaleLockOwner() string {
	if j.lock == nil {
		return ""
	}
	return j.lock.stale
}

// ReadJournalFile reads a journal without taking its lock, for inspection (what a resume
// would find); the run that owns it may still be appending.
func ReadJournalFile(path string) (*JournalState, error) {
	data, err := readJournalBytes(path)
	if err != nil {
		return nil, err
	}
	st, err := ReadJournal(bytes.NewReader(data))
	if err != nil {
		return nil, &BadJournalError{Path: path, Err: err}
	}
	return st, nil
}

// BadJournalError: the file cannot be resumed (not a journal, or damaged where nothing can be
// recovered: its header or target snapshot).
type BadJournalError struct {
	Path string
	Err  error
}

func (e *BadJournalError) Error() string { return fmt.Sprintf("journal %s: %v", e.Path, e.Err) }
func (e *BadJournalError) Unwrap() error { return e.Err }

// MaxJournalBytes bounds what is read of a journal: a million targets fit many times over;
// anything larger (or endless, `--resume /dev/zero`) is not a journal.
const MaxJournalBytes = 1 << 30

// readJournalBytes reads a journal file, refusing what is not a regular file or is too large
// before reading it into memory.
func readJournalBytes(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("journal: %w", err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("journal: %w", err)
	}
	if !fi.Mode().IsRegular() {
		return nil, &BadJournalError{Path: path, Err: errors.New("not a journal: not a regular file")}
	}
	if fi.Size() > MaxJournalBytes {
		return nil, &BadJournalError{Path: path, Err: fmt.Errorf("not a journal: %d bytes, more than any journal (%d MiB)", fi.Size(), MaxJournalBytes>>20)}
	}
	data, err := io.ReadAll(io.LimitReader(f, MaxJournalBytes+1))
	if err != nil {
		return nil, fmt.Errorf("journal: %w", err)
	}
	if len(data) > MaxJournalBytes {
		return nil, &BadJournalError{Path: path, Err: errors.New("not a journal: larger than any journal")}
	}
	return data, nil
}

// Path is the journal's file name, for the resume hint.
func (j *Journal) Path() string { return j.path }

// Header is the journal's header record.
func (j *Journal) Header() JournalHeader { return j.state.Header }

// Targets is the snapshot of targets, in order, with their plan params.
func (j *Journal) Targets() []Target { return j.state.Targets }

// State returns a copy of what is known about every target, including records
// appended by this process.
func (j *Journal) State() JournalState {
	j.mu.Lock()
	defer j.mu.Unlock()
	st := *j.state
	st.Results = make(map[int]JournalEntry, len(j.state.Results))
	for k, v := range j.state.Results {
		st.Results[k] = v
	}
	st.InFlight = make(map[int]bool, len(j.state.InFlight))
	for k, v := range j.state.InFlight {
		st.InFlight[k] = v
	}
	st.Started = make(map[int]time.Time, len(j.state.Started))
	for k, v := range j.state.Started {
		st.Started[k] = v
	}
	st.Damage = append([]string(nil), j.state.Damage...)
	return st
}

// Close flushes and closes the file.
func (j *Journal) Close() error {
	j.mu.Lock()
	defer j.mu.Unlock()
	if j.f == nil {
		return nil
	}
	err := j.f.Sync()
	if cerr := j.f.Close(); err == nil {
		err = cerr
	}
	j.f = nil
	j.lock.release()
	return err
}
