package inbox

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"
)

// The spool replays every record, last first, across many chunks (records of varied
// size, one larger than a chunk) and keeps one offset per chunk, not per record.
func TestReverseSpoolChunks(t *testing.T) {
	s, err := newReverseSpool(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var want []string
	for i := range 5000 {
		rec := fmt.Sprintf("%d:%s", i, strings.Repeat("x", i%700))
		if i == 2500 {
			rec = strings.Repeat("big", spoolChunkSize/2) // 1.5 chunks on its own
		}
		want = append(want, rec)
		if err := s.Append([]byte(rec)); err != nil {
			t.Fatal(err)
		}
	}
	if s.Len() != len(want) {
		t.Fatalf("Len = %d", s.Len())
	}
	if len(s.starts) > 20 {
		t.Fatalf("%d chunk offsets for %d records", len(s.starts), len(want))
	}
	i, chunks := len(want)-1, 0
	err = s.Reverse(func(rec []byte) error {
		if string(rec) != want[i] {
			return fmt.Errorf("record %d: got %.20q", i, rec)
		}
		i--
		return nil
	}, func() error { chunks++; return nil })
	if err != nil {
		t.Fatal(err)
	}
	if i != -1 || chunks != len(s.starts)+1 {
		t.Fatalf("left %d records, %d chunk callbacks for %d chunks", i+1, chunks, len(s.starts)+1)
	}
}

// WriteHistoryLines prints exactly what the item-by-item path prints, in every window.
func TestWriteHistoryLinesMatchesWalk(t *testing.T) {
	items := []HistoryItem{msg(5, 500), ev(4, 400), msg(3, 0), msg(2, 200), ev(1, 100)}
	for i := range items {
		items[i].sortTime = items[i].Time()
	}
	encode := func(h HistoryItem) ([]byte, error) {
		b, err := h.MarshalJSON()
		return append(b, '\n'), err
	}
	for _, w := range []HistoryWindow{{All: true}, {Limit: 2}, {All: true, NewestFirst: true}, {Limit: 3, NewestFirst: true}} {
		var want bytes.Buffer
		if err := WalkHistory(context.Background(), &sliceIter{items: items}, w, func(h HistoryItem) error {
			b, _ := encode(h)
			want.Write(b)
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		var got bytes.Buffer
		n, err := WriteHistoryLines(context.Background(), &sliceIter{items: items}, w, encode, &got)
		if err != nil {
			t.Fatal(err)
		}
		if got.String() != want.String() || n != strings.Count(want.String(), "\n") {
			t.Errorf("window %+v: %d lines\n%s\nwant\n%s", w, n, got.String(), want.String())
		}
	}
}
