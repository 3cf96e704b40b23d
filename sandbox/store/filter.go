package store

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"reflect"
	"strconv"
	"strings"
	"time"
	"unicode"
)

// ValidationError is a request the platform would reject with 400.
type ValidationError struct{ Msg string }

func (e *ValidationError) Error() string { return e.Msg }

func invalidf(format string, args ...any) error {
	return &ValidationError{Msg: fmt.Sprintf(format, args...)}
}

// ContactQuery selects contacts for /contact/list and /contact/count.
type ContactQuery struct {
	Search   string
	Filter   json.RawMessage // {"$and": [...]} or {"$or": [...]}; null/empty = everything
	Location *time.Location  // for isTimestamp* values
	Ext      bool            // extensions enabled: EXT filter fields and lastMessageTime order

	// counting compiles for /contact/count, which reads every match, rather than for a
	// page in last-message order, which stops after a few (see compileTag).
	counting bool
	// trigramDocs, when set, gives the search index's trigram counts (Store.trigramDocs).
	trigramDocs func() map[string]int64
}

// Condition is one filter condition of the contract.
type Condition struct {
	Category string          `json:"category"`
	Field    *string         `json:"field"`
	Operator string          `json:"operator"`
	Value    json.RawMessage `json:"value"`
}

// standardFields maps contract field names to columns.
var standardFields = map[string]string{
	"firstName": "c.first_name", "lastName": "c.last_name", "phone": "c.phone", "email": "c.email",
	"language": "c.language", "countryCode": "c.country_code",
}

var knownOperators = map[string]bool{
	"isEqualTo": true, "isNotEqualTo": true, "exists": true, "doesNotExist": true, "isGreaterThan": true,
	"isLessThan": true, "isBetween": true, "isTimestampAfter": true, "isTimestampBefore": true,
	"isTimestampBetween": true, "hasAnyOf": true, "hasAllOf": true, "hasNoneOf": true,
}

// Filter size limits: the platform's filters are small; these keep a hostile
// filter within SQLite's limits (variables, expression depth) as a 400.
const (
	MaxFilterConditions = 100
	MaxFilterValues     = 200
	maxFilterArgs       = 30000
)

// whereClause compiles search and filter into SQL over alias c.
func (q ContactQuery) whereClause() (string, []any, error) {
	parts := []string{"1=1"}
	var args []any
	if s := strings.TrimSpace(q.Search); s != "" {
		like := "%" + escapeLike(strings.ToLower(s)) + "%"
		d := phoneSearchDigits(s)
		var docs map[string]int64
		if q.trigramDocs != nil {
			docs = q.trigramDocs()
		}
		if match := searchMatch(s, d, docs); match != "" {
			// The trigram index picks the candidates; the LIKE below confirms them.
			parts = append(parts, `c.id IN (SELECT rowid FROM contacts_search WHERE contacts_search MATCH ?)`)
			args = append(args, match)
		}
		cond := `(lower(c.first_name || ' ' || COALESCE(c.last_name, '')) LIKE ? ESCAPE '\' OR lower(COALESCE(c.email, '')) LIKE ? ESCAPE '\'`
		args = append(args, like, like)
		if d != "" {
			cond += ` OR c.phone_digits LIKE ?`
			args = append(args, "%"+d+"%")
		}
		parts = append(parts, cond+")")
	}
	if len(bytes.TrimSpace(q.Filter)) > 0 && string(bytes.TrimSpace(q.Filter)) != "null" {
		conditions := 0
		sqlText, fargs, err := q.compileGroup(q.Filter, 0, &conditions)
		if err != nil {
			return "", nil, err
		}
		if len(fargs) > maxFilterArgs {
			return "", nil, invalidf("filter is too large")
		}
		parts = append(parts, sqlText)
		args = append(args, fargs...)
	}
	return strings.Join(parts, " AND "), args, nil
}

func escapeLike(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	return r.Replace(s)
}

// phoneSearchDigits returns the digits of s when s looks like a phone number
// ("+60 12-345" matches +6012345…), else "".
func phoneSearchDigits(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case unicode.IsDigit(r):
			b.WriteRune(r)
		case strings.ContainsRune("+-() .", r):
		default:
			return ""
		}
	}
	return b.String()
}

