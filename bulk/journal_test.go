package bulk

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

var testCreated = time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)

func newTestJournal(t *testing.T, action string, targets []Target) *Journal {
	t.Helper()
	path := filepath.Join(t.TempDir(), "j", action+".jsonl")
	j, err := CreateJournal(path, JournalHeader{Action: action, Params: map[string]any{"text": "hi"},
		Command: []string{"respondctl", action, "--view", "unassigned"}, Created: testCreated}, targets)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { j.Close() })
	return j
}

func targetsN(n int) []Target {
	ts := make([]Target, n)
	for i := range ts {
		ts[i] = Target{ID: "id:" + itoa(i+1)}
	}
	return ts
}

func itoa(i int) string { return strconv.Itoa(i) }

func TestJournalWriteAndReopen(t *testing.T) {
	ts := []Target{{ID: "id:1", Params: map[string]string{"to": "a@x.com"}}, {ID: "id:2"}, {ID: "id:3"}}
	j := newTestJournal(t, "send", ts)
	info, err := os.Stat(j.Path())
	if err != nil || info.Mode().Perm() != 0o600 {
		t.Fatalf("mode = %v, err %v", info.Mode(), err)
	}
	if err := j.start(0, true); err != nil {
		t.Fatal(err)
	}
	if err := j.result(0, Result{Target: ts[0], Outcome: OutcomeDone, Detail: "sent", Extra: Facts{MessageID: 88002}}); err != nil {
		t.Fatal(err)
	}
	if err := j.start(1, true); err != nil {
		t.Fatal(err)
	}
	if err := j.Close(); err != nil {
		t.Fatal(err)
	}

	re, err := OpenJournal(j.Path())
	if err != nil {
		t.Fatal(err)
	}
	defer re.Close()
	h := re.Header()
	if h.Action != "send" || h.Version != JournalVersion || h.ID == "" || h.Targets != 3 || !h.Created.Equal(testCreated) ||
		h.Params["text"] != "hi" || strings.Join(h.Command, " ") != "respondctl send --view unassigned" {
		t.Errorf("header = %+v", h)
	}
	if got := re.Targets(); len(got) != 3 || got[0].Param("to") != "a@x.com" || got[2].ID != "id:3" {
		t.Errorf("targets = %+v", got)
	}
	st := re.State()
	if e := st.Results[0]; e.Outcome != OutcomeDone || e.Detail != "sent" || e.Extra.MessageID != 88002 {
		t.Errorf("result 0 = %+v", e)
	}
	if !st.InFlight[1] || st.InFlight[0] || len(st.Results) != 1 || st.TruncatedTail {
		t.Errorf("state = %+v", st)
	}
}

func TestJournalRefusesToOverwrite(t *testing.T) {
	j := newTestJournal(t, "assign", targetsN(1))
	_, err := CreateJournal(j.Path(), JournalHeader{Action: "assign"}, targetsN(1))
	if !errors.Is(err, fs.ErrExist) {
		t.Fatalf("err = %v, want ErrExist", err)
	}
}

func TestJournalDefaultPath(t *testing.T) {
	state := t.TempDir()
	t.Setenv("XDG_STATE_HOME", state)
	h := JournalHeader{Action: "assign", Created: testCreated}
	a, err := CreateJournal("", h, targetsN(1))
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	b, err := CreateJournal("", h, targetsN(1)) // same second: must not collide
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	dir := filepath.Join(state, "respondctl", "journals")
	if a.Path() != filepath.Join(dir, "assign-20250102T030405Z.jsonl") || b.Path() != filepath.Join(dir, "assign-20250102T030405Z-2.jsonl") {
		t.Errorf("paths = %s, %s", a.Path(), b.Path())
	}
	if info, err := os.Stat(dir); err != nil || info.Mode().Perm() != 0o700 {
		t.Errorf("dir mode = %v, err %v", info.Mode(), err)
	}
}

func TestJournalTruncatedLastLineTolerated(t *testing.T) {
	j := newTestJournal(t, "send", targetsN(3))
	j.start(0, true)
	j.result(0, Result{Target: Target{ID: "id:1"}, Outcome: OutcomeDone})
	j.Close()
	// kill -9 in the middle of writing the next record.
	f, _ := os.OpenFile(j.Path(), os.O_WRONLY|os.O_APPEND, 0)
	f.WriteString(`{"kind":"result","i":1,"id":"id:2","outc`)
	f.Close()

	re, err := OpenJournal(j.Path())
	if err != nil {
		t.Fatal(err)
	}
	if st := re.State(); !st.TruncatedTail || len(st.Results) != 1 {
		t.Fatalf("state = %+v", st)
	}
	// New records start on a clean line: the file reads back without complaint.
	if err := re.result(1, Result{Target: Target{ID: "id:2"}, Outcome: OutcomeFailed, Detail: "boom"}); err != nil {
		t.Fatal(err)
	}
	re.Close()
	again, err := OpenJournal(j.Path())
	if err != nil {
		t.Fatal(err)
	}
	defer again.Close()
	if st := again.State(); st.TruncatedTail || st.Results[1].Outcome != OutcomeFailed {
		t.Fatalf("state after append = %+v", st)
	}
}

