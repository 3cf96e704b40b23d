package webhook

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// Event types of the contract.
const (
	MessageReceived         = "message.received"
	MessageSent             = "message.sent"
	ContactCreated          = "contact.created"
	ContactUpdated          = "contact.updated"
	ContactTagUpdated       = "contact.tag.updated"
	ContactAssigneeUpdated  = "contact.assignee.updated"
	ContactLifecycleUpdated = "contact.lifecycle.updated"
	ConversationOpened      = "conversation.opened"
	ConversationClosed      = "conversation.closed"
	CommentCreated          = "comment.created"
	CallEnded               = "call.ended"
)

// Types lists every event type the contract documents.
var Types = []string{MessageReceived, MessageSent, ContactCreated, ContactUpdated, ContactTagUpdated,
	ContactAssigneeUpdated, ContactLifecycleUpdated, ConversationOpened, ConversationClosed, CommentCreated, CallEnded}

// Event is one parsed webhook. Parsing is tolerant: ids may be numbers or strings, times
// seconds or milliseconds, unknown fields are ignored, and a missing object is nil.
type Event struct {
	Type string // "" for the platform's test ping
	ID   string // event_id; when absent, "sha256:" and the body's hash (a resend dedups)
	// TimeMS is when the change happened (milliseconds) as far as the body says: a top-level
	// "timestamp", else the message's, the conversation's or the call's time; 0 when the body
	// carries none (contact.* events on the platform), and the receiver then uses arrival.
	TimeMS int64
	// Stamped: the body had a top-level "timestamp" (the sandbox sends one, in strictly
	// increasing milliseconds); TimeMS is then the change's own time, finer than any other.
	Stamped bool

	Contact      *Contact
	Message      *Message
	Channel      *Channel
	Conversation *Conversation
	Sender       *Sender
	User         *Person
	Call         map[string]any

	Tag          string // contact.tag.updated
	Action       string // contact.tag.updated: add|remove; contact.lifecycle.updated: update
	Lifecycle    *string
	OldLifecycle *string
	Text         string // comment.created
}

// Ping reports whether this is the platform's "Send test" ping (no event_type).
func (e *Event) Ping() bool { return e.Type == "" }

// Contact is the contact object of an event. Has* report which keys were present, so a
// partial object never clears what it does not mention.
type Contact struct {
	ID                                                     int64
	FirstName                                              string
	LastName, Phone, Email, Language, CountryCode, Profile *string
	Status                                                 string
	Assignee                                               *Person
	HasAssignee                                            bool
	Lifecycle                                              *string
	HasLifecycle                                           bool
	Tags                                                   []string
	HasTags                                                bool
	Fields                                                 []CustomField
	HasFields                                              bool
	CreatedAt                                              int64 // seconds
}

// CustomField is one custom field; Value is a string, float64, bool or nil.
type CustomField struct {
	Name  string `json:"name"`
	Value any    `json:"value"`
}

// Person is a user (an assignee, the closer, the sender).
type Person struct {
	ID        int64  `json:"id"`
	FirstName string `json:"firstName,omitempty"`
	LastName  string `json:"lastName,omitempty"`
	Email     string `json:"email,omitempty"`
}

// Name is the display name, or the email, or "".
func (p *Person) Name() string {
	if p == nil {
		return ""
	}
	if n := strings.TrimSpace(p.FirstName + " " + p.LastName); n != "" {
		return n
	}
	return p.Email
}

// Message is the message object (content nested as message.message).
type Message struct {
	ID               int64
	ChannelMessageID string
	ContactID        int64
	ChannelID        int64
	Traffic          string // incoming|outgoing (from the event type when absent)
	Type             string
	Text             string
	TimeMS           int64
	Body             json.RawMessage // the nested message.message as sent
}

// Channel is the channel object; Meta was sent as a JSON string (or an object).
type Channel struct {
	ID                        int64
	Name, Source              string
	Meta                      map[string]any
	LastMessageTimeMS         int64
	LastIncomingMessageTimeMS int64
}

// Sender says who sent an outgoing message.
type Sender struct {
	Source string
	UserID int64
}

// Conversation is the conversation object of conversation.opened/closed.
type Conversation struct {
	Source         string // opened: who opened it
	Category       string
	Summary        string
	ClosedBy       *Person
	ClosedBySource string
	OpenedMS       int64
	ClosedMS       int64
}

// ParseError is a body that is not a webhook at all.
type ParseError struct{ Msg string }

func (e *ParseError) Error() string { return "webhook: " + e.Msg }

