package apiclient

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
)

// User is a workspace member.
type User struct {
	ID           int64    `json:"id"`
	FirstName    string   `json:"firstName"`
	LastName     string   `json:"lastName"`
	Email        string   `json:"email"`
	Role         string   `json:"role"` // agent | manager | owner
	Team         *Team    `json:"team"`
	Restrictions []string `json:"restrictions"`
}

// Team is a group of users.
type Team struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
}

// Channel is a workspace channel.
type Channel struct {
	ID        int64  `json:"id"`
	Name      string `json:"name"`
	Source    string `json:"source"`
	CreatedAt int64  `json:"created_at"`
}

// ClosingNote is a closing-note category.
type ClosingNote struct {
	Category    string  `json:"category"`
	Description *string `json:"description"`
}

// View is a workspace custom view (EXT).
type View struct {
	ID       int64        `json:"id"`
	Name     string       `json:"name"`
	Filter   *Filter      `json:"filter"`
	Status   *string      `json:"status"`
	Assignee ViewAssignee `json:"assignee"`
}

// ViewAssignee is a view's assignee constraint: "none", "any", a user id, or
// nothing (Kind "").
type ViewAssignee struct {
	Kind   string // "" | "none" | "any" | "user"
	UserID int64  // when Kind is "user"
}

// View assignee kinds.
const (
	ViewAssigneeNone = "none"
	ViewAssigneeAny  = "any"
	ViewAssigneeUser = "user"
)

// UnmarshalJSON accepts null, "none", "any", a number or a numeric string.
func (a *ViewAssignee) UnmarshalJSON(data []byte) error {
	data = bytes.TrimSpace(data)
	*a = ViewAssignee{}
	if bytes.Equal(data, []byte("null")) {
		return nil
	}
	var s string
	if json.Unmarshal(data, &s) == nil {
		switch s {
		case "", ViewAssigneeNone, ViewAssigneeAny:
			a.Kind = s
			return nil
		}
		data = []byte(s)
	}
	n, err := strconv.ParseInt(string(data), 10, 64)
	if err != nil {
		return fmt.Errorf("view assignee: want \"none\", \"any\", a user id or null, got %s", oneLine(string(data), 40))
	}
	a.Kind, a.UserID = ViewAssigneeUser, n
	return nil
}

// MarshalJSON writes the wire form back.
func (a ViewAssignee) MarshalJSON() ([]byte, error) {
	switch a.Kind {
	case "":
		return []byte("null"), nil
	case ViewAssigneeUser:
		return []byte(strconv.FormatInt(a.UserID, 10)), nil
	}
	return json.Marshal(a.Kind)
}

// Event is a conversation event (EXT).
type Event struct {
	ID        int64          `json:"id"`
	ContactID int64          `json:"contactId"`
	Timestamp int64          `json:"timestamp"`
	Category  string         `json:"category"`
	Action    string         `json:"action"`
	By        string         `json:"by"`
	Actor     *EventActor    `json:"actor"`
	Data      map[string]any `json:"data"`
}

// EventActor is who caused an event.
type EventActor struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
}

// Capabilities lists the server's extensions; empty on a core-only server.
type Capabilities struct {
	Extensions []string `json:"extensions"`
}

// Extension names.
const (
	ExtCounts          = "counts"
	ExtViews           = "views"
	ExtEvents          = "events"
	ExtPending         = "pending"
	ExtSnooze          = "snooze"
	ExtLastMessageTime = "lastMessageTime"
	ExtMessageTime     = "messageTime"
)

// Has reports whether the server has extension ext.
func (c Capabilities) Has(ext string) bool { return slices.Contains(c.Extensions, ext) }
