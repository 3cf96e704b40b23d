package mirror

import (
	"context"
	"encoding/json"
	"sort"
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
	err := m.write(ctx, func(tx *wtx) error {
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
	err := m.write(ctx, func(tx *wtx) error {
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

func ingestTx(ctx context.Context, tx *wtx, ev *webhook.Event, raw []byte, receivedMS int64) (Result, error) {
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
// the event is at least as new as what set the field before. The times that set each field
// are read once and every field that moves is written by one UPDATE (an event costs about
// ten statements, not twenty); tags and custom fields are rewritten only when they differ.
func applyContact(ctx context.Context, tx *wtx, ev *webhook.Event, t int64) error {
	c := ev.Contact
	id := c.ID
	if _, err := tx.ExecContext(ctx, `INSERT OR IGNORE INTO contacts (id) VALUES (?)`, id); err != nil {
		return err
	}
	var profileAt, statusAt, assigneeAt, lifecycleAt, tagsAt, fieldsAt int64
	if err := tx.QueryRowContext(ctx, `SELECT profile_at, status_at, assignee_at, lifecycle_at, tags_at, fields_at FROM contacts WHERE id = ?`, id).
		Scan(&profileAt, &statusAt, &assigneeAt, &lifecycleAt, &tagsAt, &fieldsAt); err != nil {
		return err
	}
	var sets []string
	var args []any
	set := func(expr string, a ...any) {
		sets = append(sets, expr)
		args = append(args, a...)
	}
	// Profile: the standard fields, when the object names the contact. A field the object
	// leaves out (or sends as null) keeps its value: partial objects must not erase.
	if (c.FirstName != "" || c.Email != nil || c.Phone != nil) && profileAt <= t {
		set(`first_name = ?, last_name = COALESCE(?, last_name), phone = COALESCE(?, phone), email = COALESCE(?, email),
			language = COALESCE(?, language), country_code = COALESCE(?, country_code), profile_at = ?`,
			c.FirstName, c.LastName, c.Phone, c.Email, c.Language, c.CountryCode, t)
		if c.CreatedAt > 0 {
			set(`created_at = ?`, c.CreatedAt)
		}
	}
	status := normStatus(c.Status)
	switch ev.Type {
	case webhook.ConversationClosed:
		status = "close"
	case webhook.ConversationOpened:
		status = "open"
	}
	if status != "" && statusAt <= t {
		set(`status = ?, status_at = ?`, status, t)
	}
	if c.HasAssignee && assigneeAt <= t {
		var aid, a any
		if c.Assignee != nil {
			aid = c.Assignee.ID
			b, _ := json.Marshal(c.Assignee)
			a = string(b)
		}
		set(`assignee_id = ?, assignee = ?, assignee_at = ?`, aid, a, t)
	}
	lifecycleSet, lifecycle := c.HasLifecycle, c.Lifecycle
	if ev.Type == webhook.ContactLifecycleUpdated && !lifecycleSet {
		lifecycleSet, lifecycle = true, ev.Lifecycle
	}
	if lifecycleSet && lifecycleAt <= t {
		if lifecycle != nil && *lifecycle == "" {
			lifecycle = nil
		}
		set(`lifecycle = ?, lifecycle_at = ?`, lifecycle, t)
	}
	if tagsAt <= t {
		changed, err := applyTags(ctx, tx, ev)
		if err != nil {
			return err
		}
		if changed {
			set(`tags_at = ?`, t)
		}
	}
	if c.HasFields && fieldsAt <= t {
		if err := applyFields(ctx, tx, id, c.Fields); err != nil {
			return err
		}
		set(`fields_at = ?`, t)
	}
	if len(sets) > 0 {
		if _, err := tx.ExecContext(ctx, `UPDATE contacts SET `+strings.Join(sets, ", ")+` WHERE id = ?`, append(args, id)...); err != nil {
			return err
		}
	}
	if msg := ev.Message; msg != nil && (ev.Type == webhook.MessageReceived || ev.Type == webhook.MessageSent) {
		// The message's own time is often whole seconds; the event's, when the body stamps
		// it or when it falls within that second, is finer and orders two messages of the
		// same second (a message is stamped when its webhook is sent, after it was made).
		mt := msg.TimeMS
		if mt <= 0 || (t > mt && (ev.Stamped || t-mt < 1000)) {
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
func recordMessage(ctx context.Context, tx *wtx, contactID, messageID, channelID int64, source, traffic, typ string, ms int64) error {
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
// removes the one tag of a contact.tag.updated that does not; it reports whether the event
// set the tags (so their time moves), rewriting rows only when the set differs.
func applyTags(ctx context.Context, tx *wtx, ev *webhook.Event) (bool, error) {
	c := ev.Contact
	switch {
	case c.HasTags:
		var cur string
		if err := tx.QueryRowContext(ctx, `SELECT COALESCE(group_concat(tag, char(31)), '') FROM (SELECT lower(tag) AS tag FROM contact_tags WHERE contact_id = ? ORDER BY 1)`, c.ID).Scan(&cur); err != nil {
			return false, err
		}
		want := make([]string, 0, len(c.Tags))
		seen := map[string]bool{}
		for _, tag := range c.Tags {
			if l := strings.ToLower(tag); !seen[l] {
				seen[l] = true
				want = append(want, l)
			}
		}
		sort.Strings(want)
		if strings.Join(want, "\x1f") == cur {
			return true, nil
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM contact_tags WHERE contact_id = ?`, c.ID); err != nil {
			return false, err
		}
		for _, tag := range c.Tags {
			if _, err := tx.ExecContext(ctx, `INSERT OR IGNORE INTO contact_tags (contact_id, tag) VALUES (?, ?)`, c.ID, tag); err != nil {
				return false, err
			}
		}
		return true, nil
	case ev.Type == webhook.ContactTagUpdated && ev.Tag != "":
		q := `INSERT OR IGNORE INTO contact_tags (contact_id, tag) VALUES (?, ?)`
		if strings.HasPrefix(ev.Action, "remove") || ev.Action == "delete" {
			q = `DELETE FROM contact_tags WHERE contact_id = ? AND tag = ?`
		}
		_, err := tx.ExecContext(ctx, q, c.ID, ev.Tag)
		return err == nil, err
	}
	return false, nil
}

// applyFields replaces the contact's custom fields when they differ from what is stored.
func applyFields(ctx context.Context, tx *wtx, id int64, fields []webhook.CustomField) error {
	want := map[string]string{}
	for _, f := range fields {
		b, _ := json.Marshal(f.Value)
		want[f.Name] = string(b)
	}
	rows, err := tx.QueryContext(ctx, `SELECT name, COALESCE(value, 'null') FROM contact_fields WHERE contact_id = ?`, id)
	if err != nil {
		return err
	}
	same, n := true, 0
	for rows.Next() {
		var name, value string
		if err := rows.Scan(&name, &value); err != nil {
			rows.Close()
			return err
		}
		n++
		if v, ok := want[name]; !ok || v != value {
			same = false
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	if same && n == len(want) {
		return nil
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM contact_fields WHERE contact_id = ?`, id); err != nil {
		return err
	}
	for name, value := range want {
		if _, err := tx.ExecContext(ctx, `INSERT INTO contact_fields (contact_id, name, value) VALUES (?, ?, ?)`, id, name, value); err != nil {
			return err
		}
	}
	return nil
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
