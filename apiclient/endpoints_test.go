package apiclient

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/respondctl/respondctl/apiclient/httpmock"
)

func TestEndpointsMethodPathBody(t *testing.T) {
	ctx := context.Background()
	reg := &httpmock.Registry{}
	defer reg.Verify(t)
	c, _ := newMockClient(t, reg)
	id := ContactIdentifier("email:jane@example.com")
	page := `{"items":[],"pagination":{"next":"","previous":""}}`

	reg.Register(httpmock.REST("GET", "contact/email:jane@example.com"), httpmock.StringResponse(contactJSON))
	if got, err := c.GetContact(ctx, id); err != nil || got.ID != 1234 {
		t.Fatalf("GetContact = %+v, %v", got, err)
	}

	reg.Register(httpmock.WithJSONBody(httpmock.REST("POST", "contact/list?limit=50&cursorId=9"),
		map[string]any{"search": "", "timezone": "UTC", "filter": map[string]any{"$and": []any{}}}),
		httpmock.StringResponse(page))
	if _, err := c.ListContacts(ctx, ContactListRequest{Filter: &Filter{}}, PageOptions{Limit: 50, Cursor: 9}); err != nil {
		t.Fatal(err)
	}

	reg.Register(httpmock.WithJSONBody(httpmock.REST("POST", "contact/count"), map[string]any{"search": "x", "timezone": "utc", "filter": map[string]any{"$and": []any{}}}),
		httpmock.StringResponse(`{"count":57,"unread":4}`))
	if n, err := c.CountContacts(ctx, ContactListRequest{Search: "x", Timezone: "utc"}); err != nil || n.Count != 57 || n.Unread != 4 {
		t.Fatalf("CountContacts = %+v, %v", n, err)
	}

	reg.Register(httpmock.REST("GET", "contact/id:5/channels?limit=10"), httpmock.StringResponse(page))
	if _, err := c.ListContactChannels(ctx, "5", PageOptions{Limit: 10}); err != nil {
		t.Fatal(err)
	}

	reg.Register(httpmock.REST("GET", "contact/id:5/message/list?channelId=31&limit=20"), httpmock.StringResponse(page))
	if _, err := c.ListMessages(ctx, ContactID(5), MessageListOptions{PageOptions: PageOptions{Limit: 20}, ChannelID: 31}); err != nil {
		t.Fatal(err)
	}

	reg.Register(httpmock.REST("GET", "contact/id:5/message/88001"),
		httpmock.StringResponse(`{"messageId":88001,"traffic":"incoming","message":{"type":"text","text":"Hi"}}`))
	if m, err := c.GetMessage(ctx, ContactID(5), 88001); err != nil || m.MessageID != 88001 {
		t.Fatalf("GetMessage = %+v, %v", m, err)
	}

	var sendBody []byte
	reg.Register(httpmock.REST("POST", "contact/phone:+60123456789/message"),
		httpmock.CaptureBody(&sendBody, httpmock.JSONResponse(map[string]any{"messageId": 88002})))
	ch := int64(31)
	if r, err := c.SendMessage(ctx, "+60 12-345 6789", SendMessageRequest{ChannelID: &ch, Message: TextMessage("Hello")}); err != nil || r.MessageID != 88002 {
		t.Fatalf("SendMessage = %+v, %v", r, err)
	}
	if string(sendBody) != `{"channelId":31,"message":{"type":"text","text":"Hello"}}` {
		t.Errorf("send body = %s", sendBody)
	}

	for _, a := range []struct {
		value AssignTo
		body  string
	}{{AssignUser(7), `{"assignee":7}`}, {AssignEmail("lee@example.com"), `{"assignee":"lee@example.com"}`},
		{Unassigned, `{"assignee":null}`}, {AssignUser(0), `{"assignee":null}`}} {
		var body []byte
		reg.Register(httpmock.REST("POST", "contact/id:5/conversation/assignee"),
			httpmock.CaptureBody(&body, httpmock.StringResponse(`{"contactId":5}`)))
		if err := c.SetAssignee(ctx, ContactID(5), a.value); err != nil {
			t.Fatal(err)
		}
		if string(body) != a.body {
			t.Errorf("assignee %v body = %s, want %s", a.value, body, a.body)
		}
	}

	empty, cat := "", "Resolved"
	until := int64(1732500000)
	for _, s := range []struct {
		req  StatusRequest
		body string
	}{
		{StatusRequest{Status: "open"}, `{"status":"open"}`},
		{StatusRequest{Status: "close", Category: &cat, Summary: &empty}, `{"status":"close","category":"Resolved","summary":""}`},
		{StatusRequest{Status: "close"}, `{"status":"close"}`},
		{StatusRequest{Status: "snooze", SnoozeUntil: &until}, `{"status":"snooze","snoozeUntil":1732500000}`},
	} {
		var body []byte
		reg.Register(httpmock.REST("POST", "contact/id:5/conversation/status"),
			httpmock.CaptureBody(&body, httpmock.StringResponse(`{"contactId":5}`)))
		if err := c.SetConversationStatus(ctx, ContactID(5), s.req); err != nil {
			t.Fatal(err)
		}
		if string(body) != s.body {
			t.Errorf("status body = %s, want %s", body, s.body)
		}
	}

	reg.Register(httpmock.WithJSONBody(httpmock.REST("POST", "contact/id:5/comment"), map[string]any{"text": "note"}),
		httpmock.StringResponse(`{"contactId":5,"text":"note","created_at":1732400000}`))
	if cm, err := c.AddComment(ctx, ContactID(5), "note"); err != nil || cm.Text != "note" || cm.CreatedAt != 1732400000 {
		t.Fatalf("AddComment = %+v, %v", cm, err)
	}

	reg.Register(httpmock.REST("GET", "space/user?limit=100"), httpmock.StringResponse(`{"items":[{"id":7,"firstName":"Lee","team":null}],"pagination":{}}`))
	if p, err := c.ListUsers(ctx, PageOptions{Limit: 500}); err != nil || len(p.Items) != 1 {
		t.Fatalf("ListUsers = %+v, %v", p, err)
	}
	reg.Register(httpmock.REST("GET", "space/user/7"), httpmock.StringResponse(`{"id":7,"firstName":"Lee","role":"agent","team":{"id":2,"name":"Support"}}`))
	if u, err := c.GetUser(ctx, 7); err != nil || u.Team.Name != "Support" {
		t.Fatalf("GetUser = %+v, %v", u, err)
	}
	reg.Register(httpmock.REST("GET", "space/channel"), httpmock.StringResponse(page))
	if _, err := c.ListChannels(ctx, PageOptions{}); err != nil {
		t.Fatal(err)
	}
	reg.Register(httpmock.REST("GET", "space/closing_notes"), httpmock.StringResponse(`{"items":[{"category":"Resolved","description":null}]}`))
	if p, err := c.ListClosingNotes(ctx, PageOptions{}); err != nil || p.Items[0].Category != "Resolved" {
		t.Fatalf("ListClosingNotes = %+v, %v", p, err)
	}
	reg.Register(httpmock.REST("GET", "space/view/list"), httpmock.StringResponse(`{"items":[{"id":3,"name":"VIP","filter":null,"status":"open","assignee":"any"}]}`))
	if v, err := c.ListViews(ctx); err != nil || len(v) != 1 || v[0].Assignee.Kind != "any" {
		t.Fatalf("ListViews = %+v, %v", v, err)
	}
	reg.Register(httpmock.REST("GET", "contact/id:5/conversation/event/list?limit=3"), httpmock.StringResponse(page))
	if _, err := c.ListEvents(ctx, ContactID(5), PageOptions{Limit: 3}); err != nil {
		t.Fatal(err)
	}

	// Every request carries the token and JSON headers; POSTs carry a JSON body.
	for _, r := range reg.Requests() {
		if r.Header.Get("Authorization") != "Bearer "+testToken || r.Header.Get("Accept") != "application/json" {
			t.Errorf("%s %s headers = %v", r.Method, r.Path, r.Header)
		}
		if r.Method == "POST" && (r.Header.Get("Content-Type") != "application/json" || !json.Valid(r.Body)) {
			t.Errorf("%s %s body %q content type %q", r.Method, r.Path, r.Body, r.Header.Get("Content-Type"))
		}
		if !strings.HasPrefix(r.Path, "/v2/") {
			t.Errorf("path %s misses the base path", r.Path)
		}
	}
}

