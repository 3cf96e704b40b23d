package conversation

import (
	"context"
	"slices"
	"time"

	"github.com/respondctl/respondctl/inbox"
	"github.com/respondctl/respondctl/output"
)

// followPage is how many of the newest messages each --follow poll reads: new ones are
// printed, and status changes of those already printed are reported.
const followPage = 20

// maxTrackedStatuses bounds the memory --follow spends remembering printed statuses.
const maxTrackedStatuses = 1000

// seenIDs remembers the newest message and event printed, so --follow prints only newer
// ones, and the latest status of recent messages, to report their changes.
type seenIDs struct {
	message, event int64
	statuses       map[int64]string // nil: statuses are not tracked
}

func newSeenIDs(trackStatuses bool) *seenIDs {
	s := &seenIDs{}
	if trackStatuses {
		s.statuses = map[int64]string{}
	}
	return s
}

func (s *seenIDs) add(h inbox.HistoryItem) {
	if m := h.Message; m != nil {
		s.message = max(s.message, m.ID)
		s.trackStatus(m.ID, m.Status)
	}
	if h.Event != nil && h.Event.ID > s.event {
		s.event = h.Event.ID
	}
}

// prime marks the newest message and event as seen, reading at most one poll's worth of
// the newest items.
func (s *seenIDs) prime(ctx context.Context, sess *inbox.Session, req inbox.HistoryRequest) error {
	req.PageSize = followPage
	it, err := sess.History(ctx, req)
	if err != nil {
		return err
	}
	for n := 0; n < followPage && it.Next(ctx); n++ {
		h := it.Item()
		if m := h.Message; m != nil {
			s.message = max(s.message, m.ID)
		}
		if h.Event != nil {
			s.event = max(s.event, h.Event.ID)
		}
	}
	return it.Err()
}

func (s *seenIDs) trackStatus(id int64, status string) {
	if s.statuses == nil || status == "" {
		return
	}
	s.statuses[id] = status
	if len(s.statuses) > maxTrackedStatuses {
		// Forget the oldest half: only recent messages are re-read by a poll.
		ids := make([]int64, 0, len(s.statuses))
		for id := range s.statuses {
			ids = append(ids, id)
		}
		slices.Sort(ids)
		for _, id := range ids[:len(ids)/2] {
			delete(s.statuses, id)
		}
	}
}

func (s *seenIDs) isNew(h inbox.HistoryItem) bool {
	if h.Message != nil {
		return h.Message.ID > s.message
	}
	return h.Event != nil && h.Event.ID > s.event
}

// statusChange reports an already printed message whose latest status moved on.
func (s *seenIDs) statusChange(m *inbox.MessageItem) *inbox.StatusChange {
	before, ok := s.statuses[m.ID]
	if !ok || m.Status == "" || m.Status == before {
		return nil
	}
	s.statuses[m.ID] = m.Status
	c := &inbox.StatusChange{MessageID: m.ID, ContactID: m.ContactID, From: before, To: m.Status, Reason: m.FailureReason}
	if n := len(m.Statuses); n > 0 {
		c.Time = m.Statuses[n-1].Time
	}
	return c
}

// follow polls the newest messages and events every interval and prints what is new,
// oldest first, plus status changes ("message 88001 delivered → read") of the messages
// among the newest followPage. A quiet poll costs one request per endpoint.
func follow(ctx context.Context, opts *ShowOptions, sess *inbox.Session, req inbox.HistoryRequest,
	seen *seenIDs, p output.RecordPrinter) error {
	req.PageSize = followPage
	ticker := time.NewTicker(opts.Interval)
	defer ticker.Stop()
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-ticker.C:
		}
		it, err := sess.History(ctx, req)
		if err != nil {
			return err
		}
		var fresh, changes []inbox.HistoryItem
		oldMessages := 0
		for oldMessages < followPage && it.Next(ctx) {
			h := it.Item()
			if seen.isNew(h) {
				fresh = append(fresh, h)
				continue
			}
			if h.Message != nil {
				oldMessages++
				if c := seen.statusChange(h.Message); c != nil {
					changes = append(changes, inbox.HistoryItem{Kind: inbox.KindStatus, StatusChange: c})
				}
			}
		}
		if err := it.Err(); err != nil {
			return err
		}
		// Both lists are newest first; print oldest first, changes before new items.
		slices.Reverse(changes)
		slices.Reverse(fresh)
		for _, h := range append(changes, fresh...) {
			seen.add(h)
			if err := p.Write(h); err != nil {
				return err
			}
		}
	}
}
