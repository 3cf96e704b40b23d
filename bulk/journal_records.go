package bulk

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"time"
)

// The on-disk records. One JSON object per line; after the header each carries the journal's
// id ("j") and its sequence number ("n", the header being 0), so a line pasted from another
// journal, a repeated line and records lost in the middle of the file are detected:
//
//	{"kind":"header","version":2,"id":"5f0c…","action":"assign","params":{…},"command":[…],"targets":2,"created":"…","workspace":{…}}
//	{"kind":"target","j":"5f0c…","n":1,"i":0,"id":"id:123","params":{"to":"a@x.com"}}
//	{"kind":"start","j":"5f0c…","n":3,"i":0,"at":"…"}
//	{"kind":"result","j":"5f0c…","n":4,"i":0,"id":"id:123","outcome":"done","detail":"assigned to Lee Wong","extra":{…},"at":"…"}
type headerRecord struct {
	Kind    string         `json:"kind"`
	Version int            `json:"version"`
	ID      string         `json:"id,omitempty"`
	Action  string         `json:"action"`
	Params  map[string]any `json:"params,omitempty"`
	Command []string       `json:"command,omitempty"`
	Targets int            `json:"targets"`
	Created time.Time      `json:"created"`
	// Workspace: where the run acts (base URL and token fingerprint, or the sandbox database).
	Workspace *Workspace `json:"workspace,omitempty"`
}

// recordMeta ties a record to its journal and place in it (journal version 2).
type recordMeta struct {
	J string `json:"j,omitempty"`
	N uint64 `json:"n,omitempty"`
}

func (m *recordMeta) setMeta(j string, n uint64) { m.J, m.N = j, n }

type targetRecord struct {
	Kind string `json:"kind"`
	recordMeta
	I      int               `json:"i"`
	ID     string            `json:"id"`
	Params map[string]string `json:"params,omitempty"`
}

type startRecord struct {
	Kind string `json:"kind"`
	recordMeta
	I  int       `json:"i"`
	At time.Time `json:"at,omitzero"` // when the request may have left: reconciliation looks from here
}

type resultRecord struct {
	Kind string `json:"kind"`
	recordMeta
	I       int       `json:"i"`
	ID      string    `json:"id"`
	Outcome Outcome   `json:"outcome"`
	Detail  string    `json:"detail,omitempty"`
	Extra   Facts     `json:"extra,omitzero"`
	At      time.Time `json:"at,omitzero"`
}

// anyRecord decodes every kind; pointers tell "absent" from zero.
type anyRecord struct {
	Kind      string          `json:"kind"`
	Version   int             `json:"version"`
	Action    string          `json:"action"`
	Params    json.RawMessage `json:"params"`
	Command   []string        `json:"command"`
	Targets   *int            `json:"targets"`
	Created   time.Time       `json:"created"`
	Workspace *Workspace      `json:"workspace"`
	JID       string          `json:"j"`
	N         *uint64         `json:"n"`
	I         *int            `json:"i"`
	ID        string          `json:"id"`
	Outcome   Outcome         `json:"outcome"`
	Detail    string          `json:"detail"`
	Extra     Facts           `json:"extra"`
	At        time.Time       `json:"at"`
}

func encodeSnapshot(w *bytes.Buffer, h JournalHeader, targets []Target) error {
	enc := json.NewEncoder(w)
	hr := headerRecord{Kind: "header", Version: h.Version, ID: h.ID, Action: h.Action,
		Params: h.Params, Command: h.Command, Targets: h.Targets, Created: h.Created}
	if !h.Workspace.IsZero() {
		ws := h.Workspace
		hr.Workspace = &ws
	}
	if err := enc.Encode(hr); err != nil {
		return fmt.Errorf("journal header: %w", err)
	}
	for i, t := range targets {
		if err := enc.Encode(targetRecord{Kind: "target", recordMeta: recordMeta{J: h.ID, N: uint64(i + 1)}, I: i, ID: t.ID, Params: t.Params}); err != nil {
			return fmt.Errorf("journal target %d: %w", i, err)
		}
	}
	return nil
}

