package store

import (
	"context"
	"database/sql"
	"encoding/json"
)

const contactCols = `c.id, c.first_name, c.last_name, c.phone, c.email, c.language, c.profile_pic, c.country_code,
	c.status, c.assignee_id, c.lifecycle, c.created_at, c.last_message_time, c.unread_count, c.snoozed_until`

func scanContact(sc interface{ Scan(...any) error }) (Contact, error) {
	var c Contact
	var last, phone, email, lang, pic, cc, life sql.NullString
	var assignee, snoozed sql.NullInt64
	err := sc.Scan(&c.ID, &c.FirstName, &last, &phone, &email, &lang, &pic, &cc, &c.Status, &assignee, &life,
		&c.CreatedAt, &c.LastMessageTime, &c.UnreadCount, &snoozed)
	c.LastName, c.Phone, c.Email, c.Language = nullStr(last), nullStr(phone), nullStr(email), nullStr(lang)
	c.ProfilePic, c.CountryCode, c.Lifecycle = nullStr(pic), nullStr(cc), nullStr(life)
	c.AssigneeID, c.SnoozedUntil = nullInt(assignee), nullInt(snoozed)
	return c, err
}

// ResolveContact finds a contact id by identifier kind ("id", "email", "phone").
func (s *Store) ResolveContact(ctx context.Context, kind, value string) (int64, error) {
	var q string
	var arg any = value
	switch kind {
	case "id":
		q = `SELECT id FROM contacts WHERE id = ?`
	case "email":
		q = `SELECT id FROM contacts WHERE email = ? COLLATE NOCASE ORDER BY id LIMIT 1`
	case "phone":
		q = `SELECT id FROM contacts WHERE phone = ? ORDER BY id LIMIT 1`
	default:
		return 0, ErrNotFound
	}
	var id int64
	err := s.db.QueryRowContext(ctx, q, arg).Scan(&id)
	if err == sql.ErrNoRows {
		return 0, ErrNotFound
	}
	return id, err
}

// GetContact returns one contact with tags, custom fields and assignee.
func (s *Store) GetContact(ctx context.Context, id int64) (Contact, error) {
	c, err := scanContact(s.db.QueryRowContext(ctx, `SELECT `+contactCols+` FROM contacts c WHERE c.id = ?`, id))
	if err == sql.ErrNoRows {
		return c, ErrNotFound
	}
	if err != nil {
		return c, err
	}
	list := []Contact{c}
	if err := s.fillContacts(ctx, list); err != nil {
		return c, err
	}
	return list[0], nil
}

// ListContacts returns a page of contacts matching q. With extensions the
// order is lastMessageTime desc, id desc (the cursor's sort key is looked up);
// core-only orders by id desc.
func (s *Store) ListContacts(ctx context.Context, q ContactQuery, p Page) ([]Contact, bool, error) {
	q.trigramDocs = func() map[string]int64 { return s.trigramDocs(ctx) }
	where, args, err := q.whereClause()
	if err != nil {
		return nil, false, err
	}
	order := "c.id DESC"
	reverse := false
	if p.Cursor != 0 {
		cur := p.Cursor
		if cur < 0 {
			cur = -cur
		}
		if q.Ext {
			var lmt int64
			err := s.db.QueryRowContext(ctx, `SELECT last_message_time FROM contacts WHERE id = ?`, cur).Scan(&lmt)
			if err == sql.ErrNoRows {
				return nil, false, invalidf("cursorId %d does not match a contact", cur)
			}
			if err != nil {
				return nil, false, err
			}
			if p.Cursor > 0 {
				where += " AND (c.last_message_time, c.id) < (?, ?)"
			} else {
				where += " AND (c.last_message_time, c.id) > (?, ?)"
			}
			args = append(args, lmt, cur)
		} else if p.Cursor > 0 {
			where += " AND c.id < ?"
			args = append(args, cur)
		} else {
			where += " AND c.id > ?"
			args = append(args, cur)
		}
		reverse = p.Cursor < 0
	}
	if q.Ext {
		order = "c.last_message_time DESC, c.id DESC"
		if reverse {
			order = "c.last_message_time ASC, c.id ASC"
		}
	} else if reverse {
		order = "c.id ASC"
	}
	rows, err := s.db.QueryContext(ctx, `SELECT `+contactCols+` FROM contacts c WHERE `+where+` ORDER BY `+order+` LIMIT ?`,
		append(args, p.Limit+1)...)
	if err != nil {
		return nil, false, err
	}
	var out []Contact
	for rows.Next() {
		c, err := scanContact(rows)
		if err != nil {
			rows.Close()
			return nil, false, err
		}
		out = append(out, c)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, false, err
	}
	out, more := trimPage(out, p.Limit, reverse)
	if err := s.fillContacts(ctx, out); err != nil {
		return nil, false, err
	}
	return out, more, nil
}

// CountContacts returns how many contacts match q and how many of them have unread messages.
// Both come from one pass, over the contacts_count index alone for the built-in views.
func (s *Store) CountContacts(ctx context.Context, q ContactQuery) (count, unread int64, err error) {
	if query, args, ok := cubeCountSQL(q); ok {
		// Only status, assignee, lifecycle, country and one tag: the maintained counts.
		err = s.db.QueryRowContext(ctx, query, args...).Scan(&count, &unread)
		return count, unread, err
	}
	q.trigramDocs = func() map[string]int64 { return s.trigramDocs(ctx) }
	query, args, err := countSQL(q)
	if err != nil {
		return 0, 0, err
	}
	err = s.db.QueryRowContext(ctx, query, args...).Scan(&count, &unread)
	return count, unread, err
}

