package store

import (
	"context"
	"database/sql"
	"encoding/json"
)

// execer is satisfied by *sql.Tx and *sql.DB.
type execer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

func insertEvent(ctx context.Context, tx execer, contactID, ts int64, category, action, by string, actorID *int64, actorName *string, data any) error {
	var dataText any
	if data != nil {
		b, err := json.Marshal(data)
		if err != nil {
			return err
		}
		dataText = string(b)
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO events (contact_id, timestamp, category, action, by, actor_id, actor_name, data)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, contactID, ts, category, action, by, actorID, actorName, dataText)
	return err
}

// WakeSnoozed reopens every snoozed contact whose snooze has expired on the
// sandbox clock, recording (snooze, unsnoozed, automation). It runs lazily
// before reads so no background goroutine is needed.
func (s *Store) WakeSnoozed(ctx context.Context) error {
	now := s.Now()
	var n int
	if err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM contacts WHERE status = 'snoozed' AND snoozed_until <= ?`, now).Scan(&n); err != nil || n == 0 {
		return err
	}
	return s.write(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT id, snoozed_until FROM contacts WHERE status = 'snoozed' AND snoozed_until <= ?`, now)
		if err != nil {
			return err
		}
		type due struct{ id, until int64 }
		var list []due
		for rows.Next() {
			var d due
			if err := rows.Scan(&d.id, &d.until); err != nil {
				rows.Close()
				return err
			}
			list = append(list, d)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		for _, d := range list {
			if _, err := tx.ExecContext(ctx, `UPDATE contacts SET status = 'open', snoozed_until = NULL WHERE id = ?`, d.id); err != nil {
				return err
			}
			if err := insertEvent(ctx, tx, d.id, d.until, "snooze", "unsnoozed", "automation", nil, nil,
				map[string]any{"snoozeUntil": d.until, "reason": "snooze time reached"}); err != nil {
				return err
			}
		}
		return nil
	})
}

// Assign sets (user != nil) or clears the contact's assignee and records an
// (assignment, assigned|unassigned, api) event when it changes.
func (s *Store) Assign(ctx context.Context, contactID int64, user *User) (changed bool, err error) {
	err = s.write(ctx, func(tx *sql.Tx) error {
		var cur sql.NullInt64
		if err := tx.QueryRowContext(ctx, `SELECT assignee_id FROM contacts WHERE id = ?`, contactID).Scan(&cur); err != nil {
			if err == sql.ErrNoRows {
				return ErrNotFound
			}
			return err
		}
		now := s.Now()
		if user == nil {
			if !cur.Valid {
				return nil
			}
			changed = true
			if _, err := tx.ExecContext(ctx, `UPDATE contacts SET assignee_id = NULL WHERE id = ?`, contactID); err != nil {
				return err
			}
			return insertEvent(ctx, tx, contactID, now, "assignment", "unassigned", "api", nil, nil, nil)
		}
		if cur.Valid && cur.Int64 == user.ID {
			return nil
		}
		changed = true
		if _, err := tx.ExecContext(ctx, `UPDATE contacts SET assignee_id = ? WHERE id = ?`, user.ID, contactID); err != nil {
			return err
		}
		return insertEvent(ctx, tx, contactID, now, "assignment", "assigned", "api", nil, nil,
			map[string]any{"assignee": map[string]any{"id": user.ID, "name": user.FirstName + " " + user.LastName}})
	})
	return changed, err
}

// StatusChange is a requested conversation status change.
type StatusChange struct {
	Status      string // open | close | pending | snooze
	Category    string
	Summary     string
	SnoozeUntil int64
}

// SetStatus applies a status change and records its events (by "api").
func (s *Store) SetStatus(ctx context.Context, contactID int64, ch StatusChange) (changed bool, err error) {
	err = s.write(ctx, func(tx *sql.Tx) error {
		var cur string
		if err := tx.QueryRowContext(ctx, `SELECT status FROM contacts WHERE id = ?`, contactID).Scan(&cur); err != nil {
			if err == sql.ErrNoRows {
				return ErrNotFound
			}
			return err
		}
		now := s.Now()
		set := func(status string, until any) error {
			_, err := tx.ExecContext(ctx, `UPDATE contacts SET status = ?, snoozed_until = ? WHERE id = ?`, status, until, contactID)
			return err
		}
		switch ch.Status {
		case "open":
			if cur == "open" {
				return nil
			}
			changed = true
			if err := set("open", nil); err != nil {
				return err
			}
			if cur == "snoozed" {
				return insertEvent(ctx, tx, contactID, now, "snooze", "unsnoozed", "api", nil, nil, nil)
			}
			return insertEvent(ctx, tx, contactID, now, "status", "opened", "api", nil, nil, nil)
		case "close":
			changed = true
			if err := set("close", nil); err != nil {
				return err
			}
			return insertEvent(ctx, tx, contactID, now, "status", "done", "api", nil, nil,
				map[string]any{"category": ch.Category, "summary": ch.Summary})
		case "pending":
			if cur == "pending" {
				return nil
			}
			changed = true
			if err := set("pending", nil); err != nil {
				return err
			}
			return insertEvent(ctx, tx, contactID, now, "status", "pending", "api", nil, nil, nil)
		case "snooze":
			changed = true
			if err := set("snoozed", ch.SnoozeUntil); err != nil {
				return err
			}
			return insertEvent(ctx, tx, contactID, now, "snooze", "snoozed", "api", nil, nil,
				map[string]any{"snoozeUntil": ch.SnoozeUntil})
		}
		return invalidf("unknown status %q", ch.Status)
	})
	return changed, err
}