// start records that target i is about to be acted on. durable forces an
// fsync before returning: required before a non-idempotent action, so a
// crash mid-send is detectable; for idempotent ones the next result's fsync
// covers it.
func (j *Journal) start(i int, durable bool) error {
	at := j.now().UTC()
	seq, err := j.append(&startRecord{Kind: "start", I: i, At: at}, func(st *JournalState) {
		st.InFlight[i] = true
		st.Started[i] = at
	})
	if err != nil || !durable {
		return err
	}
	return j.syncThrough(seq)
}

// result records target i's outcome and returns once it is on disk.
func (j *Journal) result(i int, r Result) error {
	r = j.scrubResult(r)
	rec := &resultRecord{Kind: "result", I: i, ID: r.Target.ID, Outcome: r.Outcome,
		Detail: r.Detail, Extra: r.Extra, At: j.now().UTC().Truncate(time.Second)}
	seq, err := j.append(rec, func(st *JournalState) {
		delete(st.InFlight, i)
		st.Results[i] = JournalEntry{Outcome: rec.Outcome, Detail: rec.Detail, Extra: rec.Extra, At: rec.At}
	})
	if err != nil {
		return err
	}
	return j.syncThrough(seq)
}

type sequenced interface{ setMeta(j string, n uint64) }

// append writes one record in a single write (O_APPEND) and returns its sequence number
// among this process's writes (for group commit).
func (j *Journal) append(rec sequenced, apply func(*JournalState)) (uint64, error) {
	j.mu.Lock()
	defer j.mu.Unlock()
	if j.err != nil {
		return 0, j.err
	}
	if j.state.Header.Version >= 2 {
		rec.setMeta(j.state.Header.ID, j.state.lastSeq+1)
	}
	line, err := json.Marshal(rec)
	if err != nil {
		return 0, fmt.Errorf("journal %s: encoding record: %w", j.path, err)
	}
	line = append(line, '\n')
	if j.f == nil {
		return 0, fmt.Errorf("journal %s: closed", j.path)
	}
	if _, err := j.f.Write(line); err != nil {
		j.err = fmt.Errorf("journal %s: %w", j.path, err)
		return 0, j.err
	}
	j.written++
	j.state.lastSeq++
	apply(j.state)
	return j.written, nil
}

// syncThrough returns once record seq is durable. Group commit: while one
// goroutine fsyncs, the others wait; a single fsync then covers every record
// written before it began, so N concurrent workers cost ~1 fsync, not N.
func (j *Journal) syncThrough(seq uint64) error {
	j.syncMu.Lock()
	defer j.syncMu.Unlock()
	j.mu.Lock()
	if j.err != nil {
		defer j.mu.Unlock()
		return j.err
	}
	if j.synced >= seq {
		j.mu.Unlock()
		return nil
	}
	upTo, f := j.written, j.f
	j.mu.Unlock()
	if f == nil {
		return fmt.Errorf("journal %s: closed", j.path)
	}
	err := f.Sync()
	j.mu.Lock()
	defer j.mu.Unlock()
	if err != nil {
		j.err = fmt.Errorf("journal %s: sync: %w", j.path, err)
		return j.err
	}
	j.synced = upTo
	return nil
}

// maxJournalLine bounds one record; a longer line is corruption, not data.
const maxJournalLine = 1 << 20

