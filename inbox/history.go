package inbox

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"time"
)

// ItemIterator yields history items newest first, like the API's list endpoints.
type ItemIterator interface {
	Next(ctx context.Context) bool
	Item() HistoryItem
	Err() error
}

// farFuture orders a message with no known time and no newer timed neighbour first.
var farFuture = time.Unix(math.MaxInt32, 0)

// MergeNewestFirst interleaves messages and events (both newest first) into one newest-first
// stream, in constant memory. events may be nil (no events extension).
//
// Ordering rule for messages without a time (core servers give incoming messages none):
// such a message keeps its position among messages — the API's order is authoritative — and,
// against events, borrows the time of the nearest newer timed message (or "now" when there is
// none). So an untimed incoming message is shown just before the reply that followed it,
// after any events that happened in between.
func MergeNewestFirst(messages, events ItemIterator) ItemIterator {
	return &mergedHistory{msgs: messages, events: events, newerMsgTime: farFuture}
}

type mergedHistory struct {
	msgs, events ItemIterator
	newerMsgTime time.Time
	peekM, peekE *HistoryItem
	doneM, doneE bool
	cur          HistoryItem
	err          error
}

func (m *mergedHistory) fill(ctx context.Context) {
	if m.peekM == nil && !m.doneM {
		if m.msgs.Next(ctx) {
			it := m.msgs.Item()
			if t := it.Time(); !t.IsZero() {
				it.sortTime = t
				m.newerMsgTime = t
			} else {
				it.sortTime = m.newerMsgTime
			}
			m.peekM = &it
		} else {
			m.doneM = true
			if err := m.msgs.Err(); err != nil {
				m.err = err
			}
		}
	}
	if m.peekE == nil && !m.doneE {
		if m.events != nil && m.events.Next(ctx) {
			it := m.events.Item()
			it.sortTime = it.Time()
			m.peekE = &it
		} else {
			m.doneE = true
			if m.events != nil {
				if err := m.events.Err(); err != nil {
					m.err = err
				}
			}
		}
	}
}

func (m *mergedHistory) Next(ctx context.Context) bool {
	if m.err != nil {
		return false
	}
	m.fill(ctx)
	if m.err != nil {
		return false
	}
	switch {
	case m.peekM == nil && m.peekE == nil:
		return false
	case m.peekE == nil || (m.peekM != nil && m.peekM.sortTime.After(m.peekE.sortTime)):
		m.cur, m.peekM = *m.peekM, nil
	default:
		// On a tie the event is newer: an event usually follows the message that caused it.
		m.cur, m.peekE = *m.peekE, nil
	}
	return true
}

func (m *mergedHistory) Item() HistoryItem { return m.cur }
func (m *mergedHistory) Err() error        { return m.err }

// HistoryWindow selects which part of a conversation to print.
type HistoryWindow struct {
	Limit       int       // the newest Limit items (ignored with All)
	All         bool      // every item
	Since       time.Time // only items at or after Since (zero: no bound)
	NewestFirst bool      // print in API order instead of oldest first
	SpoolDir    string    // where --all keeps its temporary file ("" = os.TempDir)
}

// WalkHistory reads a newest-first stream and calls emit for the chosen window, oldest first
// unless NewestFirst. Memory is bounded: a window of Limit items, or for All a temporary
// file holding the encoded items, replayed backwards a chunk at a time (see reverseSpool).
// For -o jsonl, WriteHistoryLines does the same in one encoding per item.
func WalkHistory(ctx context.Context, it ItemIterator, w HistoryWindow, emit func(HistoryItem) error) error {
	inWindow := w.includes
	limit := w.Limit
	if w.All || limit <= 0 {
		limit = math.MaxInt
	}
	if w.NewestFirst {
		n := 0
		for n < limit && it.Next(ctx) {
			h := it.Item()
			if !inWindow(h) {
				break
			}
			if err := emit(h); err != nil {
				return err
			}
			n++
		}
		return it.Err()
	}
	if !w.All && w.Limit > 0 {
		window := make([]HistoryItem, 0, min(w.Limit, 1024))
		for len(window) < limit && it.Next(ctx) {
			h := it.Item()
			if !inWindow(h) {
				break
			}
			window = append(window, h)
		}
		if err := it.Err(); err != nil {
			return err
		}
		for i := len(window) - 1; i >= 0; i-- {
			if err := emit(window[i]); err != nil {
				return err
			}
		}
		return nil
	}
	spool, err := newReverseSpool(w.SpoolDir)
	if err != nil {
		return err
	}
	defer spool.Close()
	for it.Next(ctx) {
		h := it.Item()
		if !inWindow(h) {
			break
		}
		rec, err := json.Marshal(spoolRecord{M: h.Message, E: h.Event})
		if err != nil {
			return fmt.Errorf("spooling history: %w", err)
		}
		if err := spool.Append(rec); err != nil {
			return fmt.Errorf("spooling history: %w", err)
		}
	}
	if err := it.Err(); err != nil {
		return err
	}
	return spool.Reverse(func(rec []byte) error {
		var r spoolRecord
		if err := json.Unmarshal(rec, &r); err != nil {
			return fmt.Errorf("reading spooled history: %w", err)
		}
		h := HistoryItem{Kind: KindMessage, Message: r.M, Event: r.E}
		if r.E != nil {
			h.Kind = KindEvent
		}
		return emit(h)
	}, nil)
}

// includes says whether an item (newest first) is still inside the --since window.
func (w HistoryWindow) includes(h HistoryItem) bool {
	return w.Since.IsZero() || !h.sortTime.Before(w.Since)
}

type spoolRecord struct {
	M *MessageItem `json:"m,omitempty"`
	E *EventItem   `json:"e,omitempty"`
}
