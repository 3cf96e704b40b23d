package actions

import (
	"context"
	"time"

	"github.com/respondctl/respondctl/users"
)

// UserRef is a workspace user as the actions name it (the one type of package users).
type UserRef = users.User

// Platform is what the actions need from the API. It is satisfied by NewClientPlatform (the
// apiclient adapter) in production and by fakes in unit tests, and keeps the actions free of
// wire details. Identifiers are canonical ("id:123", "email:…", "phone:…").
type Platform interface {
	Contact(ctx context.Context, ident string) (Contact, error)
	ContactChannels(ctx context.Context, ident string) ([]ContactChannel, error)
	// Send posts one message on channelID (0: the channel the contact last used) and returns its id.
	// It runs ctx's before-send hook (apiclient.RunBeforeSend) immediately before the request is
	// written, and sends nothing if the hook fails: that is where a journaled run records the start.
	Send(ctx context.Context, ident string, channelID int64, message map[string]any) (int64, error)
	MessageStatuses(ctx context.Context, ident string, messageID int64) ([]MessageStatus, error)
	// Assign sets the conversation's assignee; userID 0 unassigns.
	Assign(ctx context.Context, ident string, userID int64) error
	SetStatus(ctx context.Context, ident string, change StatusChange) error
	// Comment adds an internal note. Like Send, it runs ctx's before-send hook immediately
	// before the request is written and sends nothing if the hook fails.
	Comment(ctx context.Context, ident, text string) error

	Users(ctx context.Context) ([]UserRef, error)
	ClosingNoteCategories(ctx context.Context) ([]string, error)
	Channels(ctx context.Context) ([]Channel, error)
	// HasExtension reports whether the server serves an EXT capability ("pending", "snooze"…).
	HasExtension(ctx context.Context, name string) (bool, error)
	// ViewTargets lists the identifiers of the contacts in a view, in the view's order, at most
	// limit of them (0: all).
	ViewTargets(ctx context.Context, view string, limit int) ([]string, error)
	// OpenConversations counts the open conversations assigned to a user (the --balance load).
	OpenConversations(ctx context.Context, userID int64) (int, error)
}

// Contact is the conversation state the actions read.
type Contact struct {
	ID           int64
	Name         string
	Status       string // open | close | pending | snoozed
	Assignee     *UserRef
	SnoozedUntil time.Time
}

// ContactChannel is one channel a contact talks on, with its message times (zero: never).
type ContactChannel struct {
	ID           int64
	Name         string
	Source       string
	LastMessage  time.Time
	LastIncoming time.Time
}

// Channel is a workspace channel.
type Channel struct {
	ID     int64
	Name   string
	Source string
}

// MessageStatus is one status an outgoing message reached; Reason is set on "failed".
type MessageStatus struct {
	Value  string
	At     time.Time
	Reason string
}

// StatusChange is a conversation status request: open, close (with Category and Summary),
// pending, or snooze (with SnoozeUntil).
type StatusChange struct {
	Status      string
	Category    string
	Summary     string
	SnoozeUntil time.Time
}

// Conversation statuses as the contract spells them.
const (
	StatusOpen    = "open"
	StatusClosed  = "close"
	StatusPending = "pending"
	StatusSnoozed = "snoozed"
	statusSnooze  = "snooze" // the request value; the contact then reads "snoozed"
)