// ReadJournal parses a journal. It tolerates an incomplete or unreadable
// final record (reported as TruncatedTail). Damage after the target snapshot (a
// line of another journal, a repeated line, records missing in the middle, an
// unreadable line) is reported in Damage and the journal is read as far as it
// can be trusted; damage to the header or the snapshot, which the run cannot do
// without, is an error with the line number. It never panics on any input.
func ReadJournal(r io.Reader) (*JournalState, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxJournalBytes+1))
	if err != nil {
		return nil, err
	}
	if len(data) > MaxJournalBytes {
		return nil, errors.New("not a journal: larger than any journal")
	}
	st := &JournalState{Results: map[int]JournalEntry{}, InFlight: map[int]bool{}, Started: map[int]time.Time{}}
	var offset int64
	lineNo := 0
	haveHeader := false
	for len(data) > 0 {
		lineNo++
		nl := bytes.IndexByte(data, '\n')
		complete := nl >= 0
		line := data
		if complete {
			line = data[:nl]
		}
		rest := data[len(line):]
		if complete {
			rest = data[nl+1:]
		}
		last := len(bytes.TrimSpace(rest)) == 0
		if !complete {
			st.TruncatedTail = len(bytes.TrimSpace(line)) != 0 // written without its newline: the write never finished
			break
		}
		if len(bytes.TrimSpace(line)) != 0 {
			err := st.apply(line, &haveHeader)
			var unreadable unreadableRecordError
			var damaged damageError
			switch {
			case last && errors.As(err, &unreadable):
				st.TruncatedTail = true
			case err != nil && st.pastSnapshot() && (errors.As(err, &unreadable) || errors.As(err, &damaged)):
				st.Damage = append(st.Damage, fmt.Sprintf("line %d: %v", lineNo, err))
			case err != nil:
				return nil, fmt.Errorf("line %d: %w", lineNo, err)
			}
			if st.TruncatedTail {
				break
			}
		}
		offset += int64(len(line)) + 1
		data = rest
	}
	if !haveHeader {
		return nil, errors.New("not a bulk journal: no header record")
	}
	if len(st.Targets) != st.Header.Targets {
		return nil, fmt.Errorf("target snapshot incomplete (%d of %d): the run stopped before acting on anything; start it again",
			len(st.Targets), st.Header.Targets)
	}
	st.validLen = offset
	return st, nil
}

// unreadableRecordError is a line that is not a record at all: as the last
// line, the remains of a write cut short by a crash (partial JSON, NUL bytes).
type unreadableRecordError struct{ error }

// damageError is a readable record that does not belong where it is (another journal's, a
// repeat, an outcome for a target it does not name) or that follows a gap.
type damageError struct{ error }

// pastSnapshot: the header and every target record were read (what a resume cannot do without).
func (st *JournalState) pastSnapshot() bool {
	return st.Header.Action != "" && len(st.Targets) == st.Header.Targets
}

// checkSequence verifies a version-2 record's journal id and number. A record of another
// journal or a repeated number is rejected (not applied); a number past the expected one is
// applied after reporting the records missing before it.
func (st *JournalState) checkSequence(rec anyRecord) (apply bool, err error) {
	if st.Header.Version < 2 {
		return true, nil
	}
	if rec.JID != st.Header.ID {
		return false, damageError{fmt.Errorf("a record of another journal (%q), ignored", clipID(rec.JID))}
	}
	if rec.N == nil {
		return false, damageError{errors.New("a record without a sequence number, ignored")}
	}
	want := st.lastSeq + 1
	switch n := *rec.N; {
	case n < want:
		return false, damageError{fmt.Errorf("record %d repeated or out of order, ignored", n)}
	case n > want:
		st.lastSeq = n
		if !st.pastSnapshot() {
			return false, fmt.Errorf("records %d to %d are missing from the target snapshot", want, n-1)
		}
		return true, damageError{fmt.Errorf("records %d to %d are missing (the file was cut or edited)", want, n-1)}
	}
	st.lastSeq = *rec.N
	return true, nil
}

func clipID(s string) string {
	if len(s) > 40 {
		return s[:40] + "…"
	}
	return s
}