// Parse reads one webhook body.
func Parse(body []byte) (*Event, error) {
	top, err := object(body)
	if err != nil {
		return nil, &ParseError{Msg: "body is not a JSON object"}
	}
	e := &Event{}
	if raw, ok := top["event_type"]; ok && !isNull(raw) {
		if err := json.Unmarshal(raw, &e.Type); err != nil {
			return nil, &ParseError{Msg: "event_type is not a string"}
		}
		e.Type = strings.ToLower(strings.TrimSpace(e.Type))
	}
	e.ID = flexString(top["event_id"])
	if e.ID == "" {
		sum := sha256.Sum256(body)
		e.ID = "sha256:" + hex.EncodeToString(sum[:16])
	}
	if e.Ping() {
		return e, nil
	}
	if raw, ok := top["contact"]; ok {
		e.Contact = parseContact(raw)
	}
	if raw, ok := top["message"]; ok {
		e.Message = parseMessage(raw, e.Type)
	}
	if raw, ok := top["channel"]; ok {
		e.Channel = parseChannel(raw)
	}
	if raw, ok := top["conversation"]; ok {
		e.Conversation = parseConversation(raw)
	}
	if raw, ok := top["sender"]; ok {
		if m, err := object(raw); err == nil {
			e.Sender = &Sender{Source: flexString(m["source"]), UserID: flexInt(m["userId"])}
		}
	}
	if raw, ok := top["user"]; ok {
		e.User = parsePerson(raw)
	}
	if raw, ok := top["call"]; ok {
		var m map[string]any
		if json.Unmarshal(raw, &m) == nil {
			e.Call = m
		}
	}
	e.Tag = flexString(top["tag"])
	e.Action = strings.ToLower(flexString(top["action"]))
	if raw, ok := top["lifecycle"]; ok {
		e.Lifecycle = optString(raw)
	}
	if raw, ok := top["oldLifecycle"]; ok {
		e.OldLifecycle = optString(raw)
	}
	e.Text = flexString(top["text"])
	if e.Contact == nil && e.Message != nil && e.Message.ContactID != 0 {
		e.Contact = &Contact{ID: e.Message.ContactID}
	}
	e.TimeMS = eventTime(top, e)
	return e, nil
}

// eventTime picks the most specific time the body carries.
func eventTime(top map[string]json.RawMessage, e *Event) int64 {
	if t := millis(flexInt(top["timestamp"])); t > 0 {
		e.Stamped = true
		return t
	}
	if e.Message != nil && e.Message.TimeMS > 0 {
		return e.Message.TimeMS
	}
	if c := e.Conversation; c != nil {
		if e.Type == ConversationClosed && c.ClosedMS > 0 {
			return c.ClosedMS
		}
		if c.OpenedMS > 0 {
			return c.OpenedMS
		}
	}
	if e.Call != nil {
		if t := millis(anyInt(e.Call["end_time"])); t > 0 {
			return t
		}
	}
	return millis(flexInt(top["created_at"]))
}

// Millis turns a time in seconds or milliseconds (values above 10^12) into milliseconds.
func millis(v int64) int64 {
	switch {
	case v <= 0:
		return 0
	case v > 1e12:
		return v
	}
	return v * 1000
}

var contactKeys = map[string]bool{"id": true, "firstName": true, "lastName": true, "phone": true, "email": true,
	"language": true, "profilePic": true, "countryCode": true, "status": true, "assignee": true, "lifecycle": true,
	"tags": true, "custom_fields": true, "created_at": true,
	// Known extras that are not custom fields.
	"locale": true, "isBlocked": true, "lastMessageTime": true, "unreadCount": true, "snoozedUntil": true,
	"contactId": true, "updated_at": true, "createdAt": true, "updatedAt": true}

