package actions

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/respondctl/respondctl/apiclient"
)

var testUsers = []UserRef{
	{ID: 7, Name: "Lee Wong", Email: "lee@example.com"},
	{ID: 8, Name: "Alice Tan", Email: "alice.tan@example.com"},
	{ID: 9, Name: "Alice Brown", Email: "abrown@example.com"},
	{ID: 10, Name: "Bob Lim", Email: "bob@example.com"},
	{ID: 11, Name: "Lee Wongsa", Email: "lws@example.com"},
}

// fakePlatform is an in-memory Platform for unit tests.
type fakePlatform struct {
	mu         sync.Mutex
	contacts   map[string]*Contact
	channels   map[string][]ContactChannel
	users      []UserRef
	categories []string
	wsChannels []Channel
	exts       map[string]bool
	views      map[string][]string
	loads      map[int64]int
	statuses   map[int64][][]MessageStatus // successive answers per message id
	sent       []sentMessage
	comments   map[string][]string
	sendErr    error
	nextMsg    int64
}

type sentMessage struct {
	ident     string
	channelID int64
	message   map[string]any
}

func newFake() *fakePlatform {
	return &fakePlatform{
		contacts: map[string]*Contact{}, channels: map[string][]ContactChannel{},
		exts: map[string]bool{}, views: map[string][]string{}, loads: map[int64]int{},
		statuses: map[int64][][]MessageStatus{}, comments: map[string][]string{}, nextMsg: 88000,
		users: testUsers,
	}
}

// lookup finds a contact as the platform would; callers hold f.mu.
func (f *fakePlatform) lookup(ident string) (*Contact, error) {
	c, ok := f.contacts[ident]
	if !ok {
		return nil, fmt.Errorf("contact %s not found", ident)
	}
	return c, nil
}

func (f *fakePlatform) Contact(_ context.Context, ident string) (Contact, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	c, err := f.lookup(ident)
	if err != nil {
		return Contact{}, err
	}
	return *c, nil
}

func (f *fakePlatform) ContactChannels(_ context.Context, ident string) ([]ContactChannel, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.channels[ident], nil
}

func (f *fakePlatform) Send(ctx context.Context, ident string, channelID int64, m map[string]any) (int64, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := apiclient.RunBeforeSend(ctx); err != nil {
		return 0, err
	}
	if f.sendErr != nil {
		return 0, f.sendErr
	}
	f.sent = append(f.sent, sentMessage{ident, channelID, m})
	f.nextMsg++
	return f.nextMsg, nil
}

func (f *fakePlatform) MessageStatuses(_ context.Context, _ string, id int64) ([]MessageStatus, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	seq := f.statuses[id]
	if len(seq) == 0 {
		return nil, nil
	}
	s := seq[0]
	if len(seq) > 1 {
		f.statuses[id] = seq[1:]
	}
	return s, nil
}

func (f *fakePlatform) Assign(_ context.Context, ident string, userID int64) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	c, err := f.lookup(ident)
	if err != nil {
		return err
	}
	c.Assignee = nil
	for _, u := range f.users {
		if u.ID == userID {
			u := u
			c.Assignee = &u
		}
	}
	return nil
}

func (f *fakePlatform) SetStatus(_ context.Context, ident string, ch StatusChange) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	c, err := f.lookup(ident)
	if err != nil {
		return err
	}
	c.Status = ch.Status
	if ch.Status == statusSnooze {
		c.Status = StatusSnoozed
		c.SnoozedUntil = ch.SnoozeUntil
	}
	return nil
}

func (f *fakePlatform) Comment(ctx context.Context, ident, text string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := apiclient.RunBeforeSend(ctx); err != nil {
		return err
	}
	f.comments[ident] = append(f.comments[ident], text)
	return nil
}

func (f *fakePlatform) Users(context.Context) ([]UserRef, error) { return f.users, nil }
func (f *fakePlatform) ClosingNoteCategories(context.Context) ([]string, error) {
	return f.categories, nil
}
func (f *fakePlatform) Channels(context.Context) ([]Channel, error) { return f.wsChannels, nil }
func (f *fakePlatform) HasExtension(_ context.Context, n string) (bool, error) {
	return f.exts[n], nil
}
func (f *fakePlatform) ViewTargets(_ context.Context, v string, limit int) ([]string, error) {
	ids, ok := f.views[v]
	if !ok {
		return nil, fmt.Errorf("no view %q", v)
	}
	if limit > 0 && limit < len(ids) {
		ids = ids[:limit]
	}
	return ids, nil
}
func (f *fakePlatform) OpenConversations(_ context.Context, id int64) (int, error) {
	return f.loads[id], nil
}

func (f *fakePlatform) addContact(id int64, status string, channels ...ContactChannel) string {
	ident := fmt.Sprintf("id:%d", id)
	f.contacts[ident] = &Contact{ID: id, Status: status}
	f.channels[ident] = channels
	return ident
}

var testNow = time.Date(2025, 3, 10, 12, 0, 0, 0, time.UTC)
