package mirror

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/respondctl/respondctl/apiclient"
)

// UnsupportedError is a filter the mirror cannot evaluate; the caller counts that view
// from the API instead.
type UnsupportedError struct{ Msg string }

func (e *UnsupportedError) Error() string { return "the mirror cannot evaluate " + e.Msg }

func unsupported(format string, args ...any) error {
	return &UnsupportedError{Msg: fmt.Sprintf(format, args...)}
}

// Count is one view's figures from the mirror: contacts matching, and how many of them
// are awaiting a reply (open, and their last message is incoming).
type Count struct {
	Count         int
	AwaitingReply int
}

// Count evaluates a /contact/list request (search and filter, the full filter including
// the extension-only conditions) over the mirrored contacts.
func (m *Mirror) Count(ctx context.Context, req apiclient.ContactListRequest) (Count, error) {
	where, args, err := compileRequest(req)
	if err != nil {
		return Count{}, err
	}
	var c Count
	if groupsOnly(req) {
		// Status and assignee only (the built-in views): a sum over contact_groups, whose
		// columns have the contacts' names, so the same WHERE applies.
		err = m.db.QueryRowContext(ctx, `SELECT COALESCE(SUM(c.n), 0), COALESCE(SUM(CASE WHEN c.status = 'open' AND c.last_incoming = 1 THEN c.n ELSE 0 END), 0)
			FROM contact_groups c WHERE c.status IS NOT NULL AND `+where, args...).Scan(&c.Count, &c.AwaitingReply)
		return c, err
	}
	err = m.db.QueryRowContext(ctx, `SELECT COUNT(*), COALESCE(SUM(c.status = 'open' AND c.last_incoming = 1), 0)
		FROM contacts c WHERE c.status IS NOT NULL AND `+where, args...).Scan(&c.Count, &c.AwaitingReply)
	return c, err
}

// groupsOnly reports whether req filters on status and assignee alone.
func groupsOnly(req apiclient.ContactListRequest) bool {
	if strings.TrimSpace(req.Search) != "" {
		return false
	}
	if req.Filter == nil {
		return true
	}
	for _, c := range append(append([]apiclient.Condition{}, req.Filter.And...), req.Filter.Or...) {
		if c.Category != apiclient.CategoryContactField || c.Field == nil || (*c.Field != "status" && *c.Field != "assigneeUserId") {
			return false
		}
	}
	return true
}

func compileRequest(req apiclient.ContactListRequest) (string, []any, error) {
	parts := []string{"1=1"}
	var args []any
	if s := strings.TrimSpace(req.Search); s != "" {
		like := "%" + strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(strings.ToLower(s)) + "%"
		parts = append(parts, `(lower(c.first_name || ' ' || COALESCE(c.last_name, '')) LIKE ? ESCAPE '\' OR lower(COALESCE(c.email, '')) LIKE ? ESCAPE '\' OR COALESCE(c.phone, '') LIKE ? ESCAPE '\')`)
		args = append(args, like, like, like)
	}
	if f := req.Filter; f != nil {
		conds, joiner := f.And, " AND "
		if len(f.Or) > 0 {
			conds, joiner = f.Or, " OR "
		}
		var group []string
		for _, cond := range conds {
			sqlText, a, err := compileCondition(cond)
			if err != nil {
				return "", nil, err
			}
			group = append(group, "("+sqlText+")")
			args = append(args, a...)
		}
		if len(group) > 0 {
			parts = append(parts, "("+strings.Join(group, joiner)+")")
		}
	}
	return strings.Join(parts, " AND "), args, nil
}

var standardColumns = map[string]string{
	"firstName": "c.first_name", "lastName": "c.last_name", "phone": "c.phone", "email": "c.email",
	"language": "c.language", "countryCode": "c.country_code",
}

// values reads a condition value as strings: a scalar or a list.
func values(v any) []string {
	switch t := v.(type) {
	case nil:
		return nil
	case string:
		return []string{t}
	case []string:
		return t
	case []any:
		var out []string
		for _, x := range t {
			out = append(out, fmt.Sprint(x))
		}
		return out
	case float64:
		return []string{strconv.FormatFloat(t, 'f', -1, 64)}
	case int64:
		return []string{strconv.FormatInt(t, 10)}
	case int:
		return []string{strconv.Itoa(t)}
	}
	return []string{fmt.Sprint(v)}
}