func parseContact(raw json.RawMessage) *Contact {
	m, err := object(raw)
	if err != nil {
		return nil
	}
	c := &Contact{ID: flexInt(m["id"])}
	if c.ID == 0 {
		c.ID = flexInt(m["contactId"])
	}
	c.FirstName = flexString(m["firstName"])
	c.LastName, c.Phone, c.Email = optString(m["lastName"]), optString(m["phone"]), optString(m["email"])
	c.Language, c.CountryCode, c.Profile = optString(m["language"]), optString(m["countryCode"]), optString(m["profilePic"])
	c.Status = strings.ToLower(flexString(m["status"]))
	if raw, ok := m["assignee"]; ok {
		c.HasAssignee = true
		c.Assignee = parsePerson(raw)
	}
	if raw, ok := m["lifecycle"]; ok {
		c.HasLifecycle = true
		c.Lifecycle = optString(raw)
		if c.Lifecycle != nil && *c.Lifecycle == "" {
			c.Lifecycle = nil
		}
	}
	if raw, ok := m["tags"]; ok {
		c.HasTags = true
		c.Tags = parseTags(raw)
	}
	if raw, ok := m["custom_fields"]; ok {
		c.HasFields = true
		var list []map[string]json.RawMessage
		if json.Unmarshal(raw, &list) == nil {
			for _, f := range list {
				name := flexString(f["name"])
				if name == "" {
					continue
				}
				var v any
				if json.Unmarshal(f["value"], &v) != nil {
					v = nil
				}
				c.Fields = append(c.Fields, CustomField{Name: name, Value: scalar(v)})
			}
		} else {
			// {"order_id": "A-77"}: the flattened shape under the usual key.
			var obj map[string]any
			if json.Unmarshal(raw, &obj) == nil {
				for k, v := range obj {
					c.Fields = append(c.Fields, CustomField{Name: k, Value: scalar(v)})
				}
			}
		}
	}
	// Flattened custom fields: any other scalar key.
	for k, raw := range m {
		if contactKeys[k] {
			continue
		}
		var v any
		if json.Unmarshal(raw, &v) != nil {
			continue
		}
		switch v.(type) {
		case string, float64, bool, nil:
			c.HasFields = true
			c.Fields = append(c.Fields, CustomField{Name: k, Value: v})
		}
	}
	c.CreatedAt = millis(flexInt(m["created_at"])) / 1000
	return c
}

func scalar(v any) any {
	switch v.(type) {
	case string, float64, bool, nil:
		return v
	}
	b, _ := json.Marshal(v)
	return string(b)
}

func parseTags(raw json.RawMessage) []string {
	var list []json.RawMessage
	if json.Unmarshal(raw, &list) != nil {
		if s := flexString(raw); s != "" { // "vip,lead"
			list = nil
			for _, t := range strings.Split(s, ",") {
				if t = strings.TrimSpace(t); t != "" {
					b, _ := json.Marshal(t)
					list = append(list, b)
				}
			}
		}
	}
	out := []string{}
	for _, item := range list {
		name := flexString(item)
		if name == "" { // {"name": "vip"}
			if m, err := object(item); err == nil {
				name = flexString(m["name"])
			}
		}
		if name != "" {
			out = append(out, name)
		}
	}
	return out
}

func parsePerson(raw json.RawMessage) *Person {
	if isNull(raw) {
		return nil
	}
	if id := flexInt(raw); id != 0 { // a bare id
		return &Person{ID: id}
	}
	m, err := object(raw)
	if err != nil {
		return nil
	}
	p := &Person{ID: flexInt(m["id"]), FirstName: flexString(m["firstName"]), LastName: flexString(m["lastName"]), Email: flexString(m["email"])}
	if p.FirstName == "" && p.LastName == "" {
		p.FirstName = flexString(m["name"])
	}
	if p.ID == 0 && p.FirstName == "" && p.Email == "" {
		return nil // {"id": null, …}: closedBy of an automatic close
	}
	return p
}

func parseMessage(raw json.RawMessage, eventType string) *Message {
	m, err := object(raw)
	if err != nil {
		return nil
	}
	msg := &Message{ID: flexInt(m["messageId"]), ChannelMessageID: flexString(m["channelMessageId"]),
		ContactID: flexInt(m["contactId"]), ChannelID: flexInt(m["channelId"]),
		Traffic: strings.ToLower(flexString(m["traffic"])), TimeMS: millis(flexInt(m["timestamp"]))}
	if msg.ID == 0 {
		msg.ID = flexInt(m["id"])
	}
	if msg.Traffic == "" {
		switch eventType {
		case MessageReceived:
			msg.Traffic = "incoming"
		case MessageSent:
			msg.Traffic = "outgoing"
		}
	}
	if inner, ok := m["message"]; ok {
		if im, err := object(inner); err == nil {
			msg.Body = append(json.RawMessage(nil), bytes.TrimSpace(inner)...)
			msg.Type = flexString(im["type"])
			msg.Text = flexString(im["text"])
		} else if s := flexString(inner); s != "" { // a flat text message
			msg.Type, msg.Text = "text", s
			msg.Body, _ = json.Marshal(map[string]string{"type": "text", "text": s})
		}
	} else if t := flexString(m["type"]); t != "" { // content at the top of message
		msg.Type, msg.Text = t, flexString(m["text"])
		msg.Body, _ = json.Marshal(map[string]string{"type": t, "text": msg.Text})
	}
	if msg.TimeMS == 0 {
		if st, ok := m["status"]; ok { // outgoing: the first status time
			var list []map[string]json.RawMessage
			if json.Unmarshal(st, &list) == nil && len(list) > 0 {
				msg.TimeMS = millis(flexInt(list[0]["timestamp"]))
			}
		}
	}
	return msg
}