func countSQL(q ContactQuery) (string, []any, error) {
	q.counting = true
	where, args, err := q.whereClause()
	if err != nil {
		return "", nil, err
	}
	return `SELECT COUNT(*), COALESCE(SUM(c.unread_count > 0), 0) FROM contacts c WHERE ` + where, args, nil
}

// fillContacts loads tags, custom fields and assignees for a page of contacts.
func (s *Store) fillContacts(ctx context.Context, list []Contact) error {
	if len(list) == 0 {
		return nil
	}
	idx := map[int64]int{}
	args := make([]any, len(list))
	var assignees []int64
	for i := range list {
		idx[list[i].ID] = i
		args[i] = list[i].ID
		list[i].Tags = []string{}
		if list[i].AssigneeID != nil {
			assignees = append(assignees, *list[i].AssigneeID)
		}
	}
	in := placeholders(len(list))
	rows, err := s.db.QueryContext(ctx, `SELECT contact_id, tag FROM contact_tags WHERE contact_id IN (`+in+`) ORDER BY contact_id, tag`, args...)
	if err != nil {
		return err
	}
	for rows.Next() {
		var id int64
		var tag string
		if err := rows.Scan(&id, &tag); err != nil {
			rows.Close()
			return err
		}
		list[idx[id]].Tags = append(list[idx[id]].Tags, tag)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err // a cut-short read would list the contacts with some tags missing
	}
	rows, err = s.db.QueryContext(ctx, `SELECT contact_id, name, value FROM contact_fields WHERE contact_id IN (`+in+`) ORDER BY contact_id, name`, args...)
	if err != nil {
		return err
	}
	for rows.Next() {
		var id int64
		var name string
		var value sql.NullString
		if err := rows.Scan(&id, &name, &value); err != nil {
			rows.Close()
			return err
		}
		v := json.RawMessage("null")
		if value.Valid {
			v = json.RawMessage(value.String)
		}
		list[idx[id]].Fields = append(list[idx[id]].Fields, CustomField{Name: name, Value: v})
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	users, err := s.usersByID(ctx, assignees)
	if err != nil {
		return err
	}
	for i := range list {
		if list[i].AssigneeID != nil {
			if u, ok := users[*list[i].AssigneeID]; ok {
				list[i].Assignee = &u
			}
		}
	}
	return nil
}

// ListContactChannels pages the channels of a contact by ascending channel id.
func (s *Store) ListContactChannels(ctx context.Context, contactID int64, p Page) ([]ContactChannel, bool, error) {
	where, args, order, rev := keyset("cc.channel_id", false, p.Cursor)
	rows, err := s.db.QueryContext(ctx, `SELECT cc.id, cc.channel_id, ch.name, ch.source, cc.meta, cc.last_message_time,
		cc.last_incoming_message_time, cc.created_at, cc.reject_reason
		FROM contact_channels cc JOIN channels ch ON ch.id = cc.channel_id
		WHERE cc.contact_id = ? AND `+where+` ORDER BY `+order+` LIMIT ?`, append(append([]any{contactID}, args...), p.Limit+1)...)
	if err != nil {
		return nil, false, err
	}
	defer rows.Close()
	var out []ContactChannel
	for rows.Next() {
		var c ContactChannel
		var meta, reject sql.NullString
		var lmt, lin sql.NullInt64
		if err := rows.Scan(&c.ContactChannelID, &c.ChannelID, &c.Name, &c.Source, &meta, &lmt, &lin, &c.CreatedAt, &reject); err != nil {
			return nil, false, err
		}
		c.Meta = json.RawMessage("null")
		if meta.Valid {
			c.Meta = json.RawMessage(meta.String)
		}
		c.LastMessageTime, c.LastIncomingMessageTime, c.RejectReason = nullInt(lmt), nullInt(lin), nullStr(reject)
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, false, err
	}
	out, more := trimPage(out, p.Limit, rev)
	return out, more, nil
}

// ContactChannel returns one of the contact's channels; channelID 0 means the
// channel the contact last used (latest incoming message, else latest message).
func (s *Store) ContactChannel(ctx context.Context, contactID, channelID int64) (ContactChannel, error) {
	q := `SELECT cc.id, cc.channel_id, ch.name, ch.source, cc.last_message_time, cc.last_incoming_message_time, cc.reject_reason
		FROM contact_channels cc JOIN channels ch ON ch.id = cc.channel_id WHERE cc.contact_id = ?`
	args := []any{contactID}
	if channelID != 0 {
		q += ` AND cc.channel_id = ?`
		args = append(args, channelID)
	}
	q += ` ORDER BY COALESCE(cc.last_incoming_message_time, 0) DESC, COALESCE(cc.last_message_time, 0) DESC, cc.id DESC LIMIT 1`
	var c ContactChannel
	var lmt, lin sql.NullInt64
	var reject sql.NullString
	err := s.db.QueryRowContext(ctx, q, args...).Scan(&c.ContactChannelID, &c.ChannelID, &c.Name, &c.Source, &lmt, &lin, &reject)
	if err == sql.ErrNoRows {
		return c, ErrNotFound
	}
	c.LastMessageTime, c.LastIncomingMessageTime, c.RejectReason = nullInt(lmt), nullInt(lin), nullStr(reject)
	return c, err
}
