package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
)

const messageCols = `m.id, m.contact_id, m.channel_id, ch.source, m.channel_message_id, m.traffic, m.body, m.sender,
	m.created_at, m.final_status, m.fail_reason`

func scanMessage(sc interface{ Scan(...any) error }) (Message, error) {
	var m Message
	var cmid, sender, final, reason sql.NullString
	var body string
	err := sc.Scan(&m.ID, &m.ContactID, &m.ChannelID, &m.ChannelSource, &cmid, &m.Traffic, &body, &sender,
		&m.CreatedAt, &final, &reason)
	m.Body = json.RawMessage(body)
	if sender.Valid {
		m.Sender = json.RawMessage(sender.String)
	}
	m.ChannelMessageID, m.FinalStatus, m.FailReason = nullStr(cmid), nullStr(final), nullStr(reason)
	return m, err
}

// ListMessages pages a contact's messages newest first, optionally on one channel.
func (s *Store) ListMessages(ctx context.Context, contactID, channelID int64, p Page) ([]Message, bool, error) {
	where, args, order, rev := keyset("m.id", true, p.Cursor)
	q := `SELECT ` + messageCols + ` FROM messages m JOIN channels ch ON ch.id = m.channel_id WHERE m.contact_id = ?`
	all := []any{contactID}
	if channelID != 0 {
		q += ` AND m.channel_id = ?`
		all = append(all, channelID)
	}
	all = append(append(all, args...), p.Limit+1)
	rows, err := s.db.QueryContext(ctx, q+` AND `+where+` ORDER BY `+order+` LIMIT ?`, all...)
	if err != nil {
		return nil, false, err
	}
	defer rows.Close()
	var out []Message
	for rows.Next() {
		m, err := scanMessage(rows)
		if err != nil {
			return nil, false, err
		}
		out = append(out, m)
	}
	if err := rows.Err(); err != nil {
		return nil, false, err
	}
	out, more := trimPage(out, p.Limit, rev)
	return out, more, nil
}

// GetMessage returns one message of a contact.
func (s *Store) GetMessage(ctx context.Context, contactID, messageID int64) (Message, error) {
	m, err := scanMessage(s.db.QueryRowContext(ctx, `SELECT `+messageCols+` FROM messages m JOIN channels ch ON ch.id = m.channel_id
		WHERE m.contact_id = ? AND m.id = ?`, contactID, messageID))
	if err == sql.ErrNoRows {
		return m, ErrNotFound
	}
	return m, err
}

// ChannelMessageID invents a realistic channel-side id for a message.
func ChannelMessageID(source string, id int64) string {
	switch {
	case IsWhatsApp(source):
		return fmt.Sprintf("wamid.HBgLNjAxMjM0NTY3ODkVAgARGBI%016X", id)
	case source == "facebook" || source == "instagram":
		return fmt.Sprintf("m_%x", id*7919)
	case source == "gmail" || source == "other_email":
		return fmt.Sprintf("<%d.sandbox@mail.example.com>", id)
	default:
		return fmt.Sprintf("%d", id)
	}
}

// OutgoingMessage is a message sent through the API.
type OutgoingMessage struct {
	ContactID  int64
	Channel    ContactChannel
	Body       json.RawMessage
	FailReason string // non-empty: the channel will reject it
}

// SendMessage stores an outgoing message (its statuses then advance on the
// sandbox clock) and updates the contact's last-message times.
func (s *Store) SendMessage(ctx context.Context, m OutgoingMessage) (int64, error) {
	var id int64
	err := s.write(ctx, func(tx *sql.Tx) error {
		now := s.Now()
		var final, reason any
		if m.FailReason != "" {
			final, reason = "failed", m.FailReason
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO messages (contact_id, channel_id, traffic, body, sender, created_at, final_status, fail_reason)
			VALUES (?, ?, 'outgoing', ?, '{"source":"api"}', ?, ?, ?)`, m.ContactID, m.Channel.ChannelID, string(m.Body), now, final, reason)
		if err != nil {
			return err
		}
		if id, err = res.LastInsertId(); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE messages SET channel_message_id = ? WHERE id = ?`, ChannelMessageID(m.Channel.Source, id), id); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE contact_channels SET last_message_time = ? WHERE id = ?`, now, m.Channel.ContactChannelID); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `UPDATE contacts SET last_message_time = ? WHERE id = ?`, now, m.ContactID)
		return err
	})
	return id, err
}

// ReceiveMessage stores a simulated incoming message: it raises the unread
// count, opens the messaging window, and reopens a closed, pending or snoozed
// conversation (event by "contact"). A channel the contact never used is linked.
func (s *Store) ReceiveMessage(ctx context.Context, contactID int64, ch Channel, body json.RawMessage) (int64, error) {
	var id int64
	err := s.write(ctx, func(tx *sql.Tx) error {
		now := s.Now()
		var status string
		if err := tx.QueryRowContext(ctx, `SELECT status FROM contacts WHERE id = ?`, contactID).Scan(&status); err != nil {
			if err == sql.ErrNoRows {
				return ErrNotFound
			}
			return err
		}
		res, err := tx.ExecContext(ctx, `UPDATE contact_channels SET last_message_time = ?, last_incoming_message_time = ?
			WHERE contact_id = ? AND channel_id = ?`, now, now, contactID, ch.ID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			if _, err := tx.ExecContext(ctx, `INSERT INTO contact_channels (contact_id, channel_id, meta, last_message_time, last_incoming_message_time, created_at)
				VALUES (?, ?, NULL, ?, ?, ?)`, contactID, ch.ID, now, now, now); err != nil {
				return err
			}
		}
		res, err = tx.ExecContext(ctx, `INSERT INTO messages (contact_id, channel_id, traffic, body, created_at) VALUES (?, ?, 'incoming', ?, ?)`,
			contactID, ch.ID, string(body), now)
		if err != nil {
			return err
		}
		if id, err = res.LastInsertId(); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE messages SET channel_message_id = ? WHERE id = ?`, ChannelMessageID(ch.Source, id), id); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE contacts SET last_message_time = ?, unread_count = unread_count + 1, status = 'open', snoozed_until = NULL
			WHERE id = ?`, now, contactID); err != nil {
			return err
		}
		switch status {
		case "snoozed":
			return insertEvent(ctx, tx, contactID, now, "snooze", "unsnoozed", "contact", nil, nil, map[string]any{"reason": "new incoming message"})
		case "close", "pending":
			return insertEvent(ctx, tx, contactID, now, "status", "opened", "contact", nil, nil, map[string]any{"reason": "new incoming message"})
		}
		return nil
	})
	return id, err
}