func parseChannel(raw json.RawMessage) *Channel {
	m, err := object(raw)
	if err != nil {
		return nil
	}
	ch := &Channel{ID: flexInt(m["id"]), Name: flexString(m["name"]), Source: flexString(m["source"]),
		LastMessageTimeMS: millis(flexInt(m["lastMessageTime"])), LastIncomingMessageTimeMS: millis(flexInt(m["lastIncomingMessageTime"]))}
	if meta, ok := m["meta"]; ok && !isNull(meta) {
		var obj map[string]any
		if json.Unmarshal(meta, &obj) != nil {
			var s string
			if json.Unmarshal(meta, &s) == nil && json.Unmarshal([]byte(s), &obj) != nil {
				obj = map[string]any{"raw": s}
			}
		}
		ch.Meta = obj
	}
	return ch
}

func parseConversation(raw json.RawMessage) *Conversation {
	m, err := object(raw)
	if err != nil {
		return nil
	}
	c := &Conversation{Source: strings.ToLower(flexString(m["source"])), Category: flexString(m["category"]),
		Summary: flexString(m["summary"]), ClosedBySource: strings.ToLower(flexString(m["closedBySource"])),
		OpenedMS: millis(flexInt(m["conversationOpenedAt"])), ClosedMS: millis(flexInt(m["closedTime"]))}
	if c.OpenedMS == 0 {
		c.OpenedMS = millis(flexInt(m["openedTime"]))
	}
	if c.Source == "" {
		c.Source = strings.ToLower(flexString(m["openedBySource"]))
	}
	if raw, ok := m["closedBy"]; ok {
		c.ClosedBy = parsePerson(raw)
	}
	return c
}

// object decodes a JSON object into its raw members.
func object(raw json.RawMessage) (map[string]json.RawMessage, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || raw[0] != '{' {
		return nil, errors.New("not an object")
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(raw, &m); err != nil {
		return nil, err
	}
	return m, nil
}

func isNull(raw json.RawMessage) bool {
	raw = bytes.TrimSpace(raw)
	return len(raw) == 0 || string(raw) == "null"
}

// flexString reads a string, or a number written as its decimal text; anything else is "".
func flexString(raw json.RawMessage) string {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 {
		return ""
	}
	switch raw[0] {
	case '"':
		var s string
		if json.Unmarshal(raw, &s) == nil {
			return s
		}
	case '-', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9':
		var n json.Number
		if json.Unmarshal(raw, &n) == nil {
			return n.String()
		}
	}
	return ""
}

func optString(raw json.RawMessage) *string {
	if isNull(raw) {
		return nil
	}
	s := flexString(raw)
	return &s
}

// flexInt reads an integer sent as a number or a numeric string; anything else is 0.
func flexInt(raw json.RawMessage) int64 {
	s := flexString(raw)
	if s == "" {
		return 0
	}
	if n, err := strconv.ParseInt(s, 10, 64); err == nil {
		return n
	}
	if f, err := strconv.ParseFloat(s, 64); err == nil && f >= -9e18 && f <= 9e18 {
		return int64(f)
	}
	return 0
}

func anyInt(v any) int64 {
	switch t := v.(type) {
	case float64:
		if t >= -9e18 && t <= 9e18 {
			return int64(t)
		}
	case string:
		return flexInt(json.RawMessage(strconv.Quote(t)))
	}
	return 0
}

// Summary is the one-line description `listen` prints for an event.
func (e *Event) Summary() string {
	if e.Ping() {
		return "test ping"
	}
	var b strings.Builder
	b.WriteString(e.Type)
	if e.Contact != nil && e.Contact.ID != 0 {
		fmt.Fprintf(&b, " contact=%d", e.Contact.ID)
	}
	switch e.Type {
	case MessageReceived, MessageSent:
		if e.Message != nil {
			fmt.Fprintf(&b, " message=%d type=%s", e.Message.ID, e.Message.Type)
		}
	case ContactAssigneeUpdated:
		if e.Contact != nil && e.Contact.Assignee != nil {
			fmt.Fprintf(&b, " assignee=%d", e.Contact.Assignee.ID)
		} else {
			b.WriteString(" assignee=none")
		}
	case ContactTagUpdated:
		fmt.Fprintf(&b, " %s=%q", e.Action, e.Tag)
	case ConversationClosed:
		if e.Conversation != nil && e.Conversation.Category != "" {
			fmt.Fprintf(&b, " category=%q", e.Conversation.Category)
		}
	}
	return b.String()
}
