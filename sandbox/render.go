package sandbox

import (
	"encoding/json"

	"github.com/respondctl/respondctl/sandbox/store"
)

type userRef struct {
	ID        int64  `json:"id"`
	FirstName string `json:"firstName"`
	LastName  string `json:"lastName"`
	Email     string `json:"email"`
}

type customField struct {
	Name  string          `json:"name"`
	Value json.RawMessage `json:"value"`
}

// contactJSON is the Contact object; EXT fields are pointers so core-only
// mode can leave them out entirely.
type contactJSON struct {
	ID              int64         `json:"id"`
	FirstName       string        `json:"firstName"`
	LastName        *string       `json:"lastName"`
	Phone           *string       `json:"phone"`
	Email           *string       `json:"email"`
	Language        *string       `json:"language"`
	ProfilePic      *string       `json:"profilePic"`
	CountryCode     *string       `json:"countryCode"`
	Status          string        `json:"status"`
	Assignee        *userRef      `json:"assignee"`
	Lifecycle       *string       `json:"lifecycle"`
	Tags            []string      `json:"tags"`
	CustomFields    []customField `json:"custom_fields"`
	CreatedAt       int64         `json:"created_at"`
	LastMessageTime *int64        `json:"lastMessageTime,omitempty"`
	UnreadCount     *int64        `json:"unreadCount,omitempty"`
	SnoozedUntil    *nullableInt  `json:"snoozedUntil,omitempty"`
}

// nullableInt marshals as a number or null (a *nullableInt of nil is omitted).
type nullableInt struct{ v *int64 }

func (n nullableInt) MarshalJSON() ([]byte, error) {
	if n.v == nil {
		return []byte("null"), nil
	}
	return json.Marshal(*n.v)
}

func (s *Server) ext() bool { return !s.opts.CoreOnly }

func (s *Server) renderContact(c store.Contact) contactJSON {
	out := contactJSON{
		ID: c.ID, FirstName: c.FirstName, LastName: c.LastName, Phone: c.Phone, Email: c.Email, Language: c.Language,
		ProfilePic: c.ProfilePic, CountryCode: c.CountryCode, Status: c.Status, Lifecycle: c.Lifecycle,
		Tags: c.Tags, CreatedAt: c.CreatedAt,
	}
	if out.Tags == nil {
		out.Tags = []string{}
	}
	if c.Assignee != nil {
		out.Assignee = &userRef{ID: c.Assignee.ID, FirstName: c.Assignee.FirstName, LastName: c.Assignee.LastName, Email: c.Assignee.Email}
	}
	if len(c.Fields) > 0 {
		for _, f := range c.Fields {
			out.CustomFields = append(out.CustomFields, customField{Name: f.Name, Value: f.Value})
		}
	}
	if s.ext() {
		lmt, unread := c.LastMessageTime, c.UnreadCount
		out.LastMessageTime, out.UnreadCount, out.SnoozedUntil = &lmt, &unread, &nullableInt{v: c.SnoozedUntil}
	} else if out.Status == "pending" || out.Status == "snoozed" {
		// Core knows only open and close; states set earlier in EXT mode read as open.
		out.Status = "open"
	}
	return out
}

type messageJSON struct {
	MessageID        int64                 `json:"messageId"`
	ChannelMessageID any                   `json:"channelMessageId"` // string, number (Telegram, Viber, LINE) or null
	ContactID        int64                 `json:"contactId"`
	ChannelID        int64                 `json:"channelId"`
	Traffic          string                `json:"traffic"`
	Message          json.RawMessage       `json:"message"`
	Sender           json.RawMessage       `json:"sender,omitempty"`
	Status           []store.MessageStatus `json:"status,omitempty"`
	Timestamp        *int64                `json:"timestamp,omitempty"`
}

func (s *Server) renderMessage(m store.Message) messageJSON {
	out := messageJSON{MessageID: m.ID, ChannelMessageID: numericChannelMessageID(m.ChannelSource, m.ChannelMessageID), ContactID: m.ContactID, ChannelID: m.ChannelID,
		Traffic: m.Traffic, Message: m.Body}
	if m.Traffic == "outgoing" {
		out.Sender = m.Sender
		if out.Sender == nil {
			out.Sender = json.RawMessage(`{"source":"api"}`)
		}
		final, reason := "", ""
		if m.FinalStatus != nil {
			final = *m.FinalStatus
		}
		if m.FailReason != nil {
			reason = *m.FailReason
		}
		out.Status = store.Statuses(m.ChannelSource, m.CreatedAt, s.now().Unix(), final, reason)
	}
	if s.ext() {
		ts := m.CreatedAt
		out.Timestamp = &ts
	}
	return out
}

type userJSON struct {
	ID           int64     `json:"id"`
	FirstName    string    `json:"firstName"`
	LastName     string    `json:"lastName"`
	Email        string    `json:"email"`
	Role         string    `json:"role"`
	Team         *teamJSON `json:"team"`
	Restrictions []string  `json:"restrictions"`
}

type teamJSON struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
}

func renderUser(u store.User) userJSON {
	out := userJSON{ID: u.ID, FirstName: u.FirstName, LastName: u.LastName, Email: u.Email, Role: u.Role, Restrictions: u.Restrictions}
	if u.TeamID != nil {
		out.Team = &teamJSON{ID: *u.TeamID, Name: u.TeamName}
	}
	if out.Restrictions == nil {
		out.Restrictions = []string{}
	}
	return out
}

type channelJSON struct {
	ID        int64  `json:"id"`
	Name      string `json:"name"`
	Source    string `json:"source"`
	CreatedAt int64  `json:"created_at"`
}

type contactChannelJSON struct {
	ID                      int64           `json:"id"`
	Name                    string          `json:"name"`
	Source                  string          `json:"source"`
	ContactChannelID        int64           `json:"contactChannelId"`
	Meta                    json.RawMessage `json:"meta"`
	LastMessageTime         *int64          `json:"lastMessageTime"`
	LastIncomingMessageTime *int64          `json:"lastIncomingMessageTime"`
	CreatedAt               int64           `json:"created_at"`
}

type eventJSON struct {
	ID        int64           `json:"id"`
	ContactID int64           `json:"contactId"`
	Timestamp int64           `json:"timestamp"`
	Category  string          `json:"category"`
	Action    string          `json:"action"`
	By        string          `json:"by"`
	Actor     *actorJSON      `json:"actor"`
	Data      json.RawMessage `json:"data"`
}

type actorJSON struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
}

func renderEvent(e store.Event) eventJSON {
	out := eventJSON{ID: e.ID, ContactID: e.ContactID, Timestamp: e.Timestamp, Category: e.Category, Action: e.Action, By: e.By, Data: e.Data}
	if e.ActorID != nil {
		name := ""
		if e.ActorName != nil {
			name = *e.ActorName
		}
		out.Actor = &actorJSON{ID: *e.ActorID, Name: name}
	}
	return out
}
