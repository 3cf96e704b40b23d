package mirror

import (
	"context"
	"database/sql"
	"encoding/json"
	"os"
	"time"

	"github.com/respondctl/respondctl/apiclient"
	"github.com/respondctl/respondctl/bulk"
)

// ContactState is what the mirror knows of one contact.
type ContactState struct {
	ID            int64
	Status        string
	AssigneeID    *int64
	Lifecycle     *string
	Tags          []string
	LastMessageMS int64 // 0: no message seen
	LastIncoming  int64 // ms of the last incoming message, 0: none seen
	// LastIsIncoming: the newest message known is incoming.
	LastIsIncoming bool
}

// AwaitingReply: an open conversation whose last message is incoming.
func (c ContactState) AwaitingReply() bool { return c.Status == "open" && c.LastIsIncoming }

// Contacts returns the state of the given contacts (all when ids is empty), by id.
func (m *Mirror) Contacts(ctx context.Context, ids ...int64) (map[int64]ContactState, error) {
	q := `SELECT id, COALESCE(status, ''), assignee_id, lifecycle, last_message_ms, last_incoming_ms, last_incoming FROM contacts`
	var args []any
	if len(ids) > 0 {
		q += ` WHERE id IN (SELECT value FROM json_each(?))`
		b, _ := json.Marshal(ids)
		args = append(args, string(b))
	}
	rows, err := m.db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64]ContactState{}
	for rows.Next() {
		var c ContactState
		var a sql.NullInt64
		var l sql.NullString
		var inc int
		if err := rows.Scan(&c.ID, &c.Status, &a, &l, &c.LastMessageMS, &c.LastIncoming, &inc); err != nil {
			return nil, err
		}
		if a.Valid {
			v := a.Int64
			c.AssigneeID = &v
		}
		if l.Valid {
			v := l.String
			c.Lifecycle = &v
		}
		c.LastIsIncoming = inc == 1
		out[c.ID] = c
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	trows, err := m.db.QueryContext(ctx, `SELECT contact_id, tag FROM contact_tags ORDER BY contact_id, tag`)
	if err != nil {
		return nil, err
	}
	defer trows.Close()
	for trows.Next() {
		var id int64
		var tag string
		if err := trows.Scan(&id, &tag); err != nil {
			return nil, err
		}
		if c, ok := out[id]; ok {
			c.Tags = append(c.Tags, tag)
			out[id] = c
		}
	}
	return out, trows.Err()
}

// Event is one entry of the mirror's event log, in the contract's Event model.
type Event struct {
	ID        int64           `json:"id"`
	EventID   string          `json:"eventId"`
	Type      string          `json:"eventType"`
	ContactID int64           `json:"contactId"`
	Timestamp int64           `json:"timestamp"` // seconds
	Category  string          `json:"category"`
	Action    string          `json:"action"`
	By        string          `json:"by"`
	Actor     json.RawMessage `json:"actor"`
	Data      json.RawMessage `json:"data"`
}

