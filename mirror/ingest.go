package mirror

import (
	"context"
	"database/sql"
	"encoding/json"
	"strings"

	"github.com/respondctl/respondctl/webhook"
)

// Result is what Ingest did with one webhook.
type Result struct {
	Duplicate bool   // the event_id was stored before: nothing changed
	Ping      bool   // the platform's test ping: nothing stored
	ContactID int64  // 0 when the event names no contact
	Category  string // the Event model's category/action it was logged as
	Action    string
}

// Ingest stores one verified webhook durably: its raw body, its normalised event and
// the contact state it carries, in one transaction, once per event_id. receivedMS is
// the arrival time, used as the event's time when the body carries none.
func (m *Mirror) Ingest(ctx context.Context, ev *webhook.Event, raw []byte, receivedMS int64) (Result, error) {
	if ev.Ping() {
		return Result{Ping: true}, nil
	}
	var res Result
	err := m.write(ctx, func(tx *sql.Tx) error {
		var err error
		res, err = ingestTx(ctx, tx, ev, raw, receivedMS)
		return err
	})
	return res, err
}

// IngestBatch stores many webhooks in one transaction (the listener's group commit and
// the benchmarks); results are in the order given.
func (m *Mirror) IngestBatch(ctx context.Context, evs []*webhook.Event, raws [][]byte, receivedMS int64) ([]Result, error) {
	out := make([]Result, len(evs))
	err := m.write(ctx, func(tx *sql.Tx) error {
		for i, ev := range evs {
			if ev.Ping() {
				out[i] = Result{Ping: true}
				continue
			}
			r, err := ingestTx(ctx, tx, ev, raws[i], receivedMS)
			if err != nil {
				return err
			}
			out[i] = r
		}
		return nil
	})
	return out, err
}

func ingestTx(ctx context.Context, tx *sql.Tx, ev *webhook.Event, raw []byte, receivedMS int64) (Result, error) {
	res := Result{}
	r, err := tx.ExecContext(ctx, `INSERT OR IGNORE INTO raw (event_id, received_ms, body) VALUES (?, ?, ?)`, ev.ID, receivedMS, raw)
	if err != nil {
		return res, err
	}
	if n, _ := r.RowsAffected(); n == 0 {
		res.Duplicate = true
		return res, nil
	}
	t := ev.TimeMS
	if t <= 0 {
		t = receivedMS
	}
	row := normalise(ev)
	res.Category, res.Action = row.category, row.action
	var contactID any
	if ev.Contact != nil && ev.Contact.ID > 0 {
		res.ContactID = ev.Contact.ID
		contactID = ev.Contact.ID
		if err := applyContact(ctx, tx, ev, t); err != nil {
			return res, err
		}
	}
	var actor, data any
	if row.actor != nil {
		b, _ := json.Marshal(row.actor)
		actor = string(b)
	}
	if row.data != nil {
		b, _ := json.Marshal(row.data)
		data = string(b)
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO events (event_id, event_type, contact_id, time_ms, received_ms, category, action, by, actor, data)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, ev.ID, ev.Type, contactID, t, receivedMS, row.category, row.action, row.by, actor, data)
	return res, err
}

// applyContact writes what the event says about its contact, field by field, only where
// the event is at least as new as what set the field before.
func applyContact(ctx context.Context, tx *sql.Tx, ev *webhook.Event, t int64) error {
	c := ev.Contact
	id := c.ID
	if _, err := tx.ExecContext(ctx, `INSERT OR IGNORE INTO contacts (id) VALUES (?)`, id); err != nil {
		return err
	}
	exec := func(q string, args ...any) error {
		_, err := tx.ExecContext(ctx, q, args...)
		return err
	}
	// Profile: the standard fields, when the object names the contact. A field the object
	// leaves out (or sends as null) keeps its value: partial objects must not erase.
	if c.FirstName != "" || c.Email != nil || c.Phone != nil {
		if err := exec(`UPDATE contacts SET first_name = ?, last_name = COALESCE(?, last_name), phone = COALESCE(?, phone),
			email = COALESCE(?, email), language = COALESCE(?, language), country_code = COALESCE(?, country_code),
			created_at = CASE WHEN ? > 0 THEN ? ELSE created_at END, profile_at = ? WHERE id = ? AND profile_at <= ?`,
			c.FirstName, c.LastName, c.Phone, c.Email, c.Language, c.CountryCode, c.CreatedAt, c.CreatedAt, t, id, t); err != nil {
			return err
		}
	}
	status := normStatus(c.Status)
	switch ev.Type {
	case webhook.ConversationClosed:
		status = "close"
	case webhook.ConversationOpened:
		status = "open"
	}
	if status != "" {
		if err := exec(`UPDATE contacts SET status = ?, status_at = ? WHERE id = ? AND status_at <= ?`, status, t, id, t); err != nil {
			return err
		}
	}
	if c.HasAssignee {
		var aid, a any
		if c.Assignee != nil {
			aid = c.Assignee.ID
			b, _ := json.Marshal(c.Assignee)
			a = string(b)
		}
		if err := exec(`UPDATE contacts SET assignee_id = ?, assignee = ?, assignee_at = ? WHERE id = ? AND assignee_at <= ?`, aid, a, t, id, t); err != nil {
			return err
		}
	}
	lifecycleSet, lifecycle := c.HasLifecycle, c.Lifecycle
	if ev.Type == webhook.ContactLifecycleUpdated && !lifecycleSet {
		lifecycleSet, lifecycle = true, ev.Lifecycle
	}
	if lifecycleSet {
		if lifecycle != nil && *lifecycle == "" {
			lifecycle = nil
		}
		if err := exec(`UPDATE contacts SET lifecycle = ?, lifecycle_at = ? WHERE id = ? AND lifecycle_at <= ?`, lifecycle, t, id, t); err != nil {
			return err
		}
	}
	if err := applyTags(ctx, tx, ev, t); err != nil {
		return err
	}
	if c.HasFields {
		var cur int64
		if err := tx.QueryRowContext(ctx, `SELECT fields_at FROM contacts WHERE id = ?`, id).Scan(&cur); err != nil {
			return err
		}
		if cur <= t {
			if err := exec(`DELETE FROM contact_fields WHERE contact_id = ?`, id); err != nil {
				return err
			}
			for _, f := range c.Fields {
				b, _ := json.Marshal(f.Value)
				if err := exec(`INSERT OR REPLACE INTO contact_fields (contact_id, name, value) VALUES (?, ?, ?)`, id, f.Name, string(b)); err != nil {
					return err
				}
			}
			if err := exec(`UPDATE contacts SET fields_at = ? WHERE id = ?`, t, id); err != nil {
				return err
			}
		}
	}
	if msg := ev.Message; msg != nil && (ev.Type == webhook.MessageReceived || ev.Type == webhook.MessageSent) {
		// The message's own time is often whole seconds; the event's, when within that
		// second, is finer and orders two messages of the same second.
		mt := msg.TimeMS
		if mt <= 0 || (t > mt && t-mt < 1000) {
			mt = t
		}
		return recordMessage(ctx, tx, id, msg.ID, msg.ChannelID, channelSource(ev), msg.Traffic, msg.Type, mt)
	}
	return nil
}

