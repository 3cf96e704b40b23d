package mirror

import (
	"context"
	"time"

	"github.com/respondctl/respondctl/apiclient"
)

// BackfillOptions tunes Backfill.
type BackfillOptions struct {
	// Messages selects the conversations whose newest messages are fetched: nil for none;
	// otherwise a /contact/list request evaluated over the mirror ("open" is status open).
	Messages *apiclient.ContactListRequest
	// MessagesPerContact is the page of newest messages read per conversation (default 20).
	MessagesPerContact int
	// Since skips message pages older than this (zero: no limit).
	Since time.Time
	// Restart ignores a saved resume point.
	Restart bool
	// Progress is called after each page: contacts stored, conversations read.
	Progress func(contacts, conversations int)
	Now      func() time.Time
}

// BackfillResult says what a backfill did.
type BackfillResult struct {
	Contacts      int   `json:"contacts"`
	Conversations int   `json:"conversations"`
	Messages      int   `json:"messages"`
	Requests      int   `json:"requests"`
	ResumedFrom   int64 `json:"resumedFrom"` // contact id a previous interrupted run stopped after; 0: from the start
	// ResumedConversations: conversations an interrupted message pass had read, not read
	// again (the contact pass, complete then, is skipped too); 0: no message pass resumed.
	ResumedConversations int     `json:"resumedConversations"`
	Seconds              float64 `json:"seconds"`
}

// Backfill reads every contact from the API into the mirror (resuming after the last
// stored page of an interrupted run), then, when asked, the newest messages of the
// selected conversations (resuming an interrupted message pass: the contact pass, which
// was complete, is skipped and only the conversations not read yet are read). The
// client's limiter paces requests at the endpoint's rate.
func (m *Mirror) Backfill(ctx context.Context, c *apiclient.Client, opts BackfillOptions) (BackfillResult, error) {
	now := opts.Now
	if now == nil {
		now = time.Now
	}
	start := now()
	var res BackfillResult
	cursor := int64(0)
	if !opts.Restart {
		cursor = m.SyncState(ctx).Cursor
	}
	res.ResumedFrom = cursor
	progress := func() {
		if opts.Progress != nil {
			opts.Progress(res.Contacts, res.Conversations)
		}
	}
	resumeMessages := !opts.Restart && opts.Messages != nil && cursor == 0 && m.messagePassPending(ctx)
	if !resumeMessages {
		if err := m.backfillContacts(ctx, c, cursor, now, &res, progress); err != nil {
			return res, err
		}
		if err := m.FinishSync(ctx, start.UnixMilli()); err != nil {
			return res, err
		}
		progress()
	}
	if opts.Messages != nil {
		if err := m.backfillMessages(ctx, c, opts, resumeMessages, &res, progress); err != nil {
			return res, err
		}
		if err := m.FinishMessageSync(ctx, start.UnixMilli()); err != nil {
			return res, err
		}
		progress()
	}
	res.Seconds = now().Sub(start).Seconds()
	return res, nil
}

// backfillContacts reads every contact after cursor into the mirror, saving the resume
// point after each page.
func (m *Mirror) backfillContacts(ctx context.Context, c *apiclient.Client, cursor int64, now func() time.Time,
	res *BackfillResult, progress func()) error {
	// Pages are fetched ahead of the writes (one in hand, one in flight), so storing a page
	// never delays the next request: the pace is the rate limit's, not the disk's.
	type fetched struct {
		items []apiclient.Contact
		at    int64
		next  int64
		more  bool
		err   error
	}
	pages := make(chan fetched, 1)
	fctx, cancel := context.WithCancel(ctx)
	defer cancel()
	go func() {
		defer close(pages)
		cur := cursor
		for {
			// The time the request leaves: a webhook older than this is already in the answer.
			at := now().UnixMilli()
			page, err := c.ListContacts(fctx, apiclient.ContactListRequest{}, apiclient.PageOptions{Limit: 100, Cursor: cur})
			if err != nil {
				pages <- fetched{err: err}
				return
			}
			next, ok := page.NextCursor()
			more := ok && len(page.Items) > 0 && next != cur
			select {
			case pages <- fetched{items: page.Items, at: at, next: next, more: more}:
			case <-fctx.Done():
				return
			}
			if !more {
				return
			}
			cur = next
		}
	}()
	for p := range pages {
		res.Requests++
		if p.err != nil {
			return p.err
		}
		if err := m.SnapshotContacts(ctx, p.items, p.at); err != nil {
			return err
		}
		res.Contacts += len(p.items)
		if !p.more {
			break
		}
		if err := m.SetSyncCursor(ctx, p.next); err != nil {
			return err
		}
		progress()
	}
	return nil
}

// backfillMessages reads the newest messages of the selected conversations, skipping those
// an interrupted pass already read when resume is set.
func (m *Mirror) backfillMessages(ctx context.Context, c *apiclient.Client, opts BackfillOptions, resume bool,
	res *BackfillResult, progress func()) error {
	done, err := m.startMessagePass(ctx, resume)
	if err != nil {
		return err
	}
	ids, err := m.ContactIDs(ctx, *opts.Messages)
	if err != nil {
		return err
	}
	per := opts.MessagesPerContact
	if per <= 0 {
		per = 20
	}
	for _, id := range ids {
		if done[id] {
			res.ResumedConversations++
			continue
		}
		page, err := c.ListMessages(ctx, apiclient.ContactID(id), apiclient.MessageListOptions{PageOptions: apiclient.PageOptions{Limit: per}})
		res.Requests++
		if err != nil {
			if apiclient.IsNotFound(err) {
				continue // deleted since the contact list was read
			}
			return err
		}
		msgs := page.Items
		if !opts.Since.IsZero() {
			cut := opts.Since.UnixMilli()
			kept := msgs[:0]
			for _, msg := range msgs {
				if t := messageTimeMS(msg); t == 0 || t >= cut {
					kept = append(kept, msg)
				}
			}
			msgs = kept
		}
		if err := m.snapshotMessages(ctx, id, msgs, true); err != nil {
			return err
		}
		res.Conversations++
		res.Messages += len(msgs)
		if res.Conversations%10 == 0 {
			progress()
		}
	}
	return nil
}

// ContactIDs lists the mirrored contacts matching req, most recent message first.
func (m *Mirror) ContactIDs(ctx context.Context, req apiclient.ContactListRequest) ([]int64, error) {
	where, args, err := compileRequest(req)
	if err != nil {
		return nil, err
	}
	rows, err := m.db.QueryContext(ctx, `SELECT c.id FROM contacts c WHERE c.status IS NOT NULL AND `+where+
		` ORDER BY c.last_message_ms DESC, c.id DESC`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out = append(out, id)
	}
	return out, rows.Err()
}
