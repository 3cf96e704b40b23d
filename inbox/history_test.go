package inbox

import (
	"context"
	"errors"
	"strconv"
	"testing"
	"time"
)

type sliceIter struct {
	items []HistoryItem
	i     int
	err   error
}

func (s *sliceIter) Next(context.Context) bool {
	if s.i >= len(s.items) {
		return false
	}
	s.i++
	return true
}
func (s *sliceIter) Item() HistoryItem { return s.items[s.i-1] }
func (s *sliceIter) Err() error        { return s.err }

func msg(id int64, sec int64) HistoryItem {
	m := &MessageItem{ID: id}
	if sec > 0 {
		t := time.Unix(sec, 0).UTC()
		m.Timestamp = &t
	}
	return HistoryItem{Kind: KindMessage, Message: m}
}

func ev(id int64, sec int64) HistoryItem {
	return HistoryItem{Kind: KindEvent, Event: &EventItem{ID: id, Timestamp: time.Unix(sec, 0).UTC()}}
}

func ids(items []HistoryItem) []string {
	var out []string
	for _, h := range items {
		if h.Message != nil {
			out = append(out, "m"+itoa(h.Message.ID))
		} else {
			out = append(out, "e"+itoa(h.Event.ID))
		}
	}
	return out
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func collect(t *testing.T, it ItemIterator, w HistoryWindow) []string {
	t.Helper()
	var got []HistoryItem
	if err := WalkHistory(context.Background(), it, w, func(h HistoryItem) error {
		got = append(got, h)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return ids(got)
}

func equal(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestMergeOrdersByTimeOldestFirst(t *testing.T) {
	msgs := &sliceIter{items: []HistoryItem{msg(5, 500), msg(4, 0), msg(3, 300), msg(1, 100)}}
	events := &sliceIter{items: []HistoryItem{ev(9, 450), ev(8, 300), ev(7, 50)}}
	got := collect(t, MergeNewestFirst(msgs, events), HistoryWindow{All: true})
	// m4 has no time: it borrows m5's (500), so it sits just before m5 and after e9.
	want := []string{"e7", "m1", "m3", "e8", "e9", "m4", "m5"}
	if !equal(got, want) {
		t.Fatalf("got %v, want %v", got, want)
	}
}

func TestWalkHistoryLimitKeepsNewest(t *testing.T) {
	msgs := &sliceIter{items: []HistoryItem{msg(5, 500), msg(4, 400), msg(3, 300), msg(2, 200)}}
	got := collect(t, MergeNewestFirst(msgs, nil), HistoryWindow{Limit: 2})
	if want := []string{"m4", "m5"}; !equal(got, want) {
		t.Fatalf("got %v, want %v", got, want)
	}
	if msgs.i != 2 {
		t.Fatalf("read %d items for a window of 2; want 2 (no over-reading)", msgs.i)
	}
}

func TestWalkHistorySinceAndNewestFirst(t *testing.T) {
	mk := func() ItemIterator {
		return MergeNewestFirst(&sliceIter{items: []HistoryItem{msg(5, 500), msg(4, 400), msg(3, 300)}}, nil)
	}
	since := time.Unix(400, 0)
	if got := collect(t, mk(), HistoryWindow{All: true, Since: since}); !equal(got, []string{"m4", "m5"}) {
		t.Fatalf("since: got %v", got)
	}
	if got := collect(t, mk(), HistoryWindow{All: true, NewestFirst: true}); !equal(got, []string{"m5", "m4", "m3"}) {
		t.Fatalf("newest first: got %v", got)
	}
}

func TestWalkHistoryPropagatesErrors(t *testing.T) {
	boom := errors.New("boom")
	it := MergeNewestFirst(&sliceIter{items: []HistoryItem{msg(1, 100)}, err: boom}, nil)
	err := WalkHistory(context.Background(), it, HistoryWindow{All: true}, func(HistoryItem) error { return nil })
	if !errors.Is(err, boom) {
		t.Fatalf("err = %v", err)
	}
}

func TestSpoolRoundTripKeepsFields(t *testing.T) {
	m := msg(1, 100)
	m.Message.Body = map[string]any{"type": "text", "text": "hi"}
	m.Message.Statuses = []StatusItem{{Value: "failed", Time: time.Unix(100, 0).UTC(), Reason: "window closed"}}
	e := ev(2, 200)
	e.Event.Actor = &EventActor{ID: 7, Name: "Lee Wong"}
	var got []HistoryItem
	err := WalkHistory(context.Background(), &sliceIter{items: []HistoryItem{e, m}}, HistoryWindow{All: true},
		func(h HistoryItem) error { got = append(got, h); return nil })
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].Message == nil || got[0].Message.Statuses[0].Reason != "window closed" ||
		got[0].Message.Body["text"] != "hi" || got[1].Event.Actor.Name != "Lee Wong" || got[1].Kind != KindEvent {
		t.Fatalf("round trip lost data: %+v %+v", got[0].Message, got[1].Event)
	}
}
