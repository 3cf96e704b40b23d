package mirror

import (
	"context"
	"database/sql"
	"encoding/json"

	"github.com/respondctl/respondctl/apiclient"
)

// ContactRecord is a mirrored contact as a listing shows it.
type ContactRecord struct {
	Contact       apiclient.Contact // LastMessageTime in seconds when a message is known
	AwaitingReply bool
}

// List returns the contacts matching req, most recent message first (contacts without a
// known message last, newest id first); limit 0 means all.
func (m *Mirror) List(ctx context.Context, req apiclient.ContactListRequest, limit int) ([]ContactRecord, error) {
	where, args, err := compileRequest(req)
	if err != nil {
		return nil, err
	}
	q := `SELECT c.id, c.first_name, c.last_name, c.phone, c.email, c.language, c.country_code, COALESCE(c.status, ''),
		c.assignee, c.lifecycle, c.created_at, c.last_message_ms, c.last_incoming
		FROM contacts c WHERE c.status IS NOT NULL AND ` + where + ` ORDER BY c.last_message_ms DESC, c.id DESC`
	if limit > 0 {
		q += ` LIMIT ?`
		args = append(args, limit)
	}
	rows, err := m.db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []ContactRecord
	var ids []int64
	for rows.Next() {
		var r ContactRecord
		c := &r.Contact
		var last, phone, email, lang, cc, assignee, lifecycle sql.NullString
		var lastMS int64
		var incoming int
		if err := rows.Scan(&c.ID, &c.FirstName, &last, &phone, &email, &lang, &cc, &c.Status, &assignee, &lifecycle,
			&c.CreatedAt, &lastMS, &incoming); err != nil {
			return nil, err
		}
		c.LastName, c.Phone, c.Email, c.Language, c.CountryCode, c.Lifecycle = str(last), str(phone), str(email), str(lang), str(cc), str(lifecycle)
		if assignee.Valid {
			var a apiclient.Assignee
			if json.Unmarshal([]byte(assignee.String), &a) == nil {
				c.Assignee = &a
			}
		}
		if lastMS > 0 {
			sec := lastMS / 1000
			c.LastMessageTime = &sec
		}
		r.AwaitingReply = c.Status == "open" && incoming == 1
		c.Tags = []string{}
		out = append(out, r)
		ids = append(ids, c.ID)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if len(ids) == 0 {
		return out, nil
	}
	b, _ := json.Marshal(ids)
	trows, err := m.db.QueryContext(ctx, `SELECT contact_id, tag FROM contact_tags WHERE contact_id IN (SELECT value FROM json_each(?)) ORDER BY contact_id, tag`, string(b))
	if err != nil {
		return nil, err
	}
	defer trows.Close()
	index := make(map[int64]int, len(out))
	for i, r := range out {
		index[r.Contact.ID] = i
	}
	for trows.Next() {
		var id int64
		var tag string
		if err := trows.Scan(&id, &tag); err != nil {
			return nil, err
		}
		if i, ok := index[id]; ok {
			out[i].Contact.Tags = append(out[i].Contact.Tags, tag)
		}
	}
	return out, trows.Err()
}

func str(ns sql.NullString) *string {
	if !ns.Valid {
		return nil
	}
	v := ns.String
	return &v
}
