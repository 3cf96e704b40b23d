package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"net/mail"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// FieldDef is a custom-field definition of the workspace.
type FieldDef struct {
	ID            int64
	Name          string
	Slug          string
	Description   *string
	DataType      string // text | list | checkbox | email | number | url | date | time
	AllowedValues []string
}

// FieldDataTypes are the data types a custom field may have.
var FieldDataTypes = []string{"text", "list", "checkbox", "email", "number", "url", "date", "time"}

// Limits of custom-field definitions.
const (
	MaxFieldNameLength = 50
	MaxFieldTextLength = 2000
)

var slugPattern = regexp.MustCompile(`^[A-Za-z0-9_]+$`)

func scanFieldDef(sc interface{ Scan(...any) error }) (FieldDef, error) {
	var f FieldDef
	var desc, allowed sql.NullString
	if err := sc.Scan(&f.ID, &f.Name, &f.Slug, &desc, &f.DataType, &allowed); err != nil {
		return f, err
	}
	f.Description = nullStr(desc)
	if allowed.Valid {
		_ = json.Unmarshal([]byte(allowed.String), &f.AllowedValues)
	}
	return f, nil
}

const fieldDefCols = `id, name, slug, description, data_type, allowed_values`

// ListFieldDefs pages the custom-field definitions by ascending id.
func (s *Store) ListFieldDefs(ctx context.Context, p Page) ([]FieldDef, bool, error) {
	where, args, order, rev := keyset("id", false, p.Cursor)
	rows, err := s.db.QueryContext(ctx, `SELECT `+fieldDefCols+` FROM custom_fields WHERE `+where+` ORDER BY `+order+` LIMIT ?`, append(args, p.Limit+1)...)
	if err != nil {
		return nil, false, err
	}
	defer rows.Close()
	var out []FieldDef
	for rows.Next() {
		f, err := scanFieldDef(rows)
		if err != nil {
			return nil, false, err
		}
		out = append(out, f)
	}
	if err := rows.Err(); err != nil {
		return nil, false, err
	}
	out, more := trimPage(out, p.Limit, rev)
	return out, more, nil
}

// GetFieldDef returns one definition by id.
func (s *Store) GetFieldDef(ctx context.Context, id int64) (FieldDef, error) {
	f, err := scanFieldDef(s.db.QueryRowContext(ctx, `SELECT `+fieldDefCols+` FROM custom_fields WHERE id = ?`, id))
	if err == sql.ErrNoRows {
		return f, ErrNotFound
	}
	return f, err
}

// fieldDefs maps every definition by lower-cased name and slug.
func fieldDefs(ctx context.Context, q interface {
	QueryContext(context.Context, string, ...any) (*sql.Rows, error)
}) (map[string]FieldDef, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+fieldDefCols+` FROM custom_fields`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]FieldDef{}
	for rows.Next() {
		f, err := scanFieldDef(rows)
		if err != nil {
			return nil, err
		}
		out[strings.ToLower(f.Name)] = f
		out[strings.ToLower(f.Slug)] = f
	}
	return out, rows.Err()
}

// CreateFieldDef validates and stores a new definition.
func (s *Store) CreateFieldDef(ctx context.Context, f FieldDef) (FieldDef, error) {
	f.Name = strings.TrimSpace(f.Name)
	switch {
	case f.Name == "":
		return f, invalidf(`"name" is required`)
	case utf8.RuneCountInString(f.Name) > MaxFieldNameLength:
		return f, invalidf("name must be at most %d characters", MaxFieldNameLength)
	}
	if f.Slug == "" {
		f.Slug = slugOf(f.Name)
	}
	if !slugPattern.MatchString(f.Slug) {
		return f, invalidf("slug %q may contain only letters, digits and underscores", f.Slug)
	}
	if !contains(FieldDataTypes, f.DataType) {
		return f, invalidf("dataType %q is not one of %s", f.DataType, strings.Join(FieldDataTypes, ", "))
	}
	if f.DataType == "list" && len(f.AllowedValues) == 0 {
		return f, invalidf(`a list field needs "allowedValues"`)
	}
	if f.DataType != "list" && len(f.AllowedValues) > 0 {
		return f, invalidf(`"allowedValues" is only for list fields`)
	}
	err := s.write(ctx, func(tx *sql.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM custom_fields WHERE name = ? OR slug = ?`, f.Name, f.Slug).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return &ConflictError{Msg: "A custom field named " + strconv.Quote(f.Name) + " (or with slug " + strconv.Quote(f.Slug) + ") already exists"}
		}
		var allowed any
		if len(f.AllowedValues) > 0 {
			b, _ := json.Marshal(f.AllowedValues)
			allowed = string(b)
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO custom_fields (name, slug, description, data_type, allowed_values) VALUES (?, ?, ?, ?, ?)`,
			f.Name, f.Slug, f.Description, f.DataType, allowed)
		if err != nil {
			return err
		}
		f.ID, err = res.LastInsertId()
		return err
	})
	return f, err
}