func TestReadJournalRejectsCorruption(t *testing.T) {
	var snap bytes.Buffer
	encodeSnapshot(&snap, JournalHeader{Version: 1, Action: "assign", Targets: 2, Created: testCreated}, targetsN(2))
	good := snap.String()
	tests := []struct {
		name, in, want string
		damage         bool // read, with the damage reported; otherwise refused
	}{
		{"empty", "", "no header", false},
		{"not a journal", "1\n2\n", "line 1: unreadable record: a JSON number, not a journal record", false},
		{"garbage in the middle", good + "garbage\n" + `{"kind":"start","i":0}` + "\n", "line 4: unreadable record", true},
		{"snapshot incomplete", strings.SplitAfter(good, "\n")[0] + strings.SplitAfter(good, "\n")[1], "snapshot incomplete (1 of 2)", false},
		{"wrong version", `{"kind":"header","version":9,"action":"x","targets":0}` + "\n", "unsupported journal version 9", false},
		{"index out of range", good + `{"kind":"start","i":5}` + "\n" + `{"kind":"start","i":0}` + "\n", "line 4: start record for an unknown target", true},
		{"mismatched id", good + `{"kind":"result","i":0,"id":"id:9","outcome":"done"}` + "\n\n" + `{"kind":"start","i":0}` + "\n", "does not match target 0", true},
		{"bad outcome", good + `{"kind":"result","i":0,"id":"id:1","outcome":"maybe"}` + "\n" + `{"kind":"start","i":1}` + "\n", `unknown outcome "maybe"`, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st, err := ReadJournal(strings.NewReader(tt.in))
			if !tt.damage {
				if err == nil || !strings.Contains(err.Error(), tt.want) {
					t.Fatalf("err = %v, want %q", err, tt.want)
				}
				return
			}
			if err != nil || !strings.Contains(strings.Join(st.Damage, "; "), tt.want) {
				t.Fatalf("err = %v, damage %q, want %q", err, st.Damage, tt.want)
			}
		})
	}
	// The same unreadable record as the very last line is a crash artefact, not corruption.
	st, err := ReadJournal(strings.NewReader(good + "\x00\x00\x00\n"))
	if err != nil || !st.TruncatedTail {
		t.Fatalf("NUL tail: err %v, state %+v", err, st)
	}
}

func TestJournalLaterRecordsWin(t *testing.T) {
	var b bytes.Buffer
	encodeSnapshot(&b, JournalHeader{Version: 1, Action: "send", Targets: 1}, targetsN(1))
	b.WriteString(`{"kind":"start","i":0}` + "\n")
	b.WriteString(`{"kind":"result","i":0,"id":"id:1","outcome":"failed","detail":"502"}` + "\n")
	b.WriteString(`{"kind":"start","i":0}` + "\n") // retried by a resume, then killed
	st, err := ReadJournal(&b)
	if err != nil {
		t.Fatal(err)
	}
	if !st.InFlight[0] || st.Results[0].Outcome != OutcomeFailed {
		t.Fatalf("state = %+v", st)
	}
}

func FuzzReadJournal(f *testing.F) {
	var b bytes.Buffer
	encodeSnapshot(&b, JournalHeader{Version: 1, Action: "send", Params: map[string]any{"text": "hi"}, Targets: 2, Created: testCreated},
		[]Target{{ID: "id:1", Params: map[string]string{"to": "a"}}, {ID: "id:2"}})
	f.Add(b.Bytes())
	b.WriteString(`{"kind":"start","i":0}` + "\n" + `{"kind":"result","i":0,"id":"id:1","outcome":"done","extra":{"messageId":1}}` + "\n")
	f.Add(b.Bytes())
	b.WriteString(`{"kind":"start","i":1}` + "\n" + `{"kind":"res`)
	f.Add(b.Bytes())
	f.Add([]byte(`{"kind":"header","version":1,"action":"x","targets":1e18}` + "\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		st, err := ReadJournal(bytes.NewReader(data))
		if err != nil {
			return
		}
		if len(st.Targets) != st.Header.Targets || st.validLen > int64(len(data)) {
			t.Fatalf("inconsistent state: %d targets, header %d, validLen %d of %d", len(st.Targets), st.Header.Targets, st.validLen, len(data))
		}
		for i := range st.Results {
			if i < 0 || i >= len(st.Targets) {
				t.Fatalf("result for target %d of %d", i, len(st.Targets))
			}
		}
		// Whatever was accepted must read back the same from its valid prefix.
		again, err := ReadJournal(bytes.NewReader(data[:st.validLen]))
		if err != nil || len(again.Results) != len(st.Results) || len(again.InFlight) != len(st.InFlight) {
			t.Fatalf("valid prefix does not re-read: %v", err)
		}
	})
}
