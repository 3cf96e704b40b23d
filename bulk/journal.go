package bulk

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
	"time"
)

// JournalVersion is the format version written in the header record.
const JournalVersion = 1

// JournalHeader is the first record of a journal: what was being done, so a
// resume can rebuild the same Action.
type JournalHeader struct {
	Version int
	Action  string         // Action.Name(), e.g. "assign"
	Params  map[string]any // action parameters the command needs to rebuild the Action (message text, channel…)
	Command []string       // the original command line, for the record (never put a token here)
	Targets int
	Created time.Time
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
	// TruncatedTail reports that an incomplete or unreadable final record
	// (a crash mid-write) was ignored.
	TruncatedTail bool

	validLen int64 // bytes up to the end of the last good record
}

// Journal is an append-only JSON-lines record of a bulk run. Records reach
// the disk (fsync) before the engine reports the item they describe.
type Journal struct {
	path  string
	state *JournalState
	now   func() time.Time

	mu      sync.Mutex // serialises appends and state updates
	f       *os.File
	written uint64 // records appended so far
	err     error  // sticky: once a write or sync fails, the journal is unusable

	syncMu sync.Mutex // one fsync at a time; waiters piggy-back on it (group commit)
	synced uint64
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
	if _, err := f.Write(buf.Bytes()); err != nil {
		f.Close()
		return nil, fmt.Errorf("journal %s: %w", path, err)
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return nil, fmt.Errorf("journal %s: %w", path, err)
	}
	syncDir(filepath.Dir(path)) // make the new directory entry durable too
	st := &JournalState{
		Header: h, Targets: append([]Target(nil), targets...),
		Results: map[int]JournalEntry{}, InFlight: map[int]bool{}, validLen: int64(buf.Len()),
	}
	return &Journal{path: path, state: st, f: f, now: time.Now}, nil
}

func createExclusive(path string, cfg journalConfig, h JournalHeader) (*os.File, string, error) {
	const flags = os.O_WRONLY | os.O_CREATE | os.O_EXCL | os.O_APPEND
	if path != "" {
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

func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync() // best effort: not every platform can fsync a directory
		d.Close()
	}
}

// OpenJournal opens an existing journal to resume it. An incomplete final
// record (kill -9 mid-write) is ignored, reported in State().TruncatedTail,
// and cut off so new records start on a clean line.
func OpenJournal(path string) (*Journal, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("journal: %w", err)
	}
	st, err := ReadJournal(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("journal %s: %w", path, err)
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
	return &Journal{path: path, state: st, f: f, now: time.Now}, nil
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
	return err
}