// AddComment stores an internal note.
func (s *Store) AddComment(ctx context.Context, contactID int64, text string) (Comment, error) {
	c := Comment{ContactID: contactID, Text: text, CreatedAt: s.Now()}
	err := s.write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `INSERT INTO comments (contact_id, text, created_at) VALUES (?, ?, ?)`, contactID, text, c.CreatedAt)
		if err != nil {
			return err
		}
		c.ID, err = res.LastInsertId()
		return err
	})
	return c, err
}

// MarkRead resets the contact's unread count (an agent opened the conversation).
func (s *Store) MarkRead(ctx context.Context, contactID int64) error {
	return s.write(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE contacts SET unread_count = 0 WHERE id = ?`, contactID)
		return err
	})
}

// ListEvents pages a contact's events, newest first.
func (s *Store) ListEvents(ctx context.Context, contactID int64, p Page) ([]Event, bool, error) {
	where, args, order, rev := keyset("id", true, p.Cursor)
	rows, err := s.db.QueryContext(ctx, `SELECT id, contact_id, timestamp, category, action, by, actor_id, actor_name, data
		FROM events WHERE contact_id = ? AND `+where+` ORDER BY `+order+` LIMIT ?`, append(append([]any{contactID}, args...), p.Limit+1)...)
	if err != nil {
		return nil, false, err
	}
	defer rows.Close()
	var out []Event
	for rows.Next() {
		var e Event
		var actorID sql.NullInt64
		var actorName, data sql.NullString
		if err := rows.Scan(&e.ID, &e.ContactID, &e.Timestamp, &e.Category, &e.Action, &e.By, &actorID, &actorName, &data); err != nil {
			return nil, false, err
		}
		e.ActorID, e.ActorName = nullInt(actorID), nullStr(actorName)
		e.Data = json.RawMessage("{}")
		if data.Valid {
			e.Data = json.RawMessage(data.String)
		}
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, false, err
	}
	out, more := trimPage(out, p.Limit, rev)
	return out, more, nil
}

// RecordAudit appends an audit row.
func (s *Store) RecordAudit(ctx context.Context, a AuditRow) error {
	return s.write(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO audit (time, method, endpoint, contact_id, action, request, result) VALUES (?, ?, ?, ?, ?, ?, ?)`,
			s.Now(), a.Method, a.Endpoint, a.ContactID, a.Action, a.Request, a.Result)
		return err
	})
}

// ListAudit pages audit rows, newest first, optionally filtered.
func (s *Store) ListAudit(ctx context.Context, contactID int64, action string, p Page) ([]AuditRow, bool, error) {
	where, args, order, rev := keyset("id", true, p.Cursor)
	if contactID != 0 {
		where += " AND contact_id = ?"
		args = append(args, contactID)
	}
	if action != "" {
		where += " AND action = ?"
		args = append(args, action)
	}
	rows, err := s.db.QueryContext(ctx, `SELECT id, time, method, endpoint, contact_id, action, request, result FROM audit WHERE `+
		where+` ORDER BY `+order+` LIMIT ?`, append(args, p.Limit+1)...)
	if err != nil {
		return nil, false, err
	}
	defer rows.Close()
	var out []AuditRow
	for rows.Next() {
		var a AuditRow
		var cid sql.NullInt64
		if err := rows.Scan(&a.ID, &a.Time, &a.Method, &a.Endpoint, &cid, &a.Action, &a.Request, &a.Result); err != nil {
			return nil, false, err
		}
		a.ContactID = nullInt(cid)
		out = append(out, a)
	}
	if err := rows.Err(); err != nil {
		return nil, false, err
	}
	out, more := trimPage(out, p.Limit, rev)
	return out, more, nil
}
