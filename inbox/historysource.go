package inbox

import (
	"context"
	"time"

	"github.com/respondctl/respondctl/apiclient"
	"github.com/respondctl/respondctl/users"
)

// HistoryRequest names the conversation to read.
type HistoryRequest struct {
	Contact     apiclient.ContactIdentifier
	ContactName string                 // shown as the sender of incoming messages
	ChannelID   int64                  // 0: every channel
	PageSize    int                    // 0 or over 100: 100
	Clock       func(time.Time) string // formats times inside event texts ("Tue 14:00")
	// ReadAhead requests the next page while the current one is printed: for reading the
	// whole conversation (--all), where no page fetched ahead is wasted.
	ReadAhead bool
	// MirrorEvents (newest first) stand in for the events extension on a server without it:
	// the inbox mirror's events of this contact.
	MirrorEvents []apiclient.Event
}

// History returns the conversation newest first: messages merged with events when the
// server has the events extension. Users and channels are fetched once to name senders.
func (s *Session) History(ctx context.Context, r HistoryRequest) (ItemIterator, error) {
	conv, err := s.converter(ctx, r)
	if err != nil {
		return nil, err
	}
	iterEvents, iterMessages := s.Client.IterateEvents, s.Client.IterateMessages
	if r.ReadAhead {
		iterEvents, iterMessages = s.Client.IterateEventsAhead, s.Client.IterateMessagesAhead
	}
	var events ItemIterator
	if s.HasEvents() {
		events = &convertedItems[apiclient.Event]{it: iterEvents(r.Contact, r.PageSize),
			convert: func(e *apiclient.Event) HistoryItem { return HistoryItem{Kind: KindEvent, Event: conv.Event(e)} }}
	} else if r.MirrorEvents != nil {
		items := make([]HistoryItem, len(r.MirrorEvents))
		for i := range r.MirrorEvents {
			items[i] = HistoryItem{Kind: KindEvent, Event: conv.Event(&r.MirrorEvents[i])}
		}
		events = &sliceItems{items: items, idx: -1}
	}
	msgs := &convertedItems[apiclient.Message]{it: iterMessages(r.Contact, r.ChannelID, r.PageSize),
		convert: func(m *apiclient.Message) HistoryItem {
			return HistoryItem{Kind: KindMessage, Message: conv.Message(m)}
		}}
	return MergeNewestFirst(msgs, events), nil
}

// Converter turns API messages and events into printable items (names resolved).
type Converter struct {
	users       map[int64]apiclient.User
	channels    map[int64]apiclient.Channel
	contactName string
	clock       func(time.Time) string
}

func (s *Session) converter(ctx context.Context, r HistoryRequest) (*Converter, error) {
	users, err := s.Users(ctx)
	if err != nil {
		return nil, err
	}
	channels, err := s.Channels(ctx)
	if err != nil {
		return nil, err
	}
	clock := r.Clock
	if clock == nil {
		clock = func(t time.Time) string { return t.UTC().Format(time.RFC3339) }
	}
	return &Converter{users: users, channels: channels, contactName: r.ContactName, clock: clock}, nil
}

// NewConverter is for callers (message show) that convert single items.
func (s *Session) NewConverter(ctx context.Context, contactName string, clock func(time.Time) string) (*Converter, error) {
	return s.converter(ctx, HistoryRequest{ContactName: contactName, Clock: clock})
}

// Message converts one API message.
func (c *Converter) Message(m *apiclient.Message) *MessageItem {
	item := &MessageItem{
		ID: m.MessageID, ContactID: m.ContactID, Direction: m.Traffic, ChannelID: m.ChannelID,
		ChannelMessageID: m.ChannelMessageID, Type: m.Message.Type, Statuses: []StatusItem{},
	}
	if ch, ok := c.channels[m.ChannelID]; ok {
		item.Channel = ch.Name
	}
	item.Body = m.Message.Fields()
	if item.Body == nil {
		item.Body = map[string]any{"type": m.Message.Type}
	}
	item.Summary = DescribeBody(item.Body)
	for _, st := range m.Status {
		item.Statuses = append(item.Statuses, StatusItem{Value: st.Value, Time: time.Unix(st.Timestamp, 0).UTC(), Reason: st.Message})
	}
	if n := len(item.Statuses); n > 0 {
		latest := item.Statuses[n-1]
		item.Status = latest.Value
		if latest.Value == "failed" {
			item.FailureReason = latest.Reason
		}
	}
	switch {
	case m.Timestamp != nil && *m.Timestamp > 0:
		t := time.Unix(*m.Timestamp, 0).UTC()
		item.Timestamp, item.TimeSource = &t, "message"
	case len(item.Statuses) > 0:
		// Core: an outgoing message's time is its first status.
		t := item.Statuses[0].Time
		item.Timestamp, item.TimeSource = &t, "status"
	default:
		item.TimeSource = "unknown"
	}
	var userName string
	if m.Sender != nil {
		item.Sender = &MessageSender{Source: m.Sender.Source, UserID: m.Sender.UserID, TeamID: m.Sender.TeamID,
			WorkflowID: m.Sender.WorkflowID, BroadcastHistoryID: m.Sender.BroadcastHistoryID}
		if u, ok := c.users[m.Sender.UserID]; ok && m.Sender.UserID != 0 {
			userName = users.FromAPI(u).Label()
			item.Sender.UserName = userName
		}
	}
	source := ""
	if m.Sender != nil {
		source = m.Sender.Source
	}
	item.Via = DescribeVia(m.Traffic, source, userName, c.contactName)
	return item
}

// Event converts one API event.
func (c *Converter) Event(e *apiclient.Event) *EventItem {
	item := &EventItem{ID: e.ID, ContactID: e.ContactID, Timestamp: time.Unix(e.Timestamp, 0).UTC(),
		Category: e.Category, Action: e.Action, By: e.By, Data: e.Data}
	if e.Actor != nil {
		item.Actor = &EventActor{ID: e.Actor.ID, Name: e.Actor.Name}
	}
	if item.Data == nil {
		item.Data = map[string]any{}
	}
	item.Text = DescribeEvent(item, c.clock)
	return item
}

// convertedItems walks an API list (messages or events) as history items.
type convertedItems[T any] struct {
	it      *apiclient.Iterator[T]
	convert func(*T) HistoryItem
	cur     HistoryItem
}

func (c *convertedItems[T]) Next(ctx context.Context) bool {
	if !c.it.Next(ctx) {
		return false
	}
	v := c.it.Item()
	c.cur = c.convert(&v)
	return true
}
func (c *convertedItems[T]) Item() HistoryItem { return c.cur }
func (c *convertedItems[T]) Err() error        { return c.it.Err() }

// sliceItems walks items already in memory.
type sliceItems struct {
	items []HistoryItem
	idx   int
}

func (s *sliceItems) Next(context.Context) bool { s.idx++; return s.idx < len(s.items) }
func (s *sliceItems) Item() HistoryItem         { return s.items[s.idx] }
func (s *sliceItems) Err() error                { return nil }