func (st *JournalState) apply(line []byte, haveHeader *bool) error {
	if len(line) > maxJournalLine {
		return unreadableRecordError{errors.New("record too long")}
	}
	dec := json.NewDecoder(bytes.NewReader(line))
	dec.UseNumber()
	var rec anyRecord
	if err := dec.Decode(&rec); err != nil {
		var typeErr *json.UnmarshalTypeError
		if errors.As(err, &typeErr) {
			// Not Go's type names: the line is JSON, but not a journal record.
			return unreadableRecordError{fmt.Errorf("unreadable record: a JSON %s, not a journal record", typeErr.Value)}
		}
		return unreadableRecordError{fmt.Errorf("unreadable record: %v", err)}
	}
	if dec.More() {
		return unreadableRecordError{errors.New("unreadable record: trailing data")}
	}
	if rec.Kind != "header" && !*haveHeader {
		return errors.New("record before the header")
	}
	var gap error
	if rec.Kind != "header" {
		ok, err := st.checkSequence(rec)
		if !ok {
			return err
		}
		gap = err
	}
	if err := st.applyRecord(rec, haveHeader); err != nil {
		return err
	}
	return gap
}

func (st *JournalState) applyRecord(rec anyRecord, haveHeader *bool) error {
	switch rec.Kind {
	case "header":
		return st.applyHeader(rec, haveHeader)
	case "target":
		if rec.I == nil || *rec.I != len(st.Targets) || len(st.Targets) >= st.Header.Targets {
			return errors.New("target record out of sequence")
		}
		if rec.ID == "" {
			return errors.New("target record without id")
		}
		t := Target{ID: rec.ID}
		if len(rec.Params) > 0 && string(rec.Params) != "null" {
			if err := json.Unmarshal(rec.Params, &t.Params); err != nil {
				return fmt.Errorf("target params: %v", err)
			}
		}
		st.Targets = append(st.Targets, t)
	case "start", "result":
		if len(st.Targets) != st.Header.Targets {
			return errors.New("record before the target snapshot is complete")
		}
		if rec.I == nil || *rec.I < 0 || *rec.I >= len(st.Targets) {
			return damageError{fmt.Errorf("%s record for an unknown target", rec.Kind)}
		}
		i := *rec.I
		if rec.Kind == "start" {
			st.InFlight[i] = true
			st.Started[i] = rec.At
			return nil
		}
		if rec.ID != st.Targets[i].ID {
			return damageError{fmt.Errorf("result for %q does not match target %d (%q)", rec.ID, i, st.Targets[i].ID)}
		}
		switch rec.Outcome {
		case OutcomeDone, OutcomeSkipped, OutcomeFailed, OutcomeUnknown:
		default:
			return damageError{fmt.Errorf("unknown outcome %q", rec.Outcome)}
		}
		delete(st.InFlight, i)
		st.Results[i] = JournalEntry{Outcome: rec.Outcome, Detail: rec.Detail, Extra: rec.Extra, At: rec.At}
	default:
		return fmt.Errorf("unknown record kind %q", rec.Kind)
	}
	return nil
}

func (st *JournalState) applyHeader(rec anyRecord, haveHeader *bool) error {
	if *haveHeader {
		return errors.New("second header record")
	}
	if rec.Version != 1 && rec.Version != JournalVersion {
		return fmt.Errorf("unsupported journal version %d (this respondctl writes version %d)", rec.Version, JournalVersion)
	}
	if rec.Version >= 2 && rec.ID == "" {
		return errors.New("header record without the journal's id")
	}
	if rec.Action == "" || rec.Targets == nil || *rec.Targets < 0 {
		return errors.New("incomplete header record")
	}
	h := JournalHeader{Version: rec.Version, ID: rec.ID, Action: rec.Action, Command: rec.Command, Targets: *rec.Targets, Created: rec.Created}
	if rec.Workspace != nil {
		h.Workspace = *rec.Workspace
	}
	if len(rec.Params) > 0 && string(rec.Params) != "null" {
		dec := json.NewDecoder(bytes.NewReader(rec.Params))
		dec.UseNumber()
		if err := dec.Decode(&h.Params); err != nil {
			return fmt.Errorf("header params: %v", err)
		}
	}
	st.Header = h
	*haveHeader = true
	return nil
}
