package inbox

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// ViewAlert is a threshold on a view: "unassigned>20", "mine.unread>=1", "All<=500".
type ViewAlert struct {
	Expr   string
	View   string
	Unread bool // compare the unread count instead of the contact count
	Op     string
	Value  int
}

var alertRE = regexp.MustCompile(`^\s*(.+?)(\.unread)?\s*(>=|<=|==|!=|>|<|=)\s*(\d+)\s*$`)

// ParseViewAlert parses an --alert expression: VIEW[.unread] OP NUMBER with OP one of
// > >= < <= == != (= is ==). View names are matched case-insensitively later.
func ParseViewAlert(expr string) (ViewAlert, error) {
	m := alertRE.FindStringSubmatch(expr)
	// A name ending in an operator character is a doubled operator ("unassigned>>5"), not
	// a view called "unassigned>".
	if m == nil || strings.TrimRight(strings.TrimSpace(m[1]), "<>=!") != strings.TrimSpace(m[1]) {
		return ViewAlert{}, fmt.Errorf("invalid --alert %q: use VIEW>N, VIEW.unread>N (operators > >= < <= == !=), e.g. 'unassigned>20'", expr)
	}
	n, err := strconv.Atoi(m[4])
	if err != nil {
		return ViewAlert{}, fmt.Errorf("invalid --alert %q: %v", expr, err)
	}
	op := m[3]
	if op == "=" {
		op = "=="
	}
	return ViewAlert{Expr: strings.TrimSpace(expr), View: strings.TrimSpace(m[1]), Unread: m[2] != "", Op: op, Value: n}, nil
}

// Check evaluates the alert against counted views. crossed reports a threshold crossed;
// msg says so in words. An alert on a view that does not exist is an *UnknownViewError;
// an unread alert on a server without unread counts is an error too.
func (a ViewAlert) Check(counts []ViewCount) (crossed bool, msg string, err error) {
	kind, name := SplitViewKind(a.View)
	var matches []ViewCount
	for _, c := range counts {
		if strings.EqualFold(c.Name, name) && (kind == "" || c.Kind == kind) {
			matches = append(matches, c)
		}
	}
	if len(matches) > 1 {
		return false, "", &AmbiguousViewError{Name: matches[0].Name, Kinds: []string{matches[0].Kind, matches[1].Kind}}
	}
	for _, c := range matches {
		if c.Err != nil {
			return false, "", fmt.Errorf("alert %q: view %q could not be counted: %w", a.Expr, c.Name, c.Err)
		}
		got, what := c.Count, "contacts"
		if a.Unread {
			if c.Unread == nil {
				return false, "", fmt.Errorf("alert %q: unread counts are unknown on this server (no counts extension)", a.Expr)
			}
			got, what = *c.Unread, "contacts with unread messages"
		}
		var hit bool
		switch a.Op {
		case ">":
			hit = got > a.Value
		case ">=":
			hit = got >= a.Value
		case "<":
			hit = got < a.Value
		case "<=":
			hit = got <= a.Value
		case "==":
			hit = got == a.Value
		case "!=":
			hit = got != a.Value
		}
		return hit, fmt.Sprintf("alert: view %s has %d %s (%s %s %d)", c.Name, got, what, a.View, a.Op, a.Value), nil
	}
	valid := make([]string, len(counts))
	for i, c := range counts {
		valid[i] = c.Name
	}
	return false, "", &UnknownViewError{Name: a.View, Valid: valid}
}
