package inbox

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"

	"github.com/respondctl/respondctl/apiclient"
	"github.com/respondctl/respondctl/config"
	"github.com/respondctl/respondctl/users"
)

// Session is what the read commands share for one run: the client, the server's
// capabilities, the profile's views, and caches of users and channels (for names).
type Session struct {
	Client       *apiclient.Client
	Caps         apiclient.Capabilities
	ProfileViews []config.View
	me           func(ctx context.Context) (*apiclient.User, error)
	directory    *users.Directory

	mu       sync.Mutex
	users    map[int64]apiclient.User
	channels map[int64]apiclient.Channel
}

// NewSession discovers the server's capabilities and returns a session. me resolves the
// current user (for Mine and assignee: me); it may be nil.
func NewSession(ctx context.Context, client *apiclient.Client, profileViews []config.View,
	me func(ctx context.Context) (*apiclient.User, error)) (*Session, error) {
	caps, err := client.Capabilities(ctx)
	if err != nil {
		return nil, err
	}
	return &Session{Client: client, Caps: caps, ProfileViews: profileViews, me: me,
		directory: users.NewDirectory(users.ListAll(client))}, nil
}

// UseUsers shares the run's listing of the workspace's users (nil: keep the session's own).
func (s *Session) UseUsers(d *users.Directory) {
	if d != nil {
		s.directory = d
	}
}

// HasCounts reports whether the server counts contacts itself (EXT counts).
func (s *Session) HasCounts() bool { return s.Caps.Has(apiclient.ExtCounts) }

// HasEvents reports whether the server lists conversation events (EXT events).
func (s *Session) HasEvents() bool { return s.Caps.Has(apiclient.ExtEvents) }

// ViewSources are the views of this session: built-in, profile, and (EXT views) workspace.
func (s *Session) ViewSources() ViewSources {
	src := ViewSources{Profile: s.ProfileViews, UserID: s.UserID}
	if s.me != nil {
		src.Me = func(ctx context.Context) (int64, error) {
			u, err := s.me(ctx)
			if err != nil {
				return 0, err
			}
			return u.ID, nil
		}
	}
	if s.Caps.Has(apiclient.ExtViews) {
		src.Workspace = s.workspaceViews
	}
	return src
}

func (s *Session) workspaceViews(ctx context.Context) ([]WorkspaceView, error) {
	list, err := s.Client.ListViews(ctx)
	if err != nil {
		return nil, fmt.Errorf("listing workspace views: %w", err)
	}
	out := make([]WorkspaceView, len(list))
	for i, v := range list {
		w := WorkspaceView{ID: v.ID, Name: v.Name, Filter: v.Filter}
		if v.Status != nil {
			w.Status = *v.Status
		}
		switch v.Assignee.Kind {
		case apiclient.ViewAssigneeNone, apiclient.ViewAssigneeAny:
			w.Assignee = v.Assignee.Kind
		case apiclient.ViewAssigneeUser:
			w.Assignee = strconv.FormatInt(v.Assignee.UserID, 10)
		}
		out[i] = w
	}
	return out, nil
}

// CountBackend counts with EXT /contact/count when available, else by paging.
func (s *Session) CountBackend() CountBackend {
	b := CountBackend{Each: s.EachContact}
	if s.HasCounts() {
		b.Count = func(ctx context.Context, req apiclient.ContactListRequest) (apiclient.ContactCount, error) {
			c, err := s.Client.CountContacts(ctx, req)
			if err != nil {
				return apiclient.ContactCount{}, err
			}
			return *c, nil
		}
	}
	return b
}

// EachContact pages /contact/list for req, one page in memory at a time.
func (s *Session) EachContact(ctx context.Context, req apiclient.ContactListRequest, fn func(*apiclient.Contact) error) error {
	return Each(ctx, s.Client.IterateContacts(req, 0), fn)
}

