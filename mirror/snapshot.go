package mirror

import (
	"context"
	"strconv"

	"github.com/respondctl/respondctl/apiclient"
	"github.com/respondctl/respondctl/webhook"
)

// SnapshotContacts stores a page of contacts read from the API, in one transaction.
func (m *Mirror) SnapshotContacts(ctx context.Context, list []apiclient.Contact, atMS int64) error {
	return m.write(ctx, func(tx *wtx) error {
		for _, c := range list {
			wc := &webhook.Contact{ID: c.ID, FirstName: c.FirstName, LastName: c.LastName, Phone: c.Phone, Email: c.Email,
				Language: c.Language, CountryCode: c.CountryCode, Status: c.Status, HasAssignee: true, HasLifecycle: true,
				Lifecycle: c.Lifecycle, HasTags: true, Tags: c.Tags, HasFields: true, CreatedAt: c.CreatedAt}
			if c.Assignee != nil {
				wc.Assignee = &webhook.Person{ID: c.Assignee.ID, FirstName: c.Assignee.FirstName, LastName: c.Assignee.LastName, Email: c.Assignee.Email}
			}
			for _, f := range c.CustomFields {
				wc.Fields = append(wc.Fields, webhook.CustomField{Name: f.Name, Value: f.Value})
			}
			if err := applyContact(ctx, tx, &webhook.Event{Type: "snapshot", Contact: wc}, atMS); err != nil {
				return err
			}
			if c.LastMessageTime != nil && *c.LastMessageTime > 0 {
				if _, err := tx.ExecContext(ctx, `UPDATE contacts SET last_message_ms = MAX(last_message_ms, ?) WHERE id = ?`, *c.LastMessageTime*1000, c.ID); err != nil {
					return err
				}
			}
		}
		return nil
	})
}

// SnapshotMessages records messages read from the API (newest first, as the API pages them).
func (m *Mirror) SnapshotMessages(ctx context.Context, contactID int64, msgs []apiclient.Message) error {
	return m.snapshotMessages(ctx, contactID, msgs, false)
}

// snapshotMessages records msgs and, for a message pass (pass), that the conversation was
// read, in the same transaction: a rerun after an interruption does not read it again.
func (m *Mirror) snapshotMessages(ctx context.Context, contactID int64, msgs []apiclient.Message, pass bool) error {
	return m.write(ctx, func(tx *wtx) error {
		if pass {
			if _, err := tx.ExecContext(ctx, `INSERT OR IGNORE INTO message_sync (contact_id) VALUES (?)`, contactID); err != nil {
				return err
			}
		}
		// Oldest first; an incoming message has no time in core, but the list's order says
		// it is newer than the one before it: a millisecond after it is enough to order them.
		var prev int64
		for i := len(msgs) - 1; i >= 0; i-- {
			msg := msgs[i]
			ms := messageTimeMS(msg)
			if ms == 0 {
				ms = prev + 1
			}
			prev = ms
			if err := recordMessage(ctx, tx, contactID, msg.MessageID, msg.ChannelID, "", msg.Traffic, msg.Message.Type, ms); err != nil {
				return err
			}
		}
		return nil
	})
}

// SyncProgress is where a backfill stands.
type SyncProgress struct {
	Cursor int64 // last contact id stored; 0: from the start
	DoneMS int64
}

// SyncState reads the backfill progress.
func (m *Mirror) SyncState(ctx context.Context) SyncProgress {
	return SyncProgress{Cursor: m.stateInt(ctx, keySyncCursor), DoneMS: m.stateInt(ctx, keySyncDone)}
}

// SetSyncCursor records the last contact id backfilled (resume point).
func (m *Mirror) SetSyncCursor(ctx context.Context, id int64) error {
	return m.setState(ctx, keySyncCursor, strconv.FormatInt(id, 10))
}

// FinishSync records a complete contact backfill and clears the resume point.
func (m *Mirror) FinishSync(ctx context.Context, atMS int64) error {
	return m.setState(ctx, keySyncCursor, "0", keySyncDone, strconv.FormatInt(atMS, 10))
}

// FinishMessageSync records a complete message backfill and forgets its resume point.
func (m *Mirror) FinishMessageSync(ctx context.Context, atMS int64) error {
	return m.write(ctx, func(tx *wtx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM message_sync`); err != nil {
			return err
		}
		for k, v := range map[string]string{keySyncMsgs: strconv.FormatInt(atMS, 10), keySyncMsgsPending: "0"} {
			if _, err := tx.ExecContext(ctx, `INSERT INTO state (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value`, k, v); err != nil {
				return err
			}
		}
		return nil
	})
}

// startMessagePass begins a message pass: resume (a pass was left unfinished and this run
// may continue it) keeps the conversations already read and returns them; otherwise the
// pass starts empty.
func (m *Mirror) startMessagePass(ctx context.Context, resume bool) (map[int64]bool, error) {
	done := map[int64]bool{}
	if resume && m.stateInt(ctx, keySyncMsgsPending) == 1 {
		rows, err := m.db.QueryContext(ctx, `SELECT contact_id FROM message_sync`)
		if err != nil {
			return nil, err
		}
		defer rows.Close()
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				return nil, err
			}
			done[id] = true
		}
		return done, rows.Err()
	}
	return done, m.write(ctx, func(tx *wtx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM message_sync`); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO state (key, value) VALUES (?, '1') ON CONFLICT(key) DO UPDATE SET value = excluded.value`, keySyncMsgsPending)
		return err
	})
}

// messagePassPending: a message pass was started and not finished.
func (m *Mirror) messagePassPending(ctx context.Context) bool {
	return m.stateInt(ctx, keySyncMsgsPending) == 1
}

// messageTimeMS is a message's time: EXT timestamp, else the first status time (outgoing).
func messageTimeMS(msg apiclient.Message) int64 {
	if msg.Timestamp != nil && *msg.Timestamp > 0 {
		return *msg.Timestamp * 1000
	}
	if len(msg.Status) > 0 && msg.Status[0].Timestamp > 0 {
		return msg.Status[0].Timestamp * 1000
	}
	return 0
}