func TestInvalidIdentifierMakesNoRequest(t *testing.T) {
	reg := &httpmock.Registry{}
	defer reg.Verify(t)
	c, _ := newMockClient(t, reg)
	if _, err := c.GetContact(context.Background(), "foo"); err == nil || !strings.Contains(err.Error(), "invalid contact identifier") {
		t.Errorf("err = %v", err)
	}
	if _, err := c.SendMessage(context.Background(), "", SendMessageRequest{Message: TextMessage("x")}); err == nil {
		t.Error("empty identifier accepted")
	}
}

func TestCapabilities(t *testing.T) {
	ctx := context.Background()
	reg := &httpmock.Registry{}
	defer reg.Verify(t)
	c, _ := newMockClient(t, reg)
	reg.Register(httpmock.REST("GET", "space/capabilities"), httpmock.StringResponse(`{"extensions":["counts","views"]}`))
	for range 3 { // fetched once, then from memory
		caps, err := c.Capabilities(ctx)
		if err != nil || !caps.Has(ExtCounts) || caps.Has(ExtEvents) {
			t.Fatalf("caps = %+v, %v", caps, err)
		}
	}

	// Core-only server: 404 means no extensions, not an error.
	reg2 := &httpmock.Registry{}
	defer reg2.Verify(t)
	cache := &fakeCapCache{}
	c2, clock := newMockClient(t, reg2, func(o *Options) { o.CapabilityCache = cache })
	reg2.Register(httpmock.REST("GET", "space/capabilities"), httpmock.APIErrorResponse(404, "Not found"))
	// The refusal is checked once against a core endpoint (is this the API at all?).
	reg2.Register(httpmock.REST("GET", "space/user?limit=1"), httpmock.StringResponse(`{"items":[],"pagination":{"next":""}}`))
	caps, err := c2.Capabilities(ctx)
	if err != nil || caps.Extensions == nil || len(caps.Extensions) != 0 {
		t.Fatalf("core-only caps = %+v, %v", caps, err)
	}
	if cache.stores != 1 || cache.base != "https://api.test/v2" {
		t.Errorf("cache stores=%d base=%q", cache.stores, cache.base)
	}

	// A fresh client trusts a cache entry younger than a day…
	cache.caps = &Capabilities{Extensions: []string{"events"}}
	cache.at = clock.Now().Add(-23 * 60 * 60 * 1e9)
	c3, _ := newMockClient(t, &httpmock.Registry{}, func(o *Options) { o.CapabilityCache = cache })
	if caps, err := c3.Capabilities(ctx); err != nil || !caps.Has(ExtEvents) {
		t.Errorf("cached caps = %+v, %v", caps, err)
	}
	// …and refreshes an older one.
	cache.at = clock.Now().Add(-25 * 60 * 60 * 1e9)
	reg4 := &httpmock.Registry{}
	defer reg4.Verify(t)
	reg4.Register(httpmock.REST("GET", "space/capabilities"), httpmock.StringResponse(`{"extensions":["snooze"]}`))
	c4, _ := newMockClient(t, reg4, func(o *Options) { o.CapabilityCache = cache })
	if caps, err := c4.Capabilities(ctx); err != nil || !caps.Has(ExtSnooze) {
		t.Errorf("refreshed caps = %+v, %v", caps, err)
	}

	// Other errors are errors.
	reg5 := &httpmock.Registry{}
	defer reg5.Verify(t)
	reg5.Register(httpmock.REST("GET", "space/capabilities"), httpmock.APIErrorResponse(401, "Unauthorized"))
	c5, _ := newMockClient(t, reg5)
	if _, err := c5.Capabilities(ctx); !IsUnauthorized(err) {
		t.Errorf("err = %v", err)
	}
}
