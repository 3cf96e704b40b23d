package store

import "encoding/json"

// User is a workspace member.
type User struct {
	ID           int64
	FirstName    string
	LastName     string
	Email        string
	Role         string
	TeamID       *int64
	TeamName     string
	Restrictions []string
}

// Channel is a workspace channel.
type Channel struct {
	ID        int64
	Name      string
	Source    string
	CreatedAt int64
}

// ClosingNote is a closing-note category.
type ClosingNote struct {
	ID          int64
	Category    string
	Description *string
}

// View is a workspace custom view (EXT).
type View struct {
	ID       int64
	Name     string
	Filter   json.RawMessage
	Status   *string
	Assignee json.RawMessage // "none" | "any" | <userId> | null
}

// CustomField is one custom field; Value is JSON (string, number, bool or null).
type CustomField struct {
	Name  string
	Value json.RawMessage
}

// Contact is a contact with its conversation state.
type Contact struct {
	ID              int64
	FirstName       string
	LastName        *string
	Phone           *string
	Email           *string
	Language        *string
	ProfilePic      *string
	CountryCode     *string
	Status          string
	AssigneeID      *int64
	Assignee        *User
	Lifecycle       *string
	CreatedAt       int64
	LastMessageTime int64
	UnreadCount     int64
	SnoozedUntil    *int64
	Tags            []string
	Fields          []CustomField
}

// ContactChannel is a channel a contact has talked on.
type ContactChannel struct {
	ContactChannelID        int64
	ChannelID               int64
	Name                    string
	Source                  string
	Meta                    json.RawMessage
	LastMessageTime         *int64
	LastIncomingMessageTime *int64
	CreatedAt               int64
	RejectReason            *string
}

// Message is a stored message. Outgoing message statuses are derived from
// CreatedAt, FinalStatus and the channel source by the delivery simulation.
type Message struct {
	ID               int64
	ContactID        int64
	ChannelID        int64
	ChannelSource    string
	ChannelMessageID *string
	Traffic          string
	Body             json.RawMessage
	Sender           json.RawMessage
	CreatedAt        int64
	FinalStatus      *string
	FailReason       *string
}

// Event is a conversation event (EXT).
type Event struct {
	ID        int64
	ContactID int64
	Timestamp int64
	Category  string
	Action    string
	By        string
	ActorID   *int64
	ActorName *string
	Data      json.RawMessage
}

// Comment is an internal note.
type Comment struct {
	ID        int64
	ContactID int64
	Text      string
	CreatedAt int64
}

// AuditRow records one mutation request.
type AuditRow struct {
	ID        int64
	Time      int64
	Method    string
	Endpoint  string
	ContactID *int64
	Action    string
	Request   string
	Result    string
}

// Page selects a page of a list: Cursor is the id of the last item of the
// previous page (0 = first page; negative = the page before item -Cursor).
type Page struct {
	Cursor int64
	Limit  int
}

// keyset builds the WHERE/ORDER of an id-ordered list. reverse tells the
// caller to reverse the fetched rows (backward paging).
func keyset(col string, desc bool, cursor int64) (where string, args []any, order string, reverse bool) {
	switch {
	case cursor == 0:
		if desc {
			return "1=1", nil, col + " DESC", false
		}
		return "1=1", nil, col + " ASC", false
	case cursor > 0 && desc:
		return col + " < ?", []any{cursor}, col + " DESC", false
	case cursor > 0:
		return col + " > ?", []any{cursor}, col + " ASC", false
	case desc: // backward through a descending list: rows just above -cursor
		return col + " > ?", []any{-cursor}, col + " ASC", true
	default:
		return col + " < ?", []any{-cursor}, col + " DESC", true
	}
}

func reverseSlice[T any](s []T) {
	for i, j := 0, len(s)-1; i < j; i, j = i+1, j-1 {
		s[i], s[j] = s[j], s[i]
	}
}

// trimPage cuts the extra look-ahead row and reports whether more rows exist
// in the paging direction, then restores display order.
func trimPage[T any](rows []T, limit int, reverse bool) ([]T, bool) {
	more := len(rows) > limit
	if more {
		rows = rows[:limit]
	}
	if reverse {
		reverseSlice(rows)
	}
	return rows, more
}
