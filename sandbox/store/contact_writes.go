package store

import (
	"context"
	"database/sql"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Optional is a nullable attribute of a write: Set says the request named it, Value nil clears it.
type Optional struct {
	Set   bool
	Value *string
}

// ContactWrite is the body of contact create, update, create-or-update and merge.
type ContactWrite struct {
	FirstName                                                 *string
	LastName, Phone, Email, Language, ProfilePic, CountryCode Optional
	Fields                                                    []CustomField
}

// Tag limits of the platform.
const (
	MaxTagsPerRequest = 10
	MaxTagLength      = 255
)

// columns lists the standard attributes a write sets, with their columns.
func (w ContactWrite) columns() (cols []string, args []any) {
	if w.FirstName != nil {
		cols, args = append(cols, "first_name"), append(args, *w.FirstName)
	}
	for _, o := range []struct {
		col string
		v   Optional
	}{{"last_name", w.LastName}, {"phone", w.Phone}, {"email", w.Email}, {"language", w.Language},
		{"profile_pic", w.ProfilePic}, {"country_code", w.CountryCode}} {
		if !o.v.Set {
			continue
		}
		var v any
		if o.v.Value != nil {
			v = *o.v.Value
		}
		cols, args = append(cols, o.col), append(args, v)
		if o.col == "phone" {
			var digits any
			if o.v.Value != nil {
				digits = DigitsOnly(*o.v.Value)
			}
			cols, args = append(cols, "phone_digits"), append(args, digits)
		}
	}
	return cols, args
}

// checkUnique refuses an email or phone another contact already has.
func checkUnique(ctx context.Context, tx *sql.Tx, self int64, w ContactWrite) error {
	for _, o := range []struct {
		col, what string
		v         Optional
	}{{"email", "email", w.Email}, {"phone", "phone", w.Phone}} {
		if !o.v.Set || o.v.Value == nil {
			continue
		}
		var other int64
		err := tx.QueryRowContext(ctx, `SELECT id FROM contacts WHERE `+o.col+` = ? AND id != ? LIMIT 1`, *o.v.Value, self).Scan(&other)
		if err == nil {
			return &ConflictError{Msg: "Another contact (id " + itoa(other) + ") already has this " + o.what}
		}
		if err != sql.ErrNoRows {
			return err
		}
	}
	return nil
}

// CreateContact adds a contact and records (contact, created, api).
func (s *Store) CreateContact(ctx context.Context, w ContactWrite) (int64, error) {
	if w.FirstName == nil || strings.TrimSpace(*w.FirstName) == "" {
		return 0, invalidf(`"firstName" is required`)
	}
	var id int64
	err := s.write(ctx, func(tx *sql.Tx) error {
		fields, err := resolveFields(ctx, tx, w.Fields)
		if err != nil {
			return err
		}
		if err := checkUnique(ctx, tx, 0, w); err != nil {
			return err
		}
		cols, args := w.columns()
		now := s.Now()
		next, err := nextContactID(ctx, tx)
		if err != nil {
			return err
		}
		cols, args = append(cols, "id", "created_at"), append(args, next, now)
		res, err := tx.ExecContext(ctx, `INSERT INTO contacts (`+strings.Join(cols, ", ")+`) VALUES (`+placeholders(len(cols))+`)`, args...)
		if err != nil {
			return err
		}
		if id, err = res.LastInsertId(); err != nil {
			return err
		}
		if err := setFields(ctx, tx, id, fields); err != nil {
			return err
		}
		return insertEvent(ctx, tx, id, now, "contact", "created", "api", nil, nil, map[string]any{"changed": w.changedNames(fields)})
	})
	return id, err
}

// changedNames lists the attributes and custom fields a write sets, for the event.
func (w ContactWrite) changedNames(fields []CustomField) []string {
	names := []string{}
	if w.FirstName != nil {
		names = append(names, "firstName")
	}
	for _, o := range []struct {
		name string
		v    Optional
	}{{"lastName", w.LastName}, {"phone", w.Phone}, {"email", w.Email}, {"language", w.Language},
		{"profilePic", w.ProfilePic}, {"countryCode", w.CountryCode}} {
		if o.v.Set {
			names = append(names, o.name)
		}
	}
	for _, f := range fields {
		names = append(names, "custom_fields."+f.Name)
	}
	return names
}

func setFields(ctx context.Context, tx *sql.Tx, id int64, fields []CustomField) error {
	for _, f := range fields {
		var v any
		if string(f.Value) != "null" {
			v = string(f.Value)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO contact_fields (contact_id, name, value) VALUES (?, ?, ?)
			ON CONFLICT (contact_id, name) DO UPDATE SET value = excluded.value`, id, f.Name, v); err != nil {
			return err
		}
	}
	return nil
}

func contactExists(ctx context.Context, tx *sql.Tx, id int64) error {
	var one int
	err := tx.QueryRowContext(ctx, `SELECT 1 FROM contacts WHERE id = ?`, id).Scan(&one)
	if err == sql.ErrNoRows {
		return ErrNotFound
	}
	return err
}

// UpdateContact applies a write to a contact and records (contact, updated, api) with the
// names of what changed; a write that changes nothing records nothing.
func (s *Store) UpdateContact(ctx context.Context, id int64, w ContactWrite) (changed []string, err error) {
	if w.FirstName != nil && strings.TrimSpace(*w.FirstName) == "" {
		return nil, invalidf(`"firstName" cannot be empty`)
	}
	err = s.write(ctx, func(tx *sql.Tx) error {
		changed, err = updateContact(ctx, tx, s.Now(), id, w)
		return err
	})
	return changed, err
}

func updateContact(ctx context.Context, tx *sql.Tx, now, id int64, w ContactWrite) ([]string, error) {
	if err := contactExists(ctx, tx, id); err != nil {
		return nil, err
	}
	fields, err := resolveFields(ctx, tx, w.Fields)
	if err != nil {
		return nil, err
	}
	if err := checkUnique(ctx, tx, id, w); err != nil {
		return nil, err
	}
	before, err := contactSnapshot(ctx, tx, id)
	if err != nil {
		return nil, err
	}
	if cols, args := w.columns(); len(cols) > 0 {
		set := make([]string, len(cols))
		for i, c := range cols {
			set[i] = c + " = ?"
		}
		if _, err := tx.ExecContext(ctx, `UPDATE contacts SET `+strings.Join(set, ", ")+` WHERE id = ?`, append(args, id)...); err != nil {
			return nil, err
		}
	}
	if err := setFields(ctx, tx, id, fields); err != nil {
		return nil, err
	}
	after, err := contactSnapshot(ctx, tx, id)
	if err != nil {
		return nil, err
	}
	changed := diffSnapshots(before, after)
	if len(changed) == 0 {
		return changed, nil
	}
	return changed, insertEvent(ctx, tx, id, now, "contact", "updated", "api", nil, nil, map[string]any{"changed": changed})
}

// contactSnapshot is a contact's writable attributes and custom fields, for change detection.
func contactSnapshot(ctx context.Context, tx *sql.Tx, id int64) (map[string]string, error) {
	out := map[string]string{}
	var first string
	var vals [6]sql.NullString
	err := tx.QueryRowContext(ctx, `SELECT first_name, last_name, phone, email, language, profile_pic, country_code FROM contacts WHERE id = ?`, id).
		Scan(&first, &vals[0], &vals[1], &vals[2], &vals[3], &vals[4], &vals[5])
	if err == sql.ErrNoRows {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	out["firstName"] = "s" + first
	for i, name := range []string{"lastName", "phone", "email", "language", "profilePic", "countryCode"} {
		if vals[i].Valid {
			out[name] = "s" + vals[i].String
		}
	}
	rows, err := tx.QueryContext(ctx, `SELECT name, value FROM contact_fields WHERE contact_id = ?`, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var name string
		var v sql.NullString
		if err := rows.Scan(&name, &v); err != nil {
			return nil, err
		}
		if v.Valid {
			out["custom_fields."+name] = v.String
		}
	}
	return out, rows.Err()
}

func diffSnapshots(a, b map[string]string) []string {
	out := []string{}
	for k, v := range b {
		if a[k] != v {
			out = append(out, k)
		}
	}
	for k := range a {
		if _, ok := b[k]; !ok {
			out = append(out, k)
		}
	}
	sort.Strings(out)
	return out
}

// DeleteContact removes a contact with its conversation (messages, events, comments, tags,
// fields, channels). The audit row is the record of it: no conversation is left to hold an event.
func (s *Store) DeleteContact(ctx context.Context, id int64) error {
	return s.write(ctx, func(tx *sql.Tx) error {
		if err := contactExists(ctx, tx, id); err != nil {
			return err
		}
		return deleteContactRows(ctx, tx, id)
	})
}

func deleteContactRows(ctx context.Context, tx *sql.Tx, id int64) error {
	for _, t := range []string{"messages", "events", "comments", "contact_tags", "contact_fields", "contact_channels"} {
		if _, err := tx.ExecContext(ctx, `DELETE FROM `+t+` WHERE contact_id = ?`, id); err != nil {
			return err
		}
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM contacts WHERE id = ?`, id); err != nil {
		return err
	}
	// Remember the highest id ever removed: the platform never hands a deleted or merged
	// contact's id to a new contact, so journals and scripts holding it cannot mistake one for
	// the other.
	_, err := tx.ExecContext(ctx, `INSERT INTO meta (key, value) VALUES ('`+contactIDHighKey+`', ?1)
		ON CONFLICT (key) DO UPDATE SET value = MAX(CAST(value AS INTEGER), CAST(excluded.value AS INTEGER))`, id)
	return err
}

// contactIDHighKey is the meta row holding the highest contact id deleted (or merged away).
const contactIDHighKey = "contact_id_high"

// nextContactID is the id of a new contact: one past both the highest live id and the
// highest id ever deleted (SQLite alone would reuse the id of a deleted last row).
func nextContactID(ctx context.Context, tx *sql.Tx) (int64, error) {
	var next int64
	err := tx.QueryRowContext(ctx, `SELECT MAX(
		COALESCE((SELECT MAX(id) FROM contacts), 0),
		COALESCE((SELECT CAST(value AS INTEGER) FROM meta WHERE key = '`+contactIDHighKey+`'), 0)) + 1`).Scan(&next)
	return next, err
}

// MergeContacts moves drop's messages, events, comments, tags, channels and the custom fields
// keep lacks to keep, applies w to keep, removes drop, and records (contact, merged, api).
func (s *Store) MergeContacts(ctx context.Context, keep, drop int64, w ContactWrite) error {
	if keep == drop {
		return invalidf("cannot merge a contact with itself (id %d)", keep)
	}
	return s.write(ctx, func(tx *sql.Tx) error {
		for _, id := range []int64{keep, drop} {
			if err := contactExists(ctx, tx, id); err != nil {
				return err
			}
		}
		now := s.Now()
		stmts := []string{
			`UPDATE messages SET contact_id = ?1 WHERE contact_id = ?2`,
			`UPDATE events SET contact_id = ?1 WHERE contact_id = ?2`,
			`UPDATE comments SET contact_id = ?1 WHERE contact_id = ?2`,
			`INSERT OR IGNORE INTO contact_tags (contact_id, tag) SELECT ?1, tag FROM contact_tags WHERE contact_id = ?2`,
			`INSERT OR IGNORE INTO contact_fields (contact_id, name, value) SELECT ?1, name, value FROM contact_fields WHERE contact_id = ?2`,
			// A channel both contacts talk on keeps keep's row with the later message times.
			`UPDATE contact_channels AS k SET
				last_message_time = MAX(COALESCE(k.last_message_time, 0), COALESCE(d.last_message_time, 0)),
				last_incoming_message_time = NULLIF(MAX(COALESCE(k.last_incoming_message_time, 0), COALESCE(d.last_incoming_message_time, 0)), 0)
				FROM contact_channels AS d WHERE k.contact_id = ?1 AND d.contact_id = ?2 AND d.channel_id = k.channel_id`,
			`UPDATE contact_channels SET contact_id = ?1 WHERE contact_id = ?2
				AND channel_id NOT IN (SELECT channel_id FROM contact_channels WHERE contact_id = ?1)`,
			`UPDATE contacts SET
				last_message_time = MAX(last_message_time, (SELECT last_message_time FROM contacts WHERE id = ?2)),
				unread_count = unread_count + (SELECT unread_count FROM contacts WHERE id = ?2),
				email = COALESCE(email, (SELECT email FROM contacts WHERE id = ?2)),
				phone = COALESCE(phone, (SELECT phone FROM contacts WHERE id = ?2)),
				phone_digits = COALESCE(phone_digits, (SELECT phone_digits FROM contacts WHERE id = ?2)),
				lifecycle = COALESCE(lifecycle, (SELECT lifecycle FROM contacts WHERE id = ?2))
				WHERE id = ?1`,
		}
		// drop's email, phone and lifecycle fill keep's only where keep has none.
		for _, q := range stmts {
			if _, err := tx.ExecContext(ctx, q, keep, drop); err != nil {
				return err
			}
		}
		if err := deleteContactRows(ctx, tx, drop); err != nil {
			return err
		}
		if _, err := updateContact(ctx, tx, now, keep, w); err != nil {
			return err
		}
		return insertEvent(ctx, tx, keep, now, "contact", "merged", "api", nil, nil, map[string]any{"mergedContactId": drop})
	})
}

// ChangeTags adds (add) or removes the tags of a contact and records one (tag, added|removed,
// api) event per tag that changed. Idempotent: an existing tag is not added twice. Tags new to
// the workspace are created, as the platform does.
func (s *Store) ChangeTags(ctx context.Context, id int64, tags []string, add bool) (changed []string, err error) {
	if err := ValidateTagNames(tags); err != nil {
		return nil, err
	}
	err = s.write(ctx, func(tx *sql.Tx) error {
		if err := contactExists(ctx, tx, id); err != nil {
			return err
		}
		now := s.Now()
		for _, t := range tags {
			t = strings.TrimSpace(t)
			var res sql.Result
			var err error
			if add {
				if _, err := tx.ExecContext(ctx, `INSERT OR IGNORE INTO tags (name) VALUES (?)`, t); err != nil {
					return err
				}
				// The workspace's spelling of the tag wins ("VIP" adds "vip").
				res, err = tx.ExecContext(ctx, `INSERT OR IGNORE INTO contact_tags (contact_id, tag) SELECT ?, name FROM tags WHERE name = ?`, id, t)
			} else {
				res, err = tx.ExecContext(ctx, `DELETE FROM contact_tags WHERE contact_id = ? AND tag = ?`, id, t)
			}
			if err != nil {
				return err
			}
			if n, _ := res.RowsAffected(); n == 0 {
				continue
			}
			changed = append(changed, t)
			action := "removed"
			if add {
				action = "added"
			}
			if err := insertEvent(ctx, tx, id, now, "tag", action, "api", nil, nil, map[string]any{"tag": t}); err != nil {
				return err
			}
		}
		return nil
	})
	return changed, err
}

// ValidateTagNames checks a tag request: 1–10 names of 1–255 characters.
func ValidateTagNames(tags []string) error {
	switch {
	case len(tags) == 0:
		return invalidf("give at least one tag")
	case len(tags) > MaxTagsPerRequest:
		return invalidf("at most %d tags per request (got %d)", MaxTagsPerRequest, len(tags))
	}
	for _, t := range tags {
		t = strings.TrimSpace(t)
		if t == "" {
			return invalidf("tag names cannot be empty")
		}
		if utf8.RuneCountInString(t) > MaxTagLength {
			return invalidf("tag names must be at most %d characters", MaxTagLength)
		}
	}
	return nil
}

// SetLifecycle sets (name non-nil) or clears a contact's lifecycle stage and records
// (lifecycle, changed, api) when it changes. The stage must exist in the workspace.
func (s *Store) SetLifecycle(ctx context.Context, id int64, name *string) (changed bool, err error) {
	err = s.write(ctx, func(tx *sql.Tx) error {
		var cur sql.NullString
		if err := tx.QueryRowContext(ctx, `SELECT lifecycle FROM contacts WHERE id = ?`, id).Scan(&cur); err != nil {
			if err == sql.ErrNoRows {
				return ErrNotFound
			}
			return err
		}
		var next any
		if name != nil {
			var canon string
			err := tx.QueryRowContext(ctx, `SELECT name FROM lifecycle_stages WHERE name = ?`, strings.TrimSpace(*name)).Scan(&canon)
			if err == sql.ErrNoRows {
				stages, _ := lifecycleStages(ctx, tx)
				return invalidf("lifecycle stage %q does not exist (stages: %s)", *name, strings.Join(stages, ", "))
			}
			if err != nil {
				return err
			}
			if cur.Valid && cur.String == canon {
				return nil
			}
			next = canon
		} else if !cur.Valid {
			return nil
		}
		changed = true
		if _, err := tx.ExecContext(ctx, `UPDATE contacts SET lifecycle = ? WHERE id = ?`, next, id); err != nil {
			return err
		}
		var old any
		if cur.Valid {
			old = cur.String
		}
		return insertEvent(ctx, tx, id, s.Now(), "lifecycle", "changed", "api", nil, nil, map[string]any{"lifecycle": next, "oldLifecycle": old})
	})
	return changed, err
}

func lifecycleStages(ctx context.Context, tx *sql.Tx) ([]string, error) {
	rows, err := tx.QueryContext(ctx, `SELECT name FROM lifecycle_stages ORDER BY id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			return nil, err
		}
		out = append(out, n)
	}
	return out, rows.Err()
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
