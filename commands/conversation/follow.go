package conversation

import (
	"context"
	"time"

	"github.com/respondctl/respondctl/inbox"
	"github.com/respondctl/respondctl/output"
)

// seenIDs remembers the newest message and event printed, so --follow prints only newer ones.
type seenIDs struct{ message, event int64 }

func newSeenIDs() *seenIDs { return &seenIDs{} }

func (s *seenIDs) add(h inbox.HistoryItem) {
	if h.Message != nil && h.Message.ID > s.message {
		s.message = h.Message.ID
	}
	if h.Event != nil && h.Event.ID > s.event {
		s.event = h.Event.ID
	}
}

func (s *seenIDs) isNew(h inbox.HistoryItem) bool {
	if h.Message != nil {
		return h.Message.ID > s.message
	}
	return h.Event != nil && h.Event.ID > s.event
}

// follow polls the newest pages every interval and prints what is new, oldest first. Each
// poll reads newest first and stops at the first item already printed, so it costs one
// request per endpoint when nothing happened, well within the rate budget.
func follow(ctx context.Context, opts *ShowOptions, sess *inbox.Session, req inbox.HistoryRequest,
	seen *seenIDs, p output.RecordPrinter) error {
	req.PageSize = 20
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
		var fresh []inbox.HistoryItem
		oldSeen := *seen
		for it.Next(ctx) {
			h := it.Item()
			if !oldSeen.isNew(h) {
				// Both streams are newest first; once each has reached printed items we are done.
				if h.Message != nil {
					oldSeen.message = 1 << 62
				} else {
					oldSeen.event = 1 << 62
				}
				if oldSeen.message == 1<<62 && (oldSeen.event == 1<<62 || !sess.HasEvents()) {
					break
				}
				continue
			}
			fresh = append(fresh, h)
		}
		if err := it.Err(); err != nil {
			return err
		}
		for i := len(fresh) - 1; i >= 0; i-- {
			seen.add(fresh[i])
			if err := p.Write(fresh[i]); err != nil {
				return err
			}
		}
	}
}