func slugOf(name string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(name) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9', r == '_':
			b.WriteRune(r)
		default:
			b.WriteRune('_')
		}
	}
	return b.String()
}

func contains(list []string, v string) bool {
	for _, s := range list {
		if s == v {
			return true
		}
	}
	return false
}

// ConflictError is a request the platform would reject with 409.
type ConflictError struct{ Msg string }

func (e *ConflictError) Error() string { return e.Msg }

// ValidateFieldValue checks a custom-field value against the field's data type and returns
// it as stored (JSON). null clears a field of any type.
func ValidateFieldValue(f FieldDef, raw json.RawMessage) (json.RawMessage, error) {
	var v any
	if err := json.Unmarshal(raw, &v); err != nil {
		return nil, invalidf("custom field %q: value is not JSON", f.Name)
	}
	if v == nil {
		return json.RawMessage("null"), nil
	}
	bad := func(want string) error {
		return invalidf("custom field %q is of type %s: %s is not %s", f.Name, f.DataType, oneLineJSON(raw), want)
	}
	str, isStr := v.(string)
	switch f.DataType {
	case "number":
		switch x := v.(type) {
		case float64:
			return raw, nil
		case string:
			n, err := strconv.ParseFloat(strings.TrimSpace(x), 64)
			if err != nil {
				return nil, bad("a number")
			}
			b, _ := json.Marshal(n)
			return b, nil
		}
		return nil, bad("a number")
	case "checkbox":
		switch x := v.(type) {
		case bool:
			return raw, nil
		case string:
			if b, err := strconv.ParseBool(x); err == nil {
				return json.RawMessage(strconv.FormatBool(b)), nil
			}
		}
		return nil, bad("true or false")
	}
	if !isStr {
		return nil, bad("a string")
	}
	if utf8.RuneCountInString(str) > MaxFieldTextLength {
		return nil, invalidf("custom field %q: value is longer than %d characters", f.Name, MaxFieldTextLength)
	}
	switch f.DataType {
	case "list":
		for _, a := range f.AllowedValues {
			if strings.EqualFold(a, str) {
				b, _ := json.Marshal(a)
				return b, nil
			}
		}
		return nil, invalidf("custom field %q: %q is not one of %s", f.Name, str, strings.Join(f.AllowedValues, ", "))
	case "email":
		if a, err := mail.ParseAddress(str); err != nil || a.Address != str {
			return nil, bad("an email address")
		}
	case "url":
		if !strings.HasPrefix(str, "http://") && !strings.HasPrefix(str, "https://") || strings.ContainsAny(str, " \t\n") {
			return nil, bad("an http(s) URL")
		}
	case "date":
		if _, err := time.Parse("2006-01-02", str); err != nil {
			return nil, bad("a date (YYYY-MM-DD)")
		}
	case "time":
		if _, err := time.Parse("15:04", str); err != nil {
			return nil, bad("a time (HH:MM)")
		}
	}
	return raw, nil
}

func oneLineJSON(raw json.RawMessage) string {
	s := strings.Join(strings.Fields(string(raw)), " ")
	if len(s) > 60 {
		s = s[:60] + "…"
	}
	return s
}

// resolveFields validates custom-field values against their definitions: an unknown field or a
// value of the wrong type is a validation error naming it.
func resolveFields(ctx context.Context, tx *sql.Tx, in []CustomField) ([]CustomField, error) {
	if len(in) == 0 {
		return nil, nil
	}
	defs, err := fieldDefs(ctx, tx)
	if err != nil {
		return nil, err
	}
	out := make([]CustomField, 0, len(in))
	for _, f := range in {
		def, ok := defs[strings.ToLower(strings.TrimSpace(f.Name))]
		if !ok {
			return nil, invalidf("unknown custom field %q", f.Name)
		}
		v, err := ValidateFieldValue(def, f.Value)
		if err != nil {
			return nil, err
		}
		out = append(out, CustomField{Name: def.Name, Value: v})
	}
	return out, nil
}
