package actions

import (
	"fmt"
	"net/mail"
	"strconv"
	"strings"
	"time"

	"github.com/respondctl/respondctl/apiclient"
	"github.com/respondctl/respondctl/suggest"
)

// FieldSchema is the workspace's custom-field definitions, for checking values before any change.
type FieldSchema struct {
	defs []apiclient.CustomFieldDef
}

// NewFieldSchema wraps the definitions.
func NewFieldSchema(defs []apiclient.CustomFieldDef) *FieldSchema { return &FieldSchema{defs: defs} }

// Lookup finds a field by name or slug (case-insensitive); an unknown name is an error naming
// the closest fields.
func (s *FieldSchema) Lookup(name string) (apiclient.CustomFieldDef, error) {
	for _, d := range s.defs {
		if strings.EqualFold(d.Name, name) || strings.EqualFold(d.Slug, name) {
			return d, nil
		}
	}
	names := make([]string, len(s.defs))
	for i, d := range s.defs {
		names[i] = d.Name
	}
	msg := fmt.Sprintf("unknown custom field %q", name)
	if close := suggest.Closest(name, names, 3); len(close) > 0 {
		msg += "; did you mean " + strings.Join(close, ", ") + "?"
	} else if len(names) > 0 {
		msg += " (fields: " + strings.Join(names, ", ") + ")"
	}
	return apiclient.CustomFieldDef{}, fmt.Errorf("%s", msg)
}

// Parse checks "text" against the field's data type and returns the value to send: a float64
// for number, a bool for checkbox, the canonical spelling for list, a string otherwise; nil
// (clear the field) for "".
func (s *FieldSchema) Parse(name, text string) (string, any, error) {
	d, err := s.Lookup(name)
	if err != nil {
		return "", nil, err
	}
	v, err := ParseFieldValue(d, text)
	return d.Name, v, err
}

// ParseFieldValue checks one value against a definition.
func ParseFieldValue(d apiclient.CustomFieldDef, text string) (any, error) {
	text = strings.TrimSpace(text)
	if text == "" {
		return nil, nil
	}
	bad := func(want string) error {
		return fmt.Errorf("custom field %q is of type %s: %q is not %s", d.Name, d.DataType, text, want)
	}
	switch d.DataType {
	case "number":
		n, err := strconv.ParseFloat(text, 64)
		if err != nil {
			return nil, bad("a number")
		}
		return n, nil
	case "checkbox":
		b, err := strconv.ParseBool(text)
		if err != nil {
			switch strings.ToLower(text) {
			case "yes", "y", "on":
				return true, nil
			case "no", "n", "off":
				return false, nil
			}
			return nil, bad("true or false")
		}
		return b, nil
	case "list":
		for _, a := range d.AllowedValues {
			if strings.EqualFold(a, text) {
				return a, nil
			}
		}
		return nil, fmt.Errorf("custom field %q: %q is not one of %s", d.Name, text, strings.Join(d.AllowedValues, ", "))
	case "email":
		if a, err := mail.ParseAddress(text); err != nil || a.Address != text {
			return nil, bad("an email address")
		}
	case "url":
		if !strings.HasPrefix(text, "http://") && !strings.HasPrefix(text, "https://") || strings.ContainsAny(text, " \t") {
			return nil, bad("an http(s) URL")
		}
	case "date":
		if _, err := time.Parse("2006-01-02", text); err != nil {
			return nil, bad("a date (YYYY-MM-DD)")
		}
	case "time":
		if _, err := time.Parse("15:04", text); err != nil {
			return nil, bad("a time (HH:MM)")
		}
	}
	return text, nil
}

// CheckTags refuses a tag request the platform would refuse: none, more than 10, an empty or
// over-long name.
func CheckTags(tags []string) error {
	switch {
	case len(tags) == 0:
		return fmt.Errorf("no tag given")
	case len(tags) > apiclient.MaxTagsPerRequest:
		return fmt.Errorf("at most %d tags at a time (got %d): the platform refuses more in one request", apiclient.MaxTagsPerRequest, len(tags))
	}
	for _, t := range tags {
		if strings.TrimSpace(t) == "" {
			return fmt.Errorf("tag names cannot be empty")
		}
		if len([]rune(t)) > 255 {
			return fmt.Errorf("tag %q is longer than 255 characters", t[:20]+"…")
		}
	}
	return nil
}
