package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"regexp"
	"strconv"
	"strings"
)

// WorkspaceTag is a tag defined in the workspace.
type WorkspaceTag struct {
	ID          int64
	Name        string
	Description *string
	ColorCode   *string
	Emoji       *string
}

// TagUpdate is the body of PUT /space/tag: CurrentName selects the tag; the others change it.
type TagUpdate struct {
	CurrentName string
	Name        *string
	Description *string
	ColorCode   *string
	Emoji       *string
}

// CreateTag adds a workspace tag; an existing name is a conflict.
func (s *Store) CreateTag(ctx context.Context, t WorkspaceTag) (WorkspaceTag, error) {
	t.Name = strings.TrimSpace(t.Name)
	if err := ValidateTagNames([]string{t.Name}); err != nil {
		return t, err
	}
	err := s.write(ctx, func(tx *sql.Tx) error {
		if _, err := getTag(ctx, tx, t.Name); err == nil {
			return &ConflictError{Msg: "Tag " + strconv.Quote(t.Name) + " already exists"}
		} else if err != ErrNotFound {
			return err
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO tags (name, description, color_code, emoji) VALUES (?, ?, ?, ?)`,
			t.Name, t.Description, t.ColorCode, t.Emoji)
		if err != nil {
			return err
		}
		t.ID, err = res.LastInsertId()
		return err
	})
	return t, err
}

func getTag(ctx context.Context, tx *sql.Tx, name string) (WorkspaceTag, error) {
	var t WorkspaceTag
	var d, c, e sql.NullString
	err := tx.QueryRowContext(ctx, `SELECT id, name, description, color_code, emoji FROM tags WHERE name = ?`, strings.TrimSpace(name)).
		Scan(&t.ID, &t.Name, &d, &c, &e)
	if err == sql.ErrNoRows {
		return t, ErrNotFound
	}
	t.Description, t.ColorCode, t.Emoji = nullStr(d), nullStr(c), nullStr(e)
	return t, err
}

// taggedContacts lists the contacts carrying a tag.
func taggedContacts(ctx context.Context, tx *sql.Tx, tag string) ([]int64, error) {
	rows, err := tx.QueryContext(ctx, `SELECT contact_id FROM contact_tags WHERE tag = ? ORDER BY contact_id`, tag)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

// UpdateTag changes a workspace tag. A rename renames it on every contact carrying it, each
// recording (tag, renamed, api); a contact already carrying the new name keeps one tag.
func (s *Store) UpdateTag(ctx context.Context, u TagUpdate) (WorkspaceTag, int, error) {
	var out WorkspaceTag
	var affected int
	if strings.TrimSpace(u.CurrentName) == "" {
		return out, 0, invalidf(`"currentName" is required`)
	}
	if u.Name != nil {
		if err := ValidateTagNames([]string{*u.Name}); err != nil {
			return out, 0, err
		}
	}
	err := s.write(ctx, func(tx *sql.Tx) error {
		t, err := getTag(ctx, tx, u.CurrentName)
		if err != nil {
			return err
		}
		newName := t.Name
		if u.Name != nil {
			newName = strings.TrimSpace(*u.Name)
			if other, err := getTag(ctx, tx, newName); err == nil && other.ID != t.ID {
				return &ConflictError{Msg: "Tag " + strconv.Quote(newName) + " already exists"}
			}
		}
		for _, p := range []struct {
			v   *string
			dst **string
		}{{u.Description, &t.Description}, {u.ColorCode, &t.ColorCode}, {u.Emoji, &t.Emoji}} {
			if p.v != nil {
				v := *p.v
				*p.dst = &v
			}
		}
		if _, err := tx.ExecContext(ctx, `UPDATE tags SET name = ?, description = ?, color_code = ?, emoji = ? WHERE id = ?`,
			newName, t.Description, t.ColorCode, t.Emoji, t.ID); err != nil {
			return err
		}
		if newName != t.Name {
			ids, err := taggedContacts(ctx, tx, t.Name)
			if err != nil {
				return err
			}
			now := s.Now()
			for _, id := range ids {
				if _, err := tx.ExecContext(ctx, `DELETE FROM contact_tags WHERE contact_id = ? AND tag = ?`, id, t.Name); err != nil {
					return err
				}
				if _, err := tx.ExecContext(ctx, `INSERT OR IGNORE INTO contact_tags (contact_id, tag) VALUES (?, ?)`, id, newName); err != nil {
					return err
				}
				if err := insertEvent(ctx, tx, id, now, "tag", "renamed", "api", nil, nil, map[string]any{"tag": newName, "oldTag": t.Name}); err != nil {
					return err
				}
			}
			affected = len(ids)
		}
		t.Name = newName
		out = t
		return nil
	})
	return out, affected, err
}

// DeleteTag removes a workspace tag and takes it off every contact carrying it, each recording
// (tag, removed, api).
func (s *Store) DeleteTag(ctx context.Context, name string) (int, error) {
	var affected int
	err := s.write(ctx, func(tx *sql.Tx) error {
		t, err := getTag(ctx, tx, name)
		if err != nil {
			return err
		}
		ids, err := taggedContacts(ctx, tx, t.Name)
		if err != nil {
			return err
		}
		now := s.Now()
		for _, id := range ids {
			if _, err := tx.ExecContext(ctx, `DELETE FROM contact_tags WHERE contact_id = ? AND tag = ?`, id, t.Name); err != nil {
				return err
			}
			if err := insertEvent(ctx, tx, id, now, "tag", "removed", "api", nil, nil, map[string]any{"tag": t.Name, "reason": "tag deleted"}); err != nil {
				return err
			}
		}
		affected = len(ids)
		_, err = tx.ExecContext(ctx, `DELETE FROM tags WHERE id = ?`, t.ID)
		return err
	})
	return affected, err
}

// Template is a WhatsApp message template of a channel.
type Template struct {
	ID           int64
	ChannelID    int64
	Name         string
	LanguageCode string
	Category     string
	Status       string // APPROVED | PENDING | REJECTED …
	Namespace    string
	Components   json.RawMessage
}

const templateCols = `id, channel_id, name, language_code, category, status, namespace, components`

func scanTemplate(sc interface{ Scan(...any) error }) (Template, error) {
	var t Template
	var comp string
	err := sc.Scan(&t.ID, &t.ChannelID, &t.Name, &t.LanguageCode, &t.Category, &t.Status, &t.Namespace, &comp)
	t.Components = json.RawMessage(comp)
	return t, err
}

// ListTemplates pages a channel's templates by ascending id.
func (s *Store) ListTemplates(ctx context.Context, channelID int64, p Page) ([]Template, bool, error) {
	where, args, order, rev := keyset("id", false, p.Cursor)
	rows, err := s.db.QueryContext(ctx, `SELECT `+templateCols+` FROM templates WHERE channel_id = ? AND `+where+` ORDER BY `+order+` LIMIT ?`,
		append(append([]any{channelID}, args...), p.Limit+1)...)
	if err != nil {
		return nil, false, err
	}
	defer rows.Close()
	var out []Template
	for rows.Next() {
		t, err := scanTemplate(rows)
		if err != nil {
			return nil, false, err
		}
		out = append(out, t)
	}
	if err := rows.Err(); err != nil {
		return nil, false, err
	}
	out, more := trimPage(out, p.Limit, rev)
	return out, more, nil
}

// GetTemplate returns one template by id.
func (s *Store) GetTemplate(ctx context.Context, id int64) (Template, error) {
	t, err := scanTemplate(s.db.QueryRowContext(ctx, `SELECT `+templateCols+` FROM templates WHERE id = ?`, id))
	if err == sql.ErrNoRows {
		return t, ErrNotFound
	}
	return t, err
}

// templatesNamed returns a channel's templates with a name, in every language.
func (s *Store) templatesNamed(ctx context.Context, channelID int64, name string) ([]Template, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+templateCols+` FROM templates WHERE channel_id = ? AND name = ? ORDER BY id`, channelID, name)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Template
	for rows.Next() {
		t, err := scanTemplate(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

var placeholderPattern = regexp.MustCompile(`\{\{\s*(\d+)\s*\}\}`)

// TemplateShape is what a send must supply for a template: the body's parameter count and
// the header's media format ("" when the header is text or absent).
type TemplateShape struct {
	BodyParams  int
	HeaderMedia string // IMAGE | VIDEO | DOCUMENT
}

// ShapeOf reads a template's components.
func ShapeOf(components json.RawMessage) TemplateShape {
	var comps []struct {
		Type   string `json:"type"`
		Format string `json:"format"`
		Text   string `json:"text"`
	}
	_ = json.Unmarshal(components, &comps)
	var sh TemplateShape
	for _, c := range comps {
		switch strings.ToUpper(c.Type) {
		case "BODY":
			max := 0
			for _, m := range placeholderPattern.FindAllStringSubmatch(c.Text, -1) {
				if n, _ := strconv.Atoi(m[1]); n > max {
					max = n
				}
			}
			sh.BodyParams = max
		case "HEADER":
			if f := strings.ToUpper(c.Format); f == "IMAGE" || f == "VIDEO" || f == "DOCUMENT" {
				sh.HeaderMedia = f
			}
		}
	}
	return sh
}

// WhatsApp's reasons for a template send that fails.
const (
	ReasonTemplateMissing   = "(#132001) Template name does not exist in the translation"
	ReasonTemplateParams    = "(#132000) Number of parameters does not match the expected number of params"
	ReasonTemplateHeader    = "(#132012) Parameter format does not match format in the created template"
	ReasonTemplateNotActive = "(#132015) Template is not approved"
)

// TemplateFailure checks a whatsapp_template send the way WhatsApp does and returns the reason
// it fails ("" when it goes out): an unknown name or language, a template not approved, the
// wrong number of body parameters, or a media header without its media.
func (s *Store) TemplateFailure(ctx context.Context, channelID int64, name, lang string, components json.RawMessage) (string, error) {
	list, err := s.templatesNamed(ctx, channelID, name)
	if err != nil {
		return "", err
	}
	var t *Template
	for i := range list {
		if strings.EqualFold(list[i].LanguageCode, lang) {
			t = &list[i]
		}
	}
	if t == nil {
		return ReasonTemplateMissing + ": " + name + " does not exist in " + lang, nil
	}
	if t.Status != "APPROVED" {
		return ReasonTemplateNotActive + ": " + name + " (" + lang + ") is " + t.Status, nil
	}
	sh := ShapeOf(t.Components)
	var sent []struct {
		Type       string            `json:"type"`
		Parameters []json.RawMessage `json:"parameters"`
	}
	_ = json.Unmarshal(components, &sent)
	body, header := 0, 0
	for _, c := range sent {
		switch strings.ToLower(c.Type) {
		case "body":
			body += len(c.Parameters)
		case "header":
			header += len(c.Parameters)
		}
	}
	if body != sh.BodyParams {
		return ReasonTemplateParams + ": expected " + strconv.Itoa(sh.BodyParams) + ", received " + strconv.Itoa(body), nil
	}
	if sh.HeaderMedia != "" && header == 0 {
		return ReasonTemplateHeader + ": header expects " + strings.ToLower(sh.HeaderMedia), nil
	}
	return "", nil
}
