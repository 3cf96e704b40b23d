package inbox

import (
	"context"
	"testing"
	"time"

	"github.com/respondctl/respondctl/apiclient"
	"github.com/respondctl/respondctl/config"
	"github.com/respondctl/respondctl/sandbox"
)

// startSandbox runs an in-process sandbox on 127.0.0.1 and returns a session on it.
func startSandbox(t testing.TB, opts sandbox.Options, profile []config.View) *Session {
	t.Helper()
	return startSandboxWith(t, opts, profile, nil)
}

// startSandboxWith is startSandbox with prepare run on the server before the session is made.
func startSandboxWith(t testing.TB, opts sandbox.Options, profile []config.View, prepare func(*sandbox.Server)) *Session {
	t.Helper()
	ctx := context.Background()
	if opts.DBPath == "" {
		opts.DBPath = ":memory:"
	}
	srv, err := sandbox.Start(ctx, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	if prepare != nil {
		prepare(srv)
	}
	client, err := apiclient.New(apiclient.Options{BaseURL: srv.URL(), Token: srv.Token(), RateLimit: -1})
	if err != nil {
		t.Fatal(err)
	}
	me := func(ctx context.Context) (*apiclient.User, error) {
		p, err := client.ListUsers(ctx, apiclient.PageOptions{Limit: 100})
		if err != nil {
			return nil, err
		}
		for _, u := range p.Items {
			if u.Role == "agent" {
				return &u, nil
			}
		}
		return &p.Items[0], nil
	}
	sess, err := NewSession(ctx, client, profile, me)
	if err != nil {
		t.Fatal(err)
	}
	return sess
}

var testProfileViews = []config.View{
	{Name: "VIP", Tags: []string{"vip"}, Status: "all"},
	{Name: "Pending", Status: "pending"},
	{Name: "Any open assigned", Status: "open", Assignee: "any"},
}

// pagedCount counts a view the slow way: every contact of its core request, matched locally.
func pagedCount(t *testing.T, s *Session, v View, withUnread bool) (count, unread int) {
	t.Helper()
	req := v.Request
	if !withUnread {
		var err error
		if req, err = v.CoreRequest(); err != nil {
			t.Fatal(err)
		}
	}
	err := s.EachContact(context.Background(), req, func(c *apiclient.Contact) error {
		if withUnread || v.MatchLocally(c) {
			count++
			if c.UnreadCount != nil && *c.UnreadCount > 0 {
				unread++
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return count, unread
}

func TestViewCountsMatchPagingWithExtensions(t *testing.T) {
	s := startSandbox(t, sandbox.Options{Seed: "demo"}, testProfileViews)
	ctx := context.Background()
	views, err := ListViews(ctx, s.ViewSources())
	if err != nil {
		t.Fatal(err)
	}
	if len(views) < 3+len(testProfileViews) {
		t.Fatalf("got %d views", len(views))
	}
	counts, err := CountViews(ctx, views, s.CountBackend(), CountOptions{})
	if err != nil {
		t.Fatal(err)
	}
	nonZero := 0
	for i, c := range counts {
		if c.Err != nil {
			t.Fatalf("view %s: %v", c.Name, c.Err)
		}
		wantCount, wantUnread := pagedCount(t, s, views[i], true)
		if c.Count != wantCount || c.Unread == nil || *c.Unread != wantUnread {
			t.Errorf("view %s (%s): count %d unread %v; paging says %d and %d", c.Name, c.Kind, c.Count, c.Unread, wantCount, wantUnread)
		}
		if c.Count > 0 {
			nonZero++
		}
		t.Logf("%-20s %-9s %4d unread %d indicator %s", c.Name, c.Kind, c.Count, *c.Unread, c.Indicator())
	}
	if nonZero < 3 {
		t.Fatalf("the demo seed should fill at least 3 views, got %d", nonZero)
	}
}

func TestViewCountsCoreOnlyMatchExtensions(t *testing.T) {
	// Core has no pending or snoozed: with the seed's such conversations open on both
	// servers, paging the core server must find exactly what the extensions count.
	openAll := func(srv *sandbox.Server) {
		if _, err := srv.Store().DB().Exec(`UPDATE contacts SET status = 'open', snoozed_until = NULL WHERE status IN ('pending', 'snoozed')`); err != nil {
			t.Fatal(err)
		}
	}
	ext := startSandboxWith(t, sandbox.Options{Seed: "demo"}, testProfileViews, openAll)
	core := startSandboxWith(t, sandbox.Options{Seed: "demo", CoreOnly: true}, testProfileViews, openAll)
	ctx := context.Background()
	if core.HasCounts() || core.Caps.Has(apiclient.ExtViews) {
		t.Fatalf("core-only server reports extensions %v", core.Caps.Extensions)
	}
	extViews, err := ListViews(ctx, ext.ViewSources())
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]int{}
	extCounts, _ := CountViews(ctx, extViews, ext.CountBackend(), CountOptions{})
	for _, c := range extCounts {
		want[c.Name] = c.Count
	}
	coreViews, err := ListViews(ctx, core.ViewSources())
	if err != nil {
		t.Fatal(err)
	}
	var progressed int64
	counts, err := CountViews(ctx, coreViews, core.CountBackend(), CountOptions{Progress: func(n int64) { progressed = n }})
	if err != nil {
		t.Fatal(err)
	}
	if len(counts) != 3+len(testProfileViews) {
		t.Fatalf("core: %d views (workspace views need EXT)", len(counts))
	}
	for _, c := range counts {
		if c.Name == "Pending" {
			if c.Err == nil {
				t.Errorf("core: a pending view cannot be counted, got %d", c.Count)
			}
			continue
		}
		if c.Err != nil {
			t.Fatalf("core view %s: %v", c.Name, c.Err)
		}
		if c.Unread != nil {
			t.Errorf("core view %s: unread should be unknown", c.Name)
		}
		if c.Count != want[c.Name] {
			t.Errorf("core view %s: %d, extensions say %d", c.Name, c.Count, want[c.Name])
		}
	}
	if progressed == 0 {
		t.Error("no progress reported while paging")
	}
}

func TestResolveViewUnknownListsValid(t *testing.T) {
	s := startSandbox(t, sandbox.Options{Seed: "demo"}, testProfileViews)
	_, err := ResolveView(context.Background(), s.ViewSources(), "nope")
	u, ok := err.(*UnknownViewError)
	if !ok || len(u.Valid) < 6 || u.Valid[0] != "All" {
		t.Fatalf("err = %v", err)
	}
	v, err := ResolveView(context.Background(), s.ViewSources(), "unassigned")
	if err != nil || v.Name != "Unassigned" || v.Kind != ViewBuiltin {
		t.Fatalf("resolve unassigned: %+v %v", v, err)
	}
}

func TestHistoryAgainstSandbox(t *testing.T) {
	s := startSandbox(t, sandbox.Options{Seed: "demo"}, nil)
	ctx := context.Background()
	it, err := s.History(ctx, HistoryRequest{Contact: apiclient.ContactID(1), ContactName: "x"})
	if err != nil {
		t.Fatal(err)
	}
	var items []HistoryItem
	if err := WalkHistory(ctx, it, HistoryWindow{All: true}, func(h HistoryItem) error { items = append(items, h); return nil }); err != nil {
		t.Fatal(err)
	}
	if len(items) == 0 {
		t.Fatal("no history for contact 1")
	}
	events := 0
	var prev time.Time
	for _, h := range items {
		if h.Event != nil {
			events++
			if h.Event.Text == "" {
				t.Errorf("event %d has no text", h.Event.ID)
			}
		}
		if t0 := h.Time(); !t0.IsZero() {
			if t0.Before(prev) {
				t.Errorf("item at %s after %s: not oldest first", t0, prev)
			}
			prev = t0
		}
	}
	t.Logf("contact 1: %d items, %d events", len(items), events)
}
