package apiclient

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
)

// ContactWrite is the body of contact create, update, create-or-update and merge: only what
// is set is sent. Attrs maps a standard attribute (lastName, phone, email, language,
// profilePic, countryCode) to its new value; a nil value clears it.
type ContactWrite struct {
	FirstName    string
	Attrs        map[string]*string
	CustomFields []CustomField
}

// ContactAttributes are the standard attributes a ContactWrite may set besides firstName.
var ContactAttributes = []string{"lastName", "phone", "email", "language", "profilePic", "countryCode"}

// Empty reports whether the write changes nothing.
func (w ContactWrite) Empty() bool {
	return w.FirstName == "" && len(w.Attrs) == 0 && len(w.CustomFields) == 0
}

// wire is the JSON object of the write, with extra keys (merge's contactIds).
func (w ContactWrite) wire(extra map[string]any) map[string]any {
	m := map[string]any{}
	for k, v := range extra {
		m[k] = v
	}
	if w.FirstName != "" {
		m["firstName"] = w.FirstName
	}
	for k, v := range w.Attrs {
		if v == nil {
			m[k] = nil
		} else {
			m[k] = *v
		}
	}
	if len(w.CustomFields) > 0 {
		m["custom_fields"] = w.CustomFields
	}
	return m
}

// MarshalJSON sends the write as the contract's flat object.
func (w ContactWrite) MarshalJSON() ([]byte, error) { return json.Marshal(w.wire(nil)) }

// CustomFieldDef is a workspace custom-field definition.
type CustomFieldDef struct {
	ID            int64         `json:"id"`
	Name          string        `json:"name"`
	Slug          string        `json:"slug"`
	Description   *string       `json:"description"`
	DataType      string        `json:"dataType"` // text | list | checkbox | email | number | url | date | time
	AllowedValues AllowedValues `json:"allowedValues"`
}

// CustomFieldDataTypes are the data types of custom fields.
var CustomFieldDataTypes = []string{"text", "list", "checkbox", "email", "number", "url", "date", "time"}

// AllowedValues are a list field's values; read from a bare array or {"listValues": [...]}.
type AllowedValues []string

// UnmarshalJSON accepts both shapes the vendor's clients show, and null.
func (a *AllowedValues) UnmarshalJSON(data []byte) error {
	data = bytes.TrimSpace(data)
	switch {
	case len(data) == 0 || string(data) == "null":
		*a = nil
		return nil
	case data[0] == '{':
		var v struct {
			ListValues []string `json:"listValues"`
		}
		if err := json.Unmarshal(data, &v); err != nil {
			return err
		}
		*a = v.ListValues
		return nil
	}
	var v []string
	if err := json.Unmarshal(data, &v); err != nil {
		return err
	}
	*a = v
	return nil
}

// CreateCustomFieldRequest is the body of POST /space/custom_field.
type CreateCustomFieldRequest struct {
	Name          string   `json:"name"`
	Slug          string   `json:"slug,omitempty"`
	Description   string   `json:"description,omitempty"`
	DataType      string   `json:"dataType"`
	AllowedValues []string `json:"allowedValues,omitempty"`
}

// Tag is a workspace tag.
type Tag struct {
	ID          int64   `json:"id"`
	Name        string  `json:"name"`
	Description *string `json:"description"`
	ColorCode   *string `json:"colorCode"`
	Emoji       *string `json:"emoji"`
}

// TagRequest creates (Name) or updates (CurrentName, and Name to rename) a workspace tag.
type TagRequest struct {
	CurrentName string `json:"currentName,omitempty"`
	Name        string `json:"name,omitempty"`
	Description string `json:"description,omitempty"`
	ColorCode   string `json:"colorCode,omitempty"`
	Emoji       string `json:"emoji,omitempty"`
}