func channelSource(ev *webhook.Event) string {
	if ev.Channel != nil {
		return ev.Channel.Source
	}
	return ""
}

// recordMessage moves the contact's last-message times forward (never back) and records
// whether its newest message is incoming. A message seen twice (webhook and backfill)
// counts once.
func recordMessage(ctx context.Context, tx *sql.Tx, contactID, messageID, channelID int64, source, traffic, typ string, ms int64) error {
	if messageID != 0 {
		r, err := tx.ExecContext(ctx, `INSERT OR IGNORE INTO messages (contact_id, message_id, channel_id, traffic, type, time_ms) VALUES (?, ?, ?, ?, ?, ?)`,
			contactID, messageID, channelID, traffic, typ, ms)
		if err != nil {
			return err
		}
		if n, _ := r.RowsAffected(); n == 0 {
			return nil
		}
	}
	incoming := 0
	if traffic == "incoming" {
		incoming = 1
	}
	if _, err := tx.ExecContext(ctx, `UPDATE contacts SET
			last_incoming = CASE WHEN ? >= last_message_ms THEN ? ELSE last_incoming END,
			last_message_ms = MAX(last_message_ms, ?),
			last_incoming_ms = CASE WHEN ? = 1 THEN MAX(last_incoming_ms, ?) ELSE last_incoming_ms END
		WHERE id = ?`, ms, incoming, ms, incoming, ms, contactID); err != nil {
		return err
	}
	if channelID == 0 {
		return nil
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO contact_channels (contact_id, channel_id, source, last_message_ms, last_incoming_ms)
		VALUES (?, ?, ?, ?, CASE WHEN ? = 1 THEN ? ELSE 0 END)
		ON CONFLICT (contact_id, channel_id) DO UPDATE SET
			source = COALESCE(NULLIF(excluded.source, ''), source),
			last_message_ms = MAX(last_message_ms, excluded.last_message_ms),
			last_incoming_ms = MAX(last_incoming_ms, excluded.last_incoming_ms)`,
		contactID, channelID, source, ms, incoming, ms)
	return err
}

// applyTags replaces the tag set from a contact object that lists its tags, or adds or
// removes the one tag of a contact.tag.updated that does not.
func applyTags(ctx context.Context, tx *sql.Tx, ev *webhook.Event, t int64) error {
	c := ev.Contact
	var cur int64
	if err := tx.QueryRowContext(ctx, `SELECT tags_at FROM contacts WHERE id = ?`, c.ID).Scan(&cur); err != nil {
		return err
	}
	if cur > t {
		return nil
	}
	switch {
	case c.HasTags:
		if _, err := tx.ExecContext(ctx, `DELETE FROM contact_tags WHERE contact_id = ?`, c.ID); err != nil {
			return err
		}
		for _, tag := range c.Tags {
			if _, err := tx.ExecContext(ctx, `INSERT OR IGNORE INTO contact_tags (contact_id, tag) VALUES (?, ?)`, c.ID, tag); err != nil {
				return err
			}
		}
	case ev.Type == webhook.ContactTagUpdated && ev.Tag != "":
		q := `INSERT OR IGNORE INTO contact_tags (contact_id, tag) VALUES (?, ?)`
		if strings.HasPrefix(ev.Action, "remove") || ev.Action == "delete" {
			q = `DELETE FROM contact_tags WHERE contact_id = ? AND tag = ?`
		}
		if _, err := tx.ExecContext(ctx, q, c.ID, ev.Tag); err != nil {
			return err
		}
	default:
		return nil
	}
	_, err := tx.ExecContext(ctx, `UPDATE contacts SET tags_at = ? WHERE id = ?`, t, c.ID)
	return err
}

func normStatus(s string) string {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "open", "opened":
		return "open"
	case "close", "closed", "done":
		return "close"
	case "pending":
		return "pending"
	case "snoozed", "snooze":
		return "snoozed"
	}
	return ""
}
