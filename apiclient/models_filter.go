package apiclient

import (
	"encoding/json"
	"strconv"
)

// Filter is the "filter" of /contact/list: conditions joined by $and or $or.
type Filter struct {
	And []Condition `json:"$and,omitempty"`
	Or  []Condition `json:"$or,omitempty"`
}

// MarshalJSON always emits at least one group, so an empty filter is
// {"$and":[]} rather than {} (which the platform may reject).
func (f Filter) MarshalJSON() ([]byte, error) {
	m := map[string][]Condition{}
	if f.And != nil {
		m["$and"] = f.And
	}
	if f.Or != nil {
		m["$or"] = f.Or
	}
	if len(m) == 0 {
		m["$and"] = []Condition{}
	}
	return json.Marshal(m)
}

// Condition is one filter condition.
type Condition struct {
	Category string  `json:"category"` // contactField | contactTag | lifecycle
	Field    *string `json:"field"`    // null for contactTag
	Operator string  `json:"operator"`
	// Value is a string, a []string (tags), a Range, or nil (exists/doesNotExist).
	Value any `json:"value"`
}

// Range is the value of isBetween and isTimestampBetween.
type Range struct {
	From string `json:"from"`
	To   string `json:"to"`
}

// Condition categories.
const (
	CategoryContactField = "contactField"
	CategoryContactTag   = "contactTag"
	CategoryLifecycle    = "lifecycle"
)

// Filter operators.
const (
	OpIsEqualTo          = "isEqualTo"
	OpIsNotEqualTo       = "isNotEqualTo"
	OpExists             = "exists"
	OpDoesNotExist       = "doesNotExist"
	OpIsGreaterThan      = "isGreaterThan"
	OpIsLessThan         = "isLessThan"
	OpIsBetween          = "isBetween"
	OpIsTimestampAfter   = "isTimestampAfter"
	OpIsTimestampBefore  = "isTimestampBefore"
	OpIsTimestampBetween = "isTimestampBetween"
	OpHasAnyOf           = "hasAnyOf"
	OpHasAllOf           = "hasAllOf"
	OpHasNoneOf          = "hasNoneOf"
)

// FieldCondition is a contactField condition on field.
func FieldCondition(field, operator string, value any) Condition {
	return Condition{Category: CategoryContactField, Field: &field, Operator: operator, Value: value}
}

// TagCondition is a contactTag condition (field null, value a list of tags).
func TagCondition(operator string, tags ...string) Condition {
	if tags == nil {
		tags = []string{}
	}
	return Condition{Category: CategoryContactTag, Operator: operator, Value: tags}
}

// LifecycleCondition is a lifecycle condition (field null).
func LifecycleCondition(operator string, value any) Condition {
	return Condition{Category: CategoryLifecycle, Operator: operator, Value: value}
}

// wireConditions copies conds with every value in its wire form.
func wireConditions(conds []Condition) []Condition {
	if conds == nil {
		return nil
	}
	out := make([]Condition, len(conds))
	for i, c := range conds {
		c.Value = wireValue(c.Value)
		out[i] = c
	}
	return out
}

// wireValue writes numbers and booleans as strings, in lists too: the
// platform's condition values are strings (a Range, a string and nil pass).
func wireValue(v any) any {
	switch x := v.(type) {
	case int:
		return strconv.Itoa(x)
	case int32:
		return strconv.FormatInt(int64(x), 10)
	case int64:
		return strconv.FormatInt(x, 10)
	case uint64:
		return strconv.FormatUint(x, 10)
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case json.Number:
		return x.String()
	case bool:
		return strconv.FormatBool(x)
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = wireValue(e)
		}
		return out
	case []int64:
		out := make([]string, len(x))
		for i, e := range x {
			out[i] = strconv.FormatInt(e, 10)
		}
		return out
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[k] = wireValue(e)
		}
		return out
	}
	return v
}