// Users returns the workspace's users by id (fetched once).
func (s *Session) Users(ctx context.Context) (map[int64]apiclient.User, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.users != nil {
		return s.users, nil
	}
	list, err := s.directory.List(ctx)
	if err != nil {
		return nil, err
	}
	s.users = make(map[int64]apiclient.User, len(list))
	for _, u := range list {
		s.users[u.ID] = u
	}
	return s.users, nil
}

// Channels returns the workspace's channels by id (fetched once).
func (s *Session) Channels(ctx context.Context) (map[int64]apiclient.Channel, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.channels != nil {
		return s.channels, nil
	}
	list, err := Collect(ctx, s.Client.IterateChannels(0))
	if err != nil {
		return nil, err
	}
	s.channels = make(map[int64]apiclient.Channel, len(list))
	for _, c := range list {
		s.channels[c.ID] = c
	}
	return s.channels, nil
}

// UserID resolves an assignee by the rules of package users (a numeric id is taken as it
// is, without listing the users: a filter on an unknown id simply matches nobody).
func (s *Session) UserID(ctx context.Context, query string) (int64, error) {
	if id, err := strconv.ParseInt(query, 10, 64); err == nil {
		return id, nil
	}
	list, err := s.directory.List(ctx)
	if err != nil {
		return 0, err
	}
	var me *users.User
	if users.IsMe(query) && s.me != nil {
		u, err := s.me(ctx)
		if err != nil {
			return 0, err
		}
		ref := users.FromAPI(*u)
		me = &ref
	}
	u, err := users.Resolve(users.FromAPIList(list), query, me)
	return u.ID, err
}

// ContactName is "First Last".
func ContactName(c *apiclient.Contact) string {
	n := c.FirstName
	if c.LastName != nil && *c.LastName != "" {
		n += " " + *c.LastName
	}
	return strings.TrimSpace(n)
}

// SessionDeps are the factory's lazy dependencies (cmdutil.Factory fields fit as they are).
type SessionDeps struct {
	APIClient func() (*apiclient.Client, error)
	Config    func() (*config.Config, error)
	Profile   string // the --profile flag ("" = the active profile)
	Me        func(ctx context.Context) (*apiclient.User, error)
	// Users is the run's listing of the workspace's users (nil: the session lists its own).
	Users *users.Directory
}

// ProfileViews are the saved views of the active profile (profile: the --profile flag, "" for
// the current one); none without a configuration.
func ProfileViews(loadConfig func() (*config.Config, error), profile string) ([]config.View, error) {
	if loadConfig == nil {
		return nil, nil
	}
	cfg, err := loadConfig()
	if err != nil || cfg == nil {
		return nil, err
	}
	if p := cfg.Profile(cfg.ActiveProfileName(profile)); p != nil {
		return p.Views, nil
	}
	return nil, nil
}

// OpenSession builds the client and reads the active profile's views, then NewSession.
func OpenSession(ctx context.Context, d SessionDeps) (*Session, error) {
	views, err := ProfileViews(d.Config, d.Profile)
	if err != nil {
		return nil, err
	}
	client, err := d.APIClient()
	if err != nil {
		return nil, err
	}
	s, err := NewSession(ctx, client, views, d.Me)
	if err != nil {
		return nil, err
	}
	s.UseUsers(d.Users)
	return s, nil
}

// ErrStop ends an iteration early without error (return it from a callback).
var ErrStop = errors.New("stop")

// EachViewContact streams the contacts of a view: the server evaluates the whole view when
// it has extensions; a core-only server gets the core part and the rest is matched here.
func (s *Session) EachViewContact(ctx context.Context, v View, fn func(*apiclient.Contact) error) error {
	var err error
	if s.HasCounts() {
		err = s.EachContact(ctx, v.Request, fn)
	} else {
		req, rerr := v.CoreRequest()
		if rerr != nil {
			return rerr
		}
		err = s.EachContact(ctx, req, func(c *apiclient.Contact) error {
			if v.MatchLocally(c) {
				return fn(c)
			}
			return nil
		})
	}
	if errors.Is(err, ErrStop) {
		return nil
	}
	return err
}
