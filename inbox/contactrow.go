package inbox

import (
	"context"
	"sort"
	"strings"
	"time"

	"github.com/respondctl/respondctl/apiclient"
	"github.com/respondctl/respondctl/window"
)

// ContactRow is a contact as `contacts list|search` print it (times in UTC).
type ContactRow struct {
	ID              int64        `json:"id"`
	Name            string       `json:"name"`
	FirstName       string       `json:"firstName"`
	LastName        string       `json:"lastName"`
	Phone           string       `json:"phone"`
	Email           string       `json:"email"`
	Status          string       `json:"status"`
	Assignee        *AssigneeRow `json:"assignee"`
	Lifecycle       string       `json:"lifecycle"`
	Tags            []string     `json:"tags"`
	Unread          *int         `json:"unread"`          // nil: unknown (core)
	LastMessageTime *time.Time   `json:"lastMessageTime"` // nil: unknown (core)
	// Channel and Windows are filled by `contacts list --window-closing-within` only. Windows
	// is "channels" in JSON, like the full list of `contacts show`: the same records.
	Channel string         `json:"channel,omitempty"`
	Windows []ChannelState `json:"channels,omitempty"`
	// AwaitingReply and Source are set on rows read from the inbox mirror: whether the open
	// conversation's last message is incoming, and "mirror".
	AwaitingReply *bool  `json:"awaitingReply,omitempty"`
	Source        string `json:"source,omitempty"`
}

// AssigneeRow is the user a conversation is assigned to.
type AssigneeRow struct {
	ID    int64  `json:"id"`
	Name  string `json:"name"`
	Email string `json:"email"`
}

// ChannelState is a contact's channel with its messaging window.
type ChannelState struct {
	ChannelID     int64      `json:"channelId"`
	Name          string     `json:"name"`
	Source        string     `json:"source"`
	LastMessage   *time.Time `json:"lastMessageTime"`
	LastIncoming  *time.Time `json:"lastIncomingMessageTime"`
	HasWindow     bool       `json:"hasWindow"`
	Open          bool       `json:"open"`
	TemplatesOnly bool       `json:"templatesOnly"` // now: the window is closed and only templates/tags may be sent
	ClosesAt      *time.Time `json:"closesAt"`      // null: closed, or no window on this channel
	ClosedAt      *time.Time `json:"closedAt"`      // null: open, or no window on this channel
	Description   string     `json:"description"`
	state         window.State
}

// NewContactRow converts an API contact.
func NewContactRow(c *apiclient.Contact) ContactRow {
	r := ContactRow{ID: c.ID, Name: ContactName(c), FirstName: c.FirstName, LastName: deref(c.LastName),
		Phone: deref(c.Phone), Email: deref(c.Email), Status: c.Status, Lifecycle: deref(c.Lifecycle),
		Tags: c.Tags, Unread: c.UnreadCount}
	if r.Tags == nil {
		r.Tags = []string{}
	}
	if a := c.Assignee; a != nil {
		r.Assignee = &AssigneeRow{ID: a.ID, Name: strings.TrimSpace(a.FirstName + " " + a.LastName), Email: a.Email}
	}
	r.LastMessageTime = unixPtr(c.LastMessageTime)
	return r
}

// ChannelStates lists a contact's channels with their messaging windows, most recently
// used first.
func (s *Session) ChannelStates(ctx context.Context, id apiclient.ContactIdentifier, now time.Time) ([]ChannelState, error) {
	list, err := Collect(ctx, s.Client.IterateContactChannels(id, 0))
	if err != nil {
		return nil, err
	}
	out := make([]ChannelState, 0, len(list))
	for _, ch := range list {
		var lastIn time.Time
		if ch.LastIncomingMessageTime != nil && *ch.LastIncomingMessageTime > 0 {
			lastIn = time.Unix(*ch.LastIncomingMessageTime, 0)
		}
		st := window.Evaluate(ch.Source, lastIn, now)
		cs := ChannelState{ChannelID: ch.ID, Name: ch.Name, Source: ch.Source, LastMessage: unixPtr(ch.LastMessageTime),
			LastIncoming: unixPtr(ch.LastIncomingMessageTime), HasWindow: st.HasWindow, Open: st.Open,
			TemplatesOnly: st.TemplatesOnly && !st.Open, Description: st.Describe(now), state: st}
		if !st.ClosesAt.IsZero() {
			t := st.ClosesAt.UTC()
			cs.ClosesAt = &t
		}
		if !st.ClosedAt.IsZero() {
			t := st.ClosedAt.UTC()
			cs.ClosedAt = &t
		}
		out = append(out, cs)
	}
	sort.SliceStable(out, func(i, j int) bool { return timeOf(out[i].LastMessage).After(timeOf(out[j].LastMessage)) })
	return out, nil
}

// ClosesWithin reports whether this channel's window is open and closes within d.
func (c ChannelState) ClosesWithin(now time.Time, d time.Duration) bool {
	return c.state.ClosesWithin(now, d)
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

func unixPtr(sec *int64) *time.Time {
	if sec == nil || *sec <= 0 {
		return nil
	}
	t := time.Unix(*sec, 0).UTC()
	return &t
}

func timeOf(t *time.Time) time.Time {
	if t == nil {
		return time.Time{}
	}
	return *t
}
