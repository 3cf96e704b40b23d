package config

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// View is a saved contact view in a profile. Either Filter (the contract's
// filter schema, as sent to POST /contact/list) or the shortcuts, or both: the
// views command ANDs the shortcuts onto the filter.
type View struct {
	Name   string  `yaml:"name" json:"name" mapstructure:"name"`
	Filter *Filter `yaml:"filter,omitempty" json:"filter,omitempty" mapstructure:"filter"`

	// Shortcuts.
	Status    string   `yaml:"status,omitempty" json:"status,omitempty" mapstructure:"status"`          // open|close|pending|snoozed|all
	Assignee  string   `yaml:"assignee,omitempty" json:"assignee,omitempty" mapstructure:"assignee"`    // me|none|any|EMAIL|ID
	Tags      []string `yaml:"tags,omitempty" json:"tags,omitempty" mapstructure:"tags"`                // contact has all of these tags
	Lifecycle string   `yaml:"lifecycle,omitempty" json:"lifecycle,omitempty" mapstructure:"lifecycle"` // lifecycle stage name
	Search    string   `yaml:"search,omitempty" json:"search,omitempty" mapstructure:"search"`          // the body's "search"
}

// Filter is the contract filter: {"$and": [Condition…]} or {"$or": [Condition…]}.
type Filter struct {
	And []Condition `yaml:"$and,omitempty" json:"$and,omitempty" mapstructure:"$and"`
	Or  []Condition `yaml:"$or,omitempty" json:"$or,omitempty" mapstructure:"$or"`
}

// Condition is one filter condition of the contract. Field is nil for
// contactTag and lifecycle conditions; Value is a string, number, list of
// strings, {"from","to"} or nil depending on the operator.
type Condition struct {
	Category string  `yaml:"category" json:"category" mapstructure:"category"`
	Field    *string `yaml:"field" json:"field" mapstructure:"field"`
	Operator string  `yaml:"operator" json:"operator" mapstructure:"operator"`
	Value    any     `yaml:"value" json:"value" mapstructure:"value"`
}

// Conditions returns the filter's conditions and whether they are ORed.
func (f *Filter) Conditions() (conds []Condition, or bool) {
	if f == nil {
		return nil, false
	}
	if len(f.Or) > 0 {
		return f.Or, true
	}
	return f.And, false
}

// ViewStatuses are the valid values of a view's status shortcut.
var ViewStatuses = []string{"open", "close", "pending", "snoozed", "all"}

var (
	filterCategories = map[string]bool{"contactField": true, "contactTag": true, "lifecycle": true}
	filterOperators  = map[string]bool{
		"isEqualTo": true, "isNotEqualTo": true, "exists": true, "doesNotExist": true,
		"isGreaterThan": true, "isLessThan": true, "isBetween": true, "isTimestampAfter": true,
		"isTimestampBefore": true, "isTimestampBetween": true, "hasAnyOf": true, "hasAllOf": true,
		"hasNoneOf": true,
	}
)

// Normalize cleans a view in place (trims, folds "closed" to "close", lower-cases
// keywords) and reports the first problem as a one-line error.
func (v *View) Normalize() error {
	v.Name = strings.TrimSpace(v.Name)
	if v.Name == "" {
		return fmt.Errorf("a view has no name")
	}
	if strings.ContainsFunc(v.Name, isControl) {
		return fmt.Errorf("view name %q contains control characters", v.Name)
	}
	if err := v.normalizeShortcuts(); err != nil {
		return fmt.Errorf("view %q: %w", v.Name, err)
	}
	if v.Filter != nil {
		if err := v.Filter.Validate(); err != nil {
			return fmt.Errorf("view %q: filter: %w", v.Name, err)
		}
	}
	return nil
}

func isControl(r rune) bool { return r < 0x20 || r == 0x7f }