func compileCondition(c apiclient.Condition) (string, []any, error) {
	switch c.Category {
	case apiclient.CategoryContactTag:
		return compileTag(c)
	case apiclient.CategoryLifecycle:
		return compileEquality("c.lifecycle", nil, false, c)
	case apiclient.CategoryContactField:
	default:
		return "", nil, unsupported("condition category %q", c.Category)
	}
	if c.Field == nil {
		return "", nil, unsupported("a contactField condition without a field")
	}
	switch name := *c.Field; name {
	case "status":
		if c.Operator != apiclient.OpIsEqualTo && c.Operator != apiclient.OpIsNotEqualTo {
			return "", nil, unsupported("status with %s", c.Operator)
		}
		vals := values(c.Value)
		for i, v := range vals {
			vals[i] = normStatus(v)
		}
		return compileEquality("c.status", nil, true, apiclient.Condition{Operator: c.Operator, Value: vals})
	case "assigneeUserId":
		// A number: NULL is the only "no assignee" (no '' test, so the index applies).
		switch c.Operator {
		case apiclient.OpExists:
			return "c.assignee_id IS NOT NULL", nil, nil
		case apiclient.OpDoesNotExist:
			return "c.assignee_id IS NULL", nil, nil
		}
		return compileEquality("c.assignee_id", nil, true, c)
	case "unread":
		return "", nil, unsupported("unread (webhooks do not carry it; see awaitingReply)")
	case "createdAt", "lastMessageTime", "snoozedUntil", "unreadCount":
		return "", nil, unsupported("field %q", name)
	default:
		if col, ok := standardColumns[name]; ok {
			return compileEquality(col, nil, false, c)
		}
		expr := `(SELECT CASE json_type(f.value) WHEN 'true' THEN 'true' WHEN 'false' THEN 'false' ELSE CAST(json_extract(f.value, '$') AS TEXT) END
			FROM contact_fields f WHERE f.contact_id = c.id AND f.name = ?)`
		return compileEquality(expr, []any{name}, false, c)
	}
}

// compileEquality handles exists/doesNotExist and the equality family, as the platform's
// filter does: text compares case-insensitively, numbers and statuses exactly.
func compileEquality(x string, xargs []any, exact bool, c apiclient.Condition) (string, []any, error) {
	rep := func(n int, extra ...any) []any {
		var out []any
		for i := 0; i < n; i++ {
			out = append(out, xargs...)
		}
		return append(out, extra...)
	}
	switch c.Operator {
	case apiclient.OpExists:
		return "(" + x + " IS NOT NULL AND " + x + " <> '')", rep(2), nil
	case apiclient.OpDoesNotExist:
		return "(" + x + " IS NULL OR " + x + " = '')", rep(2), nil
	}
	vals := values(c.Value)
	if len(vals) == 0 {
		return "", nil, unsupported("operator %s without a value", c.Operator)
	}
	coll := " COLLATE NOCASE"
	if exact {
		coll = ""
	}
	args := make([]any, len(vals))
	for i, v := range vals {
		args[i] = v
		if x == "c.assignee_id" {
			n, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
			if err != nil {
				return "", nil, unsupported("assigneeUserId %q", v)
			}
			args[i] = n
		}
	}
	in := x + coll + " IN (" + strings.TrimSuffix(strings.Repeat("?,", len(vals)), ",") + ")"
	switch c.Operator {
	case apiclient.OpIsEqualTo, apiclient.OpHasAnyOf:
		return in, rep(1, args...), nil
	case apiclient.OpIsNotEqualTo, apiclient.OpHasNoneOf:
		return "(" + x + " IS NULL OR NOT (" + in + "))", append(rep(2), args...), nil
	case apiclient.OpHasAllOf:
		var parts []string
		var all []any
		for _, a := range args {
			parts = append(parts, x+coll+" = ?")
			all = append(all, rep(1, a)...)
		}
		return strings.Join(parts, " AND "), all, nil
	}
	return "", nil, unsupported("operator %s", c.Operator)
}

func compileTag(c apiclient.Condition) (string, []any, error) {
	const has = `EXISTS (SELECT 1 FROM contact_tags t WHERE t.contact_id = c.id)`
	switch c.Operator {
	case apiclient.OpExists:
		return has, nil, nil
	case apiclient.OpDoesNotExist:
		return "NOT " + has, nil, nil
	}
	tags := values(c.Value)
	if len(tags) == 0 {
		return "", nil, unsupported("a tag condition without tags")
	}
	distinct := map[string]bool{}
	args := make([]any, len(tags))
	for i, t := range tags {
		args[i] = t
		distinct[strings.ToLower(t)] = true
	}
	in := `t.tag IN (` + strings.TrimSuffix(strings.Repeat("?,", len(tags)), ",") + `)`
	tagged := `c.id IN (SELECT t.contact_id FROM contact_tags t WHERE ` + in
	switch c.Operator {
	case apiclient.OpHasAnyOf, apiclient.OpIsEqualTo:
		return tagged + `)`, args, nil
	case apiclient.OpHasNoneOf, apiclient.OpIsNotEqualTo:
		return "NOT " + tagged + `)`, args, nil
	case apiclient.OpHasAllOf:
		if len(distinct) == 1 { // one tag: "all of" is "any of", without the grouping
			return tagged + `)`, args, nil
		}
		return tagged + ` GROUP BY t.contact_id HAVING COUNT(*) = ` + strconv.Itoa(len(distinct)) + `)`, args, nil
	}
	return "", nil, unsupported("operator %s on tags", c.Operator)
}