// DigitsOnly keeps the ASCII digits of s (stored for phone search).
func DigitsOnly(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r >= '0' && r <= '9' {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// compileGroup compiles a $and/$or group; conditions counts every condition
// seen so far across the whole filter.
func (q ContactQuery) compileGroup(raw json.RawMessage, depth int, conditions *int) (string, []any, error) {
	if depth > 8 {
		return "", nil, invalidf("filter is nested too deeply")
	}
	var group map[string]json.RawMessage
	if err := json.Unmarshal(raw, &group); err != nil {
		return "", nil, invalidf("filter must be an object with $and or $or")
	}
	if len(group) == 0 {
		return "1=1", nil, nil
	}
	if len(group) != 1 {
		return "", nil, invalidf("filter must have exactly one of $and, $or")
	}
	var op string
	var list json.RawMessage
	for k, v := range group {
		op, list = k, v
	}
	joiner := ""
	switch op {
	case "$and":
		joiner = " AND "
	case "$or":
		joiner = " OR "
	default:
		return "", nil, invalidf("unknown filter operator %q (use $and or $or)", op)
	}
	var items []json.RawMessage
	if err := json.Unmarshal(list, &items); err != nil {
		return "", nil, invalidf("%s must be an array of conditions", op)
	}
	if len(items) == 0 {
		return "1=1", nil, nil
	}
	var parts []string
	var args []any
	for i, item := range items {
		var probe map[string]json.RawMessage
		if err := json.Unmarshal(item, &probe); err != nil {
			return "", nil, invalidf("%s[%d] must be an object", op, i)
		}
		_, isAnd := probe["$and"]
		_, isOr := probe["$or"]
		var sqlText string
		var cargs []any
		var err error
		if isAnd || isOr {
			sqlText, cargs, err = q.compileGroup(item, depth+1, conditions)
		} else {
			if *conditions++; *conditions > MaxFilterConditions {
				return "", nil, invalidf("filter has more than %d conditions", MaxFilterConditions)
			}
			var c Condition
			if err := json.Unmarshal(item, &c); err != nil {
				return "", nil, invalidf("%s[%d]: invalid condition: %v", op, i, jsonTypeMessage(err))
			}
			sqlText, cargs, err = q.compileCondition(c)
		}
		if err != nil {
			return "", nil, err
		}
		parts = append(parts, "("+sqlText+")")
		args = append(args, cargs...)
	}
	return "(" + strings.Join(parts, joiner) + ")", args, nil
}

// jsonTypeMessage shortens encoding/json errors for API messages.
func jsonTypeMessage(err error) string {
	var te *json.UnmarshalTypeError
	if ok := asTypeError(err, &te); ok {
		kind := "a string"
		if te.Type.Kind() != reflect.String && te.Type.Kind() != reflect.Pointer {
			kind = "valid JSON"
		}
		return fmt.Sprintf("field %q must be %s, got %s", te.Field, kind, te.Value)
	}
	return err.Error()
}

func asTypeError(err error, target **json.UnmarshalTypeError) bool {
	te, ok := err.(*json.UnmarshalTypeError)
	if ok {
		*target = te
	}
	return ok
}

// valueStrings decodes a value that is a string, a number or an array of them.
func valueStrings(raw json.RawMessage) ([]string, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" {
		return nil, invalidf("value is required for this operator")
	}
	if raw[0] == '[' {
		var items []json.RawMessage
		if err := json.Unmarshal(raw, &items); err != nil {
			return nil, invalidf("value must be a string or an array of strings")
		}
		if len(items) > MaxFilterValues {
			return nil, invalidf("value has more than %d items", MaxFilterValues)
		}
		out := make([]string, 0, len(items))
		for _, it := range items {
			s, err := scalarString(it)
			if err != nil {
				return nil, err
			}
			out = append(out, s)
		}
		if len(out) == 0 {
			return nil, invalidf("value must not be an empty array")
		}
		return out, nil
	}
	s, err := scalarString(raw)
	if err != nil {
		return nil, err
	}
	return []string{s}, nil
}

func scalarString(raw json.RawMessage) (string, error) {
	var v any
	if err := json.Unmarshal(raw, &v); err != nil {
		return "", invalidf("invalid value")
	}
	switch t := v.(type) {
	case string:
		return t, nil
	case float64:
		return strconv.FormatFloat(t, 'f', -1, 64), nil
	case bool:
		return strconv.FormatBool(t), nil
	default:
		return "", invalidf("value must be a string, a number or an array of them")
	}
}

func scalarNumber(raw json.RawMessage) (float64, error) {
	s, err := scalarString(raw)
	if err != nil {
		return 0, err
	}
	f, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		return 0, invalidf("value %q must be a number", s)
	}
	return f, nil
}

// rangeValue decodes {"from": x, "to": y}.
func rangeValue(raw json.RawMessage) (from, to json.RawMessage, err error) {
	var r struct {
		From json.RawMessage `json:"from"`
		To   json.RawMessage `json:"to"`
	}
	if e := json.Unmarshal(raw, &r); e != nil || r.From == nil || r.To == nil {
		return nil, nil, invalidf(`value must be {"from": …, "to": …}`)
	}
	return r.From, r.To, nil
}

// parseFilterTime parses "YYYY-MM-DD HH:MM" (or a date, or epoch seconds) in loc.
func parseFilterTime(raw json.RawMessage, loc *time.Location) (int64, error) {
	s, err := scalarString(raw)
	if err != nil {
		return 0, err
	}
	s = strings.TrimSpace(s)
	for _, layout := range []string{"2006-01-02 15:04", "2006-01-02 15:04:05", "2006-01-02"} {
		if t, err := time.ParseInLocation(layout, s, loc); err == nil {
			return t.Unix(), nil
		}
	}
	if n, err := strconv.ParseInt(s, 10, 64); err == nil {
		return n, nil
	}
	return 0, invalidf(`timestamp %q must be "YYYY-MM-DD HH:MM"`, s)
}