func (v *View) normalizeShortcuts() error {
	v.Status = strings.ToLower(strings.TrimSpace(v.Status))
	if v.Status == "closed" {
		v.Status = "close" // the API's word is "close"; people type "closed"
	}
	if v.Status != "" && !contains(ViewStatuses, v.Status) {
		return fmt.Errorf("unknown status %q (use %s)", v.Status, strings.Join(ViewStatuses, ", "))
	}
	a := strings.TrimSpace(v.Assignee)
	switch strings.ToLower(a) {
	case "", "me", "none", "any":
		a = strings.ToLower(a)
	default:
		if !isUserID(a) && !looksLikeEmail(a) {
			return fmt.Errorf("invalid assignee %q (use me, none, any, a user's email or a numeric user id)", a)
		}
	}
	v.Assignee = a
	for i, t := range v.Tags {
		t = strings.TrimSpace(t)
		if t == "" {
			return fmt.Errorf("tags: empty tag name")
		}
		v.Tags[i] = t
	}
	v.Lifecycle = strings.TrimSpace(v.Lifecycle)
	return nil
}

func isUserID(s string) bool {
	n, err := strconv.ParseInt(s, 10, 64)
	return err == nil && n > 0
}

func looksLikeEmail(s string) bool {
	at := strings.LastIndexByte(s, '@')
	return at > 0 && at < len(s)-1 && !strings.ContainsAny(s, " \t\r\n,;<>")
}

// Validate checks the filter against the contract: one of $and/$or, known
// categories and operators, a field for contactField, value shapes that fit
// the operator.
func (f *Filter) Validate() error {
	if len(f.And) > 0 && len(f.Or) > 0 {
		return fmt.Errorf("use either $and or $or, not both")
	}
	conds, _ := f.Conditions()
	if len(conds) == 0 {
		return fmt.Errorf("needs {\"$and\": [conditions]} or {\"$or\": [conditions]}")
	}
	for i := range conds {
		if err := conds[i].Validate(); err != nil {
			return fmt.Errorf("condition %d: %w", i+1, err)
		}
	}
	return nil
}

// Validate checks one condition.
func (c *Condition) Validate() error {
	if !filterCategories[c.Category] {
		return fmt.Errorf("unknown category %q (use contactField, contactTag or lifecycle)", c.Category)
	}
	if !filterOperators[c.Operator] {
		return fmt.Errorf("unknown operator %q (use one of %s)", c.Operator, strings.Join(sortedKeys(filterOperators), ", "))
	}
	if c.Category == "contactField" && (c.Field == nil || strings.TrimSpace(*c.Field) == "") {
		return fmt.Errorf("contactField condition needs a field")
	}
	switch c.Operator {
	case "exists", "doesNotExist":
		return nil // value ignored
	case "isBetween", "isTimestampBetween":
		m, ok := c.Value.(map[string]any)
		if !ok || m["from"] == nil || m["to"] == nil {
			return fmt.Errorf("%s needs value {from: …, to: …}", c.Operator)
		}
		for k := range m {
			if k != "from" && k != "to" {
				return fmt.Errorf("%s value has unknown key %q", c.Operator, k)
			}
		}
	case "hasAnyOf", "hasAllOf", "hasNoneOf":
		if _, ok := c.Value.([]any); !ok {
			if _, ok := c.Value.([]string); !ok {
				return fmt.Errorf("%s needs a list value", c.Operator)
			}
		}
	default:
		switch c.Value.(type) {
		case string, int, int64, uint64, float64, bool:
		default:
			return fmt.Errorf("%s needs a single value", c.Operator)
		}
	}
	return nil
}

func validateViews(views []View) error {
	seen := map[string]bool{}
	for i := range views {
		if err := views[i].Normalize(); err != nil {
			return err
		}
		key := strings.ToLower(views[i].Name)
		if seen[key] {
			return fmt.Errorf("view %q is defined twice", views[i].Name)
		}
		seen[key] = true
	}
	return nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func sortedKeys(m map[string]bool) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
