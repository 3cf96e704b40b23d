package bulk

import (
	"context"
	"os"
	"strings"
	"testing"
)

// journalLines runs a send over n targets with a fake action and returns the journal's lines.
func finishedSendJournal(t *testing.T, n int) (*Journal, []string) {
	t.Helper()
	ts := targetsN(n)
	j := newTestJournal(t, "send", ts)
	if _, err := Run(context.Background(), newFake("send", false), ts, Options{Workers: 1, Journal: j}); err != nil {
		t.Fatal(err)
	}
	j.Close()
	data, err := os.ReadFile(j.Path())
	if err != nil {
		t.Fatal(err)
	}
	return j, strings.SplitAfter(strings.TrimSuffix(string(data), "\n"), "\n")
}

func writeLines(t *testing.T, path string, lines []string) {
	t.Helper()
	s := strings.Join(lines, "")
	if !strings.HasSuffix(s, "\n") {
		s += "\n"
	}
	if err := os.WriteFile(path, []byte(s), 0o600); err != nil {
		t.Fatal(err)
	}
}

// A line pasted from another journal and records cut from the middle of the file are
// detected; the targets whose records may be lost become unknown — never re-sent, never
// counted done — and the others stay done.
func TestDamagedJournalIsNeverReadAsComplete(t *testing.T) {
	// 1 header + 4 targets, then start+result per target: target k's records are lines 5+2k, 6+2k (0-based).
	j, lines := finishedSendJournal(t, 4)
	_, foreign := finishedSendJournal(t, 4)

	t.Run("foreign line", func(t *testing.T) {
		damaged := append(append(append([]string{}, lines[:7]...), foreign[9]), lines[7:]...)
		writeLines(t, j.Path(), damaged)
		st, err := ReadJournalFile(j.Path())
		if err != nil || len(st.Damage) != 1 || !strings.Contains(st.Damage[0], "line 8: a record of another journal") {
			t.Fatalf("err %v, damage %q", err, st.Damage)
		}
		if len(st.Results) != 4 {
			t.Fatalf("the foreign record was applied or ours lost: %+v", st.Results)
		}
	})

	t.Run("mid-file truncation", func(t *testing.T) {
		// Drop target 1's start and result, and target 2's start: a cut, not a torn last line.
		cut := append(append([]string{}, lines[:7]...), lines[10:]...)
		writeLines(t, j.Path(), cut)
		re, err := OpenJournal(j.Path())
		if err != nil {
			t.Fatal(err)
		}
		st := re.State()
		if len(st.Damage) != 1 || !strings.Contains(st.Damage[0], "records 7 to 9 are missing") {
			t.Fatalf("damage %q", st.Damage)
		}
		a := newFake("send", false)
		var got collect
		sum, err := Resume(context.Background(), a, re, Options{OnResult: got.add})
		re.Close()
		if err != nil {
			t.Fatal(err)
		}
		if r := got.byID()["id:2"]; r.Outcome != OutcomeUnknown || !strings.Contains(r.Detail, "damaged") {
			t.Fatalf("id:2 (records lost) = %+v", r)
		}
		if sum.AlreadyComplete != 3 || sum.Unknown != 1 || len(a.attempts) != 0 {
			t.Fatalf("summary %+v, attempts %v", sum, a.attempts)
		}
	})

	t.Run("idempotent actions re-check", func(t *testing.T) {
		ts := targetsN(3)
		aj := newTestJournal(t, "assign", ts)
		aj.start(0, true)
		aj.result(0, Result{Target: ts[0], Outcome: OutcomeFailed, Detail: "502"})
		aj.Close()
		data, _ := os.ReadFile(aj.Path())
		all := strings.SplitAfter(strings.TrimSuffix(string(data), "\n"), "\n")
		writeLines(t, aj.Path(), append(append([]string{}, all[:4]...), all[5:]...)) // lose target 0's start
		re, err := OpenJournal(aj.Path())
		if err != nil {
			t.Fatal(err)
		}
		defer re.Close()
		a := newFake("assign", true)
		sum, err := Resume(context.Background(), a, re, Options{})
		if err != nil || sum.Done != 3 || a.checksOf("id:1") != 1 {
			t.Fatalf("summary %+v err %v checks %d", sum, err, a.checksOf("id:1"))
		}
	})
}
