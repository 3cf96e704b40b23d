// Package inbox is the read side of respondctl: views and their counts, contact rows,
// conversation history (messages and events merged in time order) and the plain-words
// descriptions of senders, bodies and events. Commands in commands/{views,contacts,
// conversation,message} are thin wrappers around it.
package inbox

import (
	"fmt"
	"time"
)

// Kinds of history items, as in the "kind" field of -o json.
const (
	KindMessage = "message"
	KindEvent   = "event"
	// KindStatus is a status change of an earlier message, printed by --follow.
	KindStatus = "status"
)

// HistoryItem is one entry of a conversation: a message, an event or (with --follow) a
// status change of an earlier message. Exactly one of Message, Event and StatusChange is
// set. Its JSON form is the typed item of `conversation show -o json`.
type HistoryItem struct {
	Kind         string
	Message      *MessageItem
	Event        *EventItem
	StatusChange *StatusChange
	// sortTime orders items; for a core message without a time it is borrowed from a neighbour.
	sortTime time.Time
}

// Time is when the item happened (zero for a core incoming message, whose time is unknown).
func (h HistoryItem) Time() time.Time {
	if h.Message != nil {
		return h.Message.Time()
	}
	if h.Event != nil {
		return h.Event.Timestamp
	}
	if h.StatusChange != nil {
		return h.StatusChange.Time
	}
	return time.Time{}
}

// MarshalJSON flattens the item: {"kind":"message", …message fields} or {"kind":"event", …}.
func (h HistoryItem) MarshalJSON() ([]byte, error) {
	switch {
	case h.Message != nil:
		return marshalWithKind(KindMessage, h.Message)
	case h.StatusChange != nil:
		return marshalWithKind(KindStatus, h.StatusChange)
	}
	return marshalWithKind(KindEvent, h.Event)
}

// MarshalCompactJSON is MarshalJSON: its output is json.Marshal's, compact and valid, so
// -o jsonl writes it without re-validating it (output.CompactMarshaler).
func (h HistoryItem) MarshalCompactJSON() ([]byte, error) { return h.MarshalJSON() }

// StatusChange is a message that reached a new status after it was printed:
// "message 88001 delivered → read".
type StatusChange struct {
	MessageID int64     `json:"messageId"`
	ContactID int64     `json:"contactId"`
	From      string    `json:"from"`
	To        string    `json:"to"`
	Time      time.Time `json:"time"`
	Reason    string    `json:"reason,omitempty"` // why it failed
}

// Text says it in words.
func (c *StatusChange) Text() string {
	s := fmt.Sprintf("message %d %s → %s", c.MessageID, c.From, c.To)
	if c.Reason != "" {
		s += ": " + oneLine(c.Reason)
	}
	return s
}

// MessageItem is a message as respondctl prints it: times in UTC, names resolved.
type MessageItem struct {
	ID               int64          `json:"id"`
	ContactID        int64          `json:"contactId"`
	Timestamp        *time.Time     `json:"time"`       // nil: unknown (core, incoming)
	TimeSource       string         `json:"timeSource"` // "message" | "status" | "unknown"
	Direction        string         `json:"direction"`  // incoming | outgoing
	ChannelID        int64          `json:"channelId"`
	Channel          string         `json:"channel"`          // channel name ("" when unknown)
	ChannelMessageID string         `json:"channelMessageId"` // "" when the channel gave none
	Via              string         `json:"via"`              // contact name, user name, Workflow, API…
	Sender           *MessageSender `json:"sender"`           // nil for incoming
	Type             string         `json:"type"`
	Summary          string         `json:"summary"`                 // type-aware one-line body
	Body             map[string]any `json:"body"`                    // the API's message object, verbatim
	Status           string         `json:"status"`                  // latest status; "" for incoming messages
	FailureReason    string         `json:"failureReason,omitempty"` // only when status is failed
	Statuses         []StatusItem   `json:"statuses"`
}

// Time is the message's time, or the zero time when unknown.
func (m *MessageItem) Time() time.Time {
	if m == nil || m.Timestamp == nil {
		return time.Time{}
	}
	return *m.Timestamp
}

// MessageSender is who or what sent an outgoing message.
type MessageSender struct {
	Source             string `json:"source"`
	UserID             int64  `json:"userId,omitempty"`
	UserName           string `json:"userName,omitempty"`
	TeamID             int64  `json:"teamId,omitempty"`
	WorkflowID         int64  `json:"workflowId,omitempty"`
	BroadcastHistoryID int64  `json:"broadcastHistoryId,omitempty"`
}

// StatusItem is one status a message reached.
type StatusItem struct {
	Value  string    `json:"value"`
	Time   time.Time `json:"time"`
	Reason string    `json:"reason,omitempty"`
}

// EventItem is a conversation event (EXT) with its plain-words description.
type EventItem struct {
	ID        int64          `json:"id"`
	ContactID int64          `json:"contactId"`
	Timestamp time.Time      `json:"time"`
	Category  string         `json:"category"`
	Action    string         `json:"action"`
	By        string         `json:"by"`
	Actor     *EventActor    `json:"actor"`
	Data      map[string]any `json:"data"`
	Text      string         `json:"text"`
}

// EventActor is the user (or bot, workflow…) behind an event.
type EventActor struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
}