// WhatsAppTemplate is a WhatsApp message template of a channel.
type WhatsAppTemplate struct {
	ID           FlexID             `json:"id"`
	Name         string             `json:"name"`
	LanguageCode string             `json:"languageCode"`
	Category     string             `json:"category"`
	Status       string             `json:"status"` // APPROVED | PENDING | REJECTED | PAUSED | DISABLED
	Namespace    string             `json:"namespace"`
	Components   TemplateComponents `json:"components"`
	ChannelID    FlexID             `json:"channelId"`
}

// Approved reports whether the template may be sent.
func (t WhatsAppTemplate) Approved() bool { return strings.EqualFold(t.Status, "APPROVED") }

// FlexID is an id that arrives as a number or a numeric string.
type FlexID int64

// UnmarshalJSON reads 12, "12" or null.
func (f *FlexID) UnmarshalJSON(data []byte) error {
	s := strings.Trim(string(bytes.TrimSpace(data)), `"`)
	if s == "" || s == "null" {
		*f = 0
		return nil
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return fmt.Errorf("id %s is not a number", data)
	}
	*f = FlexID(n)
	return nil
}

// TemplateComponent is one part of a template: HEADER (format TEXT, IMAGE, VIDEO, DOCUMENT),
// BODY (text with {{1}} placeholders), FOOTER or BUTTONS.
type TemplateComponent struct {
	Type    string           `json:"type"`
	Format  string           `json:"format,omitempty"`
	Text    string           `json:"text,omitempty"`
	Buttons []TemplateButton `json:"buttons,omitempty"`
}

// TemplateButton is a button of a BUTTONS component.
type TemplateButton struct {
	Type        string `json:"type"` // QUICK_REPLY | URL | PHONE_NUMBER
	Text        string `json:"text"`
	URL         string `json:"url,omitempty"`
	PhoneNumber string `json:"phone_number,omitempty"`
}

// TemplateComponents reads components as an array or as a JSON string holding one (the n8n
// node's mtm endpoints).
type TemplateComponents []TemplateComponent

// UnmarshalJSON accepts an array, a string holding an array, or null.
func (c *TemplateComponents) UnmarshalJSON(data []byte) error {
	data = bytes.TrimSpace(data)
	if len(data) > 0 && data[0] == '"' {
		var s string
		if err := json.Unmarshal(data, &s); err != nil {
			return err
		}
		data = []byte(s)
		if strings.TrimSpace(s) == "" {
			*c = nil
			return nil
		}
	}
	if string(data) == "null" {
		*c = nil
		return nil
	}
	var v []TemplateComponent
	if err := json.Unmarshal(data, &v); err != nil {
		return err
	}
	*c = v
	return nil
}

// Body returns the BODY text ("" when none).
func (c TemplateComponents) Body() string {
	for _, x := range c {
		if strings.EqualFold(x.Type, "BODY") {
			return x.Text
		}
	}
	return ""
}

// HeaderMedia returns the header's media format (IMAGE, VIDEO, DOCUMENT), "" for text or none.
func (c TemplateComponents) HeaderMedia() string {
	for _, x := range c {
		if strings.EqualFold(x.Type, "HEADER") {
			if f := strings.ToUpper(x.Format); f == "IMAGE" || f == "VIDEO" || f == "DOCUMENT" {
				return f
			}
		}
	}
	return ""
}

// BodyParams is the number of {{n}} parameters the body takes (its highest n).
func (c TemplateComponents) BodyParams() int {
	body, max := c.Body(), 0
	for {
		i := strings.Index(body, "{{")
		if i < 0 {
			return max
		}
		j := strings.Index(body[i:], "}}")
		if j < 0 {
			return max
		}
		if n, err := strconv.Atoi(strings.TrimSpace(body[i+2 : i+j])); err == nil && n > max {
			max = n
		}
		body = body[i+j+2:]
	}
}

// mtmTemplate is GET /space/mtm/{id}: {"status", "message", "data": {template…}}.
type mtmTemplate struct {
	Data WhatsAppTemplate `json:"data"`
}

// ContactIDResponse is the {"contactId": N} answer of contact writes.
type ContactIDResponse struct {
	ContactID FlexID `json:"contactId"`
}