// Events returns a contact's events, oldest first, excluding messages (the API has those).
func (m *Mirror) Events(ctx context.Context, contactID int64) ([]Event, error) {
	rows, err := m.db.QueryContext(ctx, `SELECT seq, event_id, event_type, contact_id, time_ms, category, action, by, actor, data
		FROM events WHERE contact_id = ? AND category <> 'message' ORDER BY time_ms, seq`, contactID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Event
	for rows.Next() {
		var e Event
		var ms int64
		var actor, data sql.NullString
		if err := rows.Scan(&e.ID, &e.EventID, &e.Type, &e.ContactID, &ms, &e.Category, &e.Action, &e.By, &actor, &data); err != nil {
			return nil, err
		}
		e.Timestamp = ms / 1000
		e.Actor, e.Data = json.RawMessage("null"), json.RawMessage("{}")
		if actor.Valid {
			e.Actor = json.RawMessage(actor.String)
		}
		if data.Valid {
			e.Data = json.RawMessage(data.String)
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// ByLastMessage orders contact ids by the mirror's most recent message, newest first;
// contacts the mirror has no message for keep their relative order at the end.
func (m *Mirror) LastMessageTimes(ctx context.Context, ids []int64) (map[int64]ContactState, error) {
	return m.Contacts(ctx, ids...)
}

// Status describes the mirror for `mirror status` and for freshness checks.
type Status struct {
	Path          string `json:"path"`
	SizeBytes     int64  `json:"sizeBytes"`
	SchemaVersion int    `json:"schemaVersion"`
	Contacts      int64  `json:"contacts"`
	Events        int64  `json:"events"`
	// LastEvent is the arrival time (seconds) of the newest webhook; 0: none yet.
	LastEvent int64 `json:"lastEvent"`
	// Heartbeat is when the listener last said it was running (seconds); 0: not running.
	Heartbeat      int64  `json:"heartbeat"`
	ListenerAddr   string `json:"listenerAddr,omitempty"`
	LagSeconds     *int64 `json:"lagSeconds"` // now - heartbeat; null when no listener
	SyncedAt       int64  `json:"syncedAt"`   // last complete contact backfill (seconds), 0: never
	SyncCursor     int64  `json:"syncCursor"` // last contact id of an unfinished backfill
	MessagesSynced int64  `json:"messagesSyncedAt"`
	// MessagesResume: conversations an interrupted `mirror sync --messages` read, which a
	// rerun does not read again; 0: none pending.
	MessagesResume int64 `json:"messagesResume"`
	// Workspace is what the mirror mirrors (base URL and token fingerprint, or the sandbox
	// database); nil when not recorded (a mirror built before mirrors recorded it).
	Workspace *bulk.Workspace `json:"workspace"`
	// Unknown lists what the mirror does not know yet.
	Unknown []string `json:"unknown"`
}

// Fresh reports whether a listener heartbeat is no older than maxAge at now.
func (s Status) Fresh(now time.Time, maxAge time.Duration) bool {
	return s.Heartbeat > 0 && now.Sub(time.Unix(s.Heartbeat, 0)) <= maxAge
}

// Status reads the mirror's state.
func (m *Mirror) Status(ctx context.Context) (Status, error) {
	s := Status{Path: m.path, SchemaVersion: SchemaVersion, Unknown: []string{}}
	if fi, err := os.Stat(m.path); err == nil {
		s.SizeBytes = fi.Size()
		if wal, err := os.Stat(m.path + "-wal"); err == nil {
			s.SizeBytes += wal.Size()
		}
	}
	if err := m.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM contacts`).Scan(&s.Contacts); err != nil {
		return s, err
	}
	var last sql.NullInt64
	if err := m.db.QueryRowContext(ctx, `SELECT COUNT(*), MAX(received_ms) FROM events`).Scan(&s.Events, &last); err != nil {
		return s, err
	}
	s.LastEvent = last.Int64 / 1000
	s.Heartbeat = m.stateInt(ctx, keyHeartbeat) / 1000
	s.ListenerAddr, _ = m.state(ctx, keyListenAddr)
	if s.Heartbeat > 0 {
		lag := m.now().Unix() - s.Heartbeat
		s.LagSeconds = &lag
	}
	s.SyncedAt = m.stateInt(ctx, keySyncDone) / 1000
	s.SyncCursor = m.stateInt(ctx, keySyncCursor)
	s.MessagesSynced = m.stateInt(ctx, keySyncMsgs) / 1000
	if m.stateInt(ctx, keySyncMsgsPending) == 1 {
		if err := m.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM message_sync`).Scan(&s.MessagesResume); err != nil {
			return s, err
		}
	}
	ws, err := m.Workspace(ctx)
	if err != nil {
		return s, err
	}
	if !ws.IsZero() {
		s.Workspace = &ws
	}
	if s.Workspace == nil {
		s.Unknown = append(s.Unknown, "which workspace it mirrors: run `respondctl mirror sync` to record it")
	}
	if s.SyncedAt == 0 {
		s.Unknown = append(s.Unknown, "contacts not backfilled: run `respondctl mirror sync`")
	}
	if s.MessagesSynced == 0 {
		s.Unknown = append(s.Unknown, "last-message times before the listener started: run `respondctl mirror sync --messages open`")
	}
	if s.Heartbeat == 0 {
		s.Unknown = append(s.Unknown, "changes since the last listener run: run `respondctl listen`")
	}
	s.Unknown = append(s.Unknown, "unread counts (webhooks do not carry them; awaitingReply stands in)")
	return s, nil
}

// Prune deletes events and raw bodies received before cutoff; contact state stays.
func (m *Mirror) Prune(ctx context.Context, cutoff time.Time) (events, raws int64, err error) {
	ms := cutoff.UnixMilli()
	err = m.write(ctx, func(tx *wtx) error {
		r, err := tx.ExecContext(ctx, `DELETE FROM events WHERE received_ms < ?`, ms)
		if err != nil {
			return err
		}
		events, _ = r.RowsAffected()
		// Raw bodies hold the event ids that deduplicate redeliveries: keep them a week.
		r, err = tx.ExecContext(ctx, `DELETE FROM raw WHERE received_ms < ?`, ms)
		if err != nil {
			return err
		}
		raws, _ = r.RowsAffected()
		return nil
	})
	if err == nil {
		_, err = m.db.ExecContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`)
	}
	return events, raws, err
}

// SnapshotContact stores a contact read from the API (backfill). atMS is when it was
// read: a webhook newer than that still wins, an older one no longer overwrites it.
func (m *Mirror) SnapshotContact(ctx context.Context, c apiclient.Contact, atMS int64) error {
	return m.SnapshotContacts(ctx, []apiclient.Contact{c}, atMS)
}
