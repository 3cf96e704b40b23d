package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"strings"
)

const userCols = `u.id, u.first_name, u.last_name, u.email, u.role, u.team_id, COALESCE(t.name, ''), u.restrictions`

func scanUser(sc interface{ Scan(...any) error }) (User, error) {
	var u User
	var team sql.NullInt64
	var restr string
	if err := sc.Scan(&u.ID, &u.FirstName, &u.LastName, &u.Email, &u.Role, &team, &u.TeamName, &restr); err != nil {
		return u, err
	}
	u.TeamID = nullInt(team)
	u.Restrictions = []string{}
	_ = json.Unmarshal([]byte(restr), &u.Restrictions)
	return u, nil
}

// ListUsers pages users by ascending id.
func (s *Store) ListUsers(ctx context.Context, p Page) ([]User, bool, error) {
	where, args, order, rev := keyset("u.id", false, p.Cursor)
	rows, err := s.db.QueryContext(ctx, `SELECT `+userCols+` FROM users u LEFT JOIN teams t ON t.id = u.team_id WHERE `+
		where+` ORDER BY `+order+` LIMIT ?`, append(args, p.Limit+1)...)
	if err != nil {
		return nil, false, err
	}
	defer rows.Close()
	var out []User
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return nil, false, err
		}
		out = append(out, u)
	}
	if err := rows.Err(); err != nil {
		return nil, false, err
	}
	out, more := trimPage(out, p.Limit, rev)
	return out, more, nil
}

// GetUser returns a user by id.
func (s *Store) GetUser(ctx context.Context, id int64) (User, error) {
	u, err := scanUser(s.db.QueryRowContext(ctx, `SELECT `+userCols+` FROM users u LEFT JOIN teams t ON t.id = u.team_id WHERE u.id = ?`, id))
	if err == sql.ErrNoRows {
		return u, ErrNotFound
	}
	return u, err
}

// GetUserByEmail returns a user by email (case-insensitive).
func (s *Store) GetUserByEmail(ctx context.Context, email string) (User, error) {
	u, err := scanUser(s.db.QueryRowContext(ctx, `SELECT `+userCols+` FROM users u LEFT JOIN teams t ON t.id = u.team_id WHERE u.email = ? COLLATE NOCASE`, strings.TrimSpace(email)))
	if err == sql.ErrNoRows {
		return u, ErrNotFound
	}
	return u, err
}

// usersByID loads the users with the given ids.
func (s *Store) usersByID(ctx context.Context, ids []int64) (map[int64]User, error) {
	out := map[int64]User{}
	if len(ids) == 0 {
		return out, nil
	}
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	rows, err := s.db.QueryContext(ctx, `SELECT `+userCols+` FROM users u LEFT JOIN teams t ON t.id = u.team_id WHERE u.id IN (`+placeholders(len(ids))+`)`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return nil, err
		}
		out[u.ID] = u
	}
	return out, rows.Err()
}

// ListChannels pages workspace channels by ascending id.
func (s *Store) ListChannels(ctx context.Context, p Page) ([]Channel, bool, error) {
	where, args, order, rev := keyset("id", false, p.Cursor)
	rows, err := s.db.QueryContext(ctx, `SELECT id, name, source, created_at FROM channels WHERE `+where+` ORDER BY `+order+` LIMIT ?`, append(args, p.Limit+1)...)
	if err != nil {
		return nil, false, err
	}
	defer rows.Close()
	var out []Channel
	for rows.Next() {
		var c Channel
		if err := rows.Scan(&c.ID, &c.Name, &c.Source, &c.CreatedAt); err != nil {
			return nil, false, err
		}
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, false, err
	}
	out, more := trimPage(out, p.Limit, rev)
	return out, more, nil
}

// GetChannel returns a workspace channel by id.
func (s *Store) GetChannel(ctx context.Context, id int64) (Channel, error) {
	var c Channel
	err := s.db.QueryRowContext(ctx, `SELECT id, name, source, created_at FROM channels WHERE id = ?`, id).Scan(&c.ID, &c.Name, &c.Source, &c.CreatedAt)
	if err == sql.ErrNoRows {
		return c, ErrNotFound
	}
	return c, err
}

// ListClosingNotes pages closing-note categories by ascending id.
func (s *Store) ListClosingNotes(ctx context.Context, p Page) ([]ClosingNote, bool, error) {
	where, args, order, rev := keyset("id", false, p.Cursor)
	rows, err := s.db.QueryContext(ctx, `SELECT id, category, description FROM closing_notes WHERE `+where+` ORDER BY `+order+` LIMIT ?`, append(args, p.Limit+1)...)
	if err != nil {
		return nil, false, err
	}
	defer rows.Close()
	var out []ClosingNote
	for rows.Next() {
		var c ClosingNote
		var d sql.NullString
		if err := rows.Scan(&c.ID, &c.Category, &d); err != nil {
			return nil, false, err
		}
		c.Description = nullStr(d)
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, false, err
	}
	out, more := trimPage(out, p.Limit, rev)
	return out, more, nil
}

// ListViews returns every workspace custom view.
func (s *Store) ListViews(ctx context.Context) ([]View, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, name, filter, status, assignee FROM views ORDER BY id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []View{}
	for rows.Next() {
		var v View
		var filter string
		var status, assignee sql.NullString
		if err := rows.Scan(&v.ID, &v.Name, &filter, &status, &assignee); err != nil {
			return nil, err
		}
		v.Filter = json.RawMessage(filter)
		v.Status = nullStr(status)
		v.Assignee = json.RawMessage("null")
		if assignee.Valid {
			v.Assignee = json.RawMessage(assignee.String)
		}
		out = append(out, v)
	}
	return out, rows.Err()
}
