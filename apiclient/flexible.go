package apiclient

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strconv"
	"strings"
)

// Read liberally (docs/platform-api.md, "Tolerance rules"): the vendor's own
// clients show ids typed string | number. These types are used only inside
// UnmarshalJSON shadows, so the models keep plain string and int64 fields.

// flexString reads a JSON string, or a number kept as its literal text
// ("channelMessageId": 456 reads as "456"); null reads as "".
type flexString string

func (s *flexString) UnmarshalJSON(data []byte) error {
	data = bytes.TrimSpace(data)
	switch {
	case bytes.Equal(data, []byte("null")):
		*s = ""
		return nil
	case len(data) > 0 && data[0] == '"':
		var v string
		if err := json.Unmarshal(data, &v); err != nil {
			return err
		}
		*s = flexString(v)
		return nil
	}
	var n json.Number
	if err := json.Unmarshal(data, &n); err != nil {
		return &json.UnmarshalTypeError{Value: jsonKind(data), Type: reflect.TypeOf("")}
	}
	*s = flexString(n.String())
	return nil
}

// flexInt reads a JSON integer or a numeric string ("7"); null and "" read as 0.
type flexInt int64

func (n *flexInt) UnmarshalJSON(data []byte) error {
	data = bytes.TrimSpace(data)
	if bytes.Equal(data, []byte("null")) {
		*n = 0
		return nil
	}
	text := string(data)
	if len(data) > 0 && data[0] == '"' {
		if err := json.Unmarshal(data, &text); err != nil {
			return err
		}
		text = strings.TrimSpace(text)
		if text == "" {
			*n = 0
			return nil
		}
	}
	v, err := strconv.ParseInt(text, 10, 64)
	if err != nil {
		// 12.0 is an integer too, as JavaScript servers write it.
		f, ferr := strconv.ParseFloat(text, 64)
		if ferr != nil || f != float64(int64(f)) {
			return &json.UnmarshalTypeError{Value: jsonKind(data), Type: reflect.TypeOf(int64(0))}
		}
		v = int64(f)
	}
	*n = flexInt(v)
	return nil
}

// UnmarshalJSON reads channelMessageId as a string or a number (kept as a
// string) and the other ids as numbers or numeric strings.
func (m *Message) UnmarshalJSON(data []byte) error {
	type plain Message
	// Fast path: the ids are what the SDK types them as (numbers, a string channelMessageId),
	// as in nearly every message; only a message that says otherwise is read again liberally.
	if json.Unmarshal(data, (*plain)(m)) == nil {
		return nil
	}
	*m = Message{}
	var v struct {
		*plain
		MessageID        flexInt    `json:"messageId"`
		ChannelMessageID flexString `json:"channelMessageId"`
		ContactID        flexInt    `json:"contactId"`
		ChannelID        flexInt    `json:"channelId"`
	}
	v.plain = (*plain)(m)
	if err := json.Unmarshal(data, &v); err != nil {
		return err
	}
	m.MessageID, m.ChannelMessageID = int64(v.MessageID), string(v.ChannelMessageID)
	m.ContactID, m.ChannelID = int64(v.ContactID), int64(v.ChannelID)
	return nil
}

// UnmarshalJSON reads the sender's ids as numbers or numeric strings.
func (s *MessageSender) UnmarshalJSON(data []byte) error {
	type plain MessageSender
	if json.Unmarshal(data, (*plain)(s)) == nil { // fast path, as for Message
		return nil
	}
	*s = MessageSender{}
	var v struct {
		*plain
		UserID             flexInt `json:"userId"`
		TeamID             flexInt `json:"teamId"`
		WorkflowID         flexInt `json:"workflowId"`
		BroadcastHistoryID flexInt `json:"broadcastHistoryId"`
	}
	v.plain = (*plain)(s)
	if err := json.Unmarshal(data, &v); err != nil {
		return err
	}
	s.UserID, s.TeamID = int64(v.UserID), int64(v.TeamID)
	s.WorkflowID, s.BroadcastHistoryID = int64(v.WorkflowID), int64(v.BroadcastHistoryID)
	return nil
}

// UnmarshalJSON reads messageId as a number or a numeric string.
func (r *SendMessageResponse) UnmarshalJSON(data []byte) error {
	var v struct {
		MessageID flexInt `json:"messageId"`
	}
	if err := json.Unmarshal(data, &v); err != nil {
		return err
	}
	r.MessageID = int64(v.MessageID)
	return nil
}

// UnmarshalJSON reads contactId as a number or a numeric string.
func (c *Comment) UnmarshalJSON(data []byte) error {
	type plain Comment
	var v struct {
		*plain
		ContactID flexInt `json:"contactId"`
	}
	v.plain = (*plain)(c)
	if err := json.Unmarshal(data, &v); err != nil {
		return err
	}
	c.ContactID = int64(v.ContactID)
	return nil
}

// UnmarshalJSON reads the assignee's id as a number or a numeric string.
func (a *Assignee) UnmarshalJSON(data []byte) error {
	type plain Assignee
	var v struct {
		*plain
		ID flexInt `json:"id"`
	}
	v.plain = (*plain)(a)
	if err := json.Unmarshal(data, &v); err != nil {
		return err
	}
	a.ID = int64(v.ID)
	return nil
}

// jsonKind names the JSON type of a value for an *json.UnmarshalTypeError.
func jsonKind(data []byte) string {
	if len(data) == 0 {
		return "nothing"
	}
	switch data[0] {
	case '"':
		return "string"
	case '{':
		return "object"
	case '[':
		return "array"
	case 't', 'f':
		return "bool"
	}
	return "number " + oneLine(string(data), 20)
}
