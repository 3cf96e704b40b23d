package actions

import (
	"context"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/respondctl/respondctl/apiclient"
	"github.com/respondctl/respondctl/config"
	"github.com/respondctl/respondctl/inbox"
	"github.com/respondctl/respondctl/users"
)

// ClientPlatform adapts *apiclient.Client to Platform. It is safe for concurrent use (the bulk
// engine's workers share it, and with it the client's per-endpoint rate limiter).
type ClientPlatform struct {
	c            *apiclient.Client
	profileViews []config.View
	me           func(ctx context.Context) (*apiclient.User, error)
	users        *users.Directory

	mu      sync.Mutex
	session *inbox.Session
}

// NewClientPlatform wraps a client. profileViews are the profile's saved views (for --view) and
// me resolves the current user (for "me" and the Mine view); both may be nil.
func NewClientPlatform(c *apiclient.Client, profileViews []config.View, me func(ctx context.Context) (*apiclient.User, error)) *ClientPlatform {
	return &ClientPlatform{c: c, profileViews: profileViews, me: me, users: users.NewDirectory(users.ListAll(c))}
}

// WithUsers shares the run's listing of the workspace's users (the factory's), so resolving
// `--to` and the action's result labels list the users once.
func (p *ClientPlatform) WithUsers(d *users.Directory) *ClientPlatform {
	if d != nil {
		p.users = d
	}
	return p
}

func ident(s string) apiclient.ContactIdentifier { return apiclient.ContactIdentifier(s) }

func fromUnix(p *int64) time.Time {
	if p == nil || *p == 0 {
		return time.Time{}
	}
	return time.Unix(*p, 0).UTC()
}

func (p *ClientPlatform) Contact(ctx context.Context, id string) (Contact, error) {
	c, err := p.c.GetContact(ctx, ident(id))
	if err != nil {
		return Contact{}, err
	}
	out := Contact{ID: c.ID, Name: strings.TrimSpace(c.FirstName + " " + deref(c.LastName)), Status: c.Status,
		SnoozedUntil: fromUnix(c.SnoozedUntil)}
	if a := c.Assignee; a != nil {
		out.Assignee = &UserRef{ID: a.ID, Name: strings.TrimSpace(a.FirstName + " " + a.LastName), Email: a.Email}
	}
	return out, nil
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

func (p *ClientPlatform) ContactChannels(ctx context.Context, id string) ([]ContactChannel, error) {
	it := p.c.IterateContactChannels(ident(id), 0)
	var out []ContactChannel
	for it.Next(ctx) {
		ch := it.Item()
		out = append(out, ContactChannel{ID: ch.ID, Name: ch.Name, Source: ch.Source,
			LastMessage: fromUnix(ch.LastMessageTime), LastIncoming: fromUnix(ch.LastIncomingMessageTime)})
	}
	return out, it.Err()
}

func (p *ClientPlatform) Send(ctx context.Context, id string, channelID int64, message map[string]any) (int64, error) {
	body, err := apiclient.NewMessageBody(message)
	if err != nil {
		return 0, err
	}
	req := apiclient.SendMessageRequest{Message: body}
	if channelID != 0 {
		req.ChannelID = &channelID
	}
	resp, err := p.c.SendMessage(ctx, ident(id), req)
	if err != nil {
		return 0, err
	}
	return resp.MessageID, nil
}

func (p *ClientPlatform) MessageStatuses(ctx context.Context, id string, messageID int64) ([]MessageStatus, error) {
	m, err := p.c.GetMessage(ctx, ident(id), messageID)
	if err != nil {
		return nil, err
	}
	out := make([]MessageStatus, len(m.Status))
	for i, s := range m.Status {
		out[i] = MessageStatus{Value: s.Value, At: time.Unix(s.Timestamp, 0).UTC(), Reason: s.Message}
	}
	return out, nil
}

func (p *ClientPlatform) Assign(ctx context.Context, id string, userID int64) error {
	return p.c.SetAssignee(ctx, ident(id), apiclient.AssignUser(userID))
}

func (p *ClientPlatform) SetStatus(ctx context.Context, id string, ch StatusChange) error {
	req := apiclient.StatusRequest{Status: ch.Status}
	switch ch.Status {
	case StatusClosed:
		req.Category, req.Summary = &ch.Category, &ch.Summary
	case statusSnooze:
		until := ch.SnoozeUntil.Unix()
		req.SnoozeUntil = &until
	}
	return p.c.SetConversationStatus(ctx, ident(id), req)
}

func (p *ClientPlatform) Comment(ctx context.Context, id, text string) error {
	_, err := p.c.AddComment(ctx, ident(id), text)
	return err
}

// Users are the run's listing of the workspace's users (listed once, see WithUsers).
func (p *ClientPlatform) Users(ctx context.Context) ([]UserRef, error) {
	list, err := p.users.List(ctx)
	if err != nil {
		return nil, err
	}
	return users.FromAPIList(list), nil
}

func (p *ClientPlatform) ClosingNoteCategories(ctx context.Context) ([]string, error) {
	it := p.c.IterateClosingNotes(0)
	var out []string
	for it.Next(ctx) {
		out = append(out, it.Item().Category)
	}
	return out, it.Err()
}

func (p *ClientPlatform) Channels(ctx context.Context) ([]Channel, error) {
	it := p.c.IterateChannels(0)
	var out []Channel
	for it.Next(ctx) {
		ch := it.Item()
		out = append(out, Channel{ID: ch.ID, Name: ch.Name, Source: ch.Source})
	}
	return out, it.Err()
}

func (p *ClientPlatform) HasExtension(ctx context.Context, name string) (bool, error) {
	caps, err := p.c.Capabilities(ctx)
	if err != nil {
		return false, err
	}
	return caps.Has(name), nil
}

func (p *ClientPlatform) inboxSession(ctx context.Context) (*inbox.Session, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.session != nil {
		return p.session, nil
	}
	s, err := inbox.NewSession(ctx, p.c, p.profileViews, p.me)
	if err != nil {
		return nil, err
	}
	s.UseUsers(p.users)
	p.session = s
	return s, nil
}

// ViewTargets snapshots a view: its members' ids, listed once before the run starts.
func (p *ClientPlatform) ViewTargets(ctx context.Context, view string, limit int) ([]string, error) {
	s, err := p.inboxSession(ctx)
	if err != nil {
		return nil, err
	}
	v, err := inbox.ResolveView(ctx, s.ViewSources(), view)
	if err != nil {
		return nil, err
	}
	req, local := v.Request, func(*apiclient.Contact) bool { return true }
	if !s.HasCounts() {
		// A core-only server evaluates the core part; the rest is checked here.
		if req, err = v.CoreRequest(); err != nil {
			return nil, err
		}
		local = v.MatchLocally
	}
	var ids []string
	it := p.c.IterateContacts(req, 0)
	for it.Next(ctx) {
		c := it.Item()
		if !local(&c) {
			continue
		}
		ids = append(ids, apiclient.ContactID(c.ID).String())
		if limit > 0 && len(ids) >= limit {
			break
		}
	}
	return ids, it.Err()
}

// OpenConversations counts a user's open conversations: one EXT count request, or paging the
// core list filtered by assignee and status.
func (p *ClientPlatform) OpenConversations(ctx context.Context, userID int64) (int, error) {
	req := apiclient.ContactListRequest{Filter: &apiclient.Filter{And: []apiclient.Condition{
		apiclient.FieldCondition("status", apiclient.OpIsEqualTo, apiclient.StatusOpen),
		apiclient.FieldCondition("assigneeUserId", apiclient.OpIsEqualTo, strconv.FormatInt(userID, 10)),
	}}}
	if ok, err := p.HasExtension(ctx, apiclient.ExtCounts); err != nil {
		return 0, err
	} else if ok {
		c, err := p.c.CountContacts(ctx, req)
		if err != nil {
			return 0, err
		}
		return c.Count, nil
	}
	n := 0
	it := p.c.IterateContacts(req, 0)
	for it.Next(ctx) {
		c := it.Item()
		if c.Status == apiclient.StatusOpen && c.Assignee != nil && c.Assignee.ID == userID {
			n++
		}
	}
	return n, it.Err()
}
