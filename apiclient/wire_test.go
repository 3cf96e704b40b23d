package apiclient

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/respondctl/respondctl/apiclient/httpmock"
)

// Read liberally, write exactly: one test per rule of docs/platform-api.md
// ("Tolerance rules"), with answers in the shapes respond.io's own TypeScript
// SDK, MCP server and n8n nodes show.

func TestWireChannelMessageIDStringOrNumber(t *testing.T) {
	reg := &httpmock.Registry{}
	defer reg.Verify(t)
	c, _ := newMockClient(t, reg)
	// The SDK's tests use "channelMessageId": 456; ids may come as numeric strings.
	reg.Register(httpmock.REST("GET", "contact/id:1/message/list"), httpmock.StringResponse(`{"items":[
		{"messageId":3,"channelMessageId":456,"contactId":1,"channelId":31,"traffic":"incoming","message":{"type":"text","text":"hi"}},
		{"messageId":"2","channelMessageId":"wamid.HBg=","contactId":"1","channelId":"32","traffic":"outgoing","message":{"type":"text","text":"yo"},
		 "sender":{"source":"user","userId":"7","teamId":2},"status":[{"value":"sent","timestamp":1}]},
		{"messageId":1,"channelMessageId":null,"contactId":1,"channelId":31,"traffic":"incoming","message":{"type":"text","text":"x"}},
		{"messageId":0.0e0,"channelMessageId":12345678901234567890,"contactId":1,"channelId":31,"traffic":"incoming","message":{"type":"text"}}
	],"pagination":{"next":""}}`))
	p, err := c.ListMessages(context.Background(), "1", MessageListOptions{})
	if err != nil {
		t.Fatal(err)
	}
	got := []string{}
	for _, m := range p.Items {
		got = append(got, fmt.Sprintf("%d/%s/%d/%d", m.MessageID, m.ChannelMessageID, m.ContactID, m.ChannelID))
	}
	if want := "[3/456/1/31 2/wamid.HBg=/1/32 1//1/31 0/12345678901234567890/1/31]"; fmt.Sprint(got) != want {
		t.Errorf("messages %v, want %v", got, want)
	}
	if s := p.Items[1].Sender; s == nil || s.UserID != 7 || s.TeamID != 2 {
		t.Errorf("sender = %+v", s)
	}
	// A wrong type is still an error that names the field.
	var m Message
	err = m.UnmarshalJSON([]byte(`{"messageId":"seven"}`))
	if err == nil || !strings.Contains(err.Error(), "messageId") {
		t.Errorf("err = %v", err)
	}
}

func TestWireSendAnswerWithStringID(t *testing.T) {
	reg := &httpmock.Registry{}
	defer reg.Verify(t)
	c, _ := newMockClient(t, reg)
	reg.Register(httpmock.REST("POST", "contact/id:1/message"), httpmock.StringResponse(`{"messageId":"88002"}`))
	reg.Register(httpmock.REST("POST", "contact/id:1/comment"), httpmock.StringResponse(`{"contactId":"1","text":"n","created_at":5}`))
	r, err := c.SendMessage(context.Background(), "1", SendMessageRequest{Message: TextMessage("hi")})
	if err != nil || r.MessageID != 88002 {
		t.Fatalf("send = %+v, %v", r, err)
	}
	cm, err := c.AddComment(context.Background(), "1", "n")
	if err != nil || cm.ContactID != 1 || cm.CreatedAt != 5 {
		t.Fatalf("comment = %+v, %v", cm, err)
	}
}

func TestWireErrorBodies(t *testing.T) {
	for _, tt := range []struct {
		name, body string
		status     int
		want       string
		code       int
	}{
		{"string code", `{"code":"400","message":"Invalid phone"}`, 400, "HTTP 400 Bad Request: Invalid phone", 400},
		{"object message", `{"code":400,"message":{"text":["text is required"]}}`, 400, "HTTP 400 Bad Request: text: text is required", 400},
		{"both", `{"code":"422","message":{"text":["is required","too long"],"channelId":"bad"}}`, 422,
			"HTTP 422 Unprocessable Entity: channelId: bad; text: is required; too long", 422},
		{"array message", `{"code":403,"message":["Forbidden","no access"]}`, 403, "HTTP 403 Forbidden: Forbidden; no access", 403},
		{"error instead of message", `{"statusCode":409,"error":"Conflict"}`, 409, "HTTP 409 Conflict: Conflict", 0},
		{"no message", `{"code":"400"}`, 400, "HTTP 400 Bad Request", 400},
		{"html", `<html>oops</html>`, 400, "HTTP 400 Bad Request (non-JSON response from server)", 0},
	} {
		t.Run(tt.name, func(t *testing.T) {
			reg := &httpmock.Registry{}
			defer reg.Verify(t)
			c, _ := newMockClient(t, reg)
			reg.Register(httpmock.REST("POST", "contact/id:1/comment"), httpmock.StatusStringResponse(tt.status, tt.body))
			_, err := c.AddComment(context.Background(), "1", "n")
			var ae *APIError
			if !errors.As(err, &ae) {
				t.Fatalf("err = %v", err)
			}
			if err.Error() != tt.want || ae.Code != tt.code {
				t.Errorf("error %q (code %d)\nwant  %q (code %d)", err, ae.Code, tt.want, tt.code)
			}
		})
	}
}

func TestWireCapabilitiesProbe(t *testing.T) {
	ctx := context.Background()
	coreOnly := []struct {
		name string
		resp httpmock.Responder
		note string
	}{
		{"400", httpmock.APIErrorResponse(400, "Bad request"), "answered 400"},
		{"403", httpmock.APIErrorResponse(403, "Forbidden"), "answered 403"},
		{"404", httpmock.APIErrorResponse(404, "Not found"), "answered 404"},
		{"405", httpmock.StatusStringResponse(405, ""), "answered 405"},
		{"501", httpmock.StatusStringResponse(501, "Not Implemented"), "answered 501"},
		{"2xx html", httpmock.StringResponse(`<html>hello</html>`), "answered 2xx with an unreadable body"},
		{"2xx wrong shape", httpmock.StringResponse(`{"extensions":"counts"}`), "answered 2xx with an unreadable body"},
	}
	for _, tt := range coreOnly {
		t.Run(tt.name, func(t *testing.T) {
			reg := &httpmock.Registry{}
			defer reg.Verify(t)
			var trace syncBuffer
			c, _ := newMockClient(t, reg, func(o *Options) { o.Debug = &trace })
			reg.Register(httpmock.REST("GET", "space/capabilities"), tt.resp)
			if !strings.HasPrefix(tt.name, "2xx") {
				reg.Register(httpmock.REST("GET", "space/user?limit=1"), httpmock.StringResponse(`{"items":[{"id":1}],"pagination":{"next":""}}`))
			}
			caps, err := c.Capabilities(ctx)
			if err != nil || len(caps.Extensions) != 0 {
				t.Fatalf("caps = %+v, %v", caps, err)
			}
			if out := trace.String(); !strings.Contains(out, "* GET /space/capabilities "+tt.note) || !strings.Contains(out, "core only") {
				t.Errorf("no --debug note in:\n%s", out)
			}
		})
	}
	for _, tt := range []struct {
		name  string
		resp  httpmock.Responder
		times int
		check func(error) bool
	}{
		{"401", httpmock.APIErrorResponse(401, "Unauthorized"), 1, IsUnauthorized},
		{"429", httpmock.TooManyRequests(1), 5, IsRateLimited},
		{"500", httpmock.APIErrorResponse(500, "boom"), 5, func(err error) bool { var g *GaveUpError; return errors.As(err, &g) }},
		{"transport", httpmock.ConnectionRefused(), 5, func(err error) bool { var te *TransportError; return errors.As(err, &te) }},
	} {
		t.Run(tt.name, func(t *testing.T) {
			reg := &httpmock.Registry{}
			defer reg.Verify(t)
			c, _ := newMockClient(t, reg)
			for range tt.times {
				reg.Register(httpmock.REST("GET", "space/capabilities"), tt.resp)
			}
			if _, err := c.Capabilities(ctx); !tt.check(err) {
				t.Errorf("err = %v", err)
			}
		})
	}
}

func TestWireBaseURLNotTheAPI(t *testing.T) {
	ctx := context.Background()
	// The API's host without /v2: every path is a web server's 404.
	reg := &httpmock.Registry{}
	defer reg.Verify(t)
	c, _ := newMockClient(t, reg, func(o *Options) { o.BaseURL = "https://api.test" })
	reg.Register(httpmock.REST("GET", "space/capabilities"), httpmock.StatusStringResponse(404, "404 page not found"))
	reg.Register(httpmock.REST("GET", "space/user?limit=1"), httpmock.StatusStringResponse(404, "404 page not found"))
	_, err := c.Capabilities(ctx)
	want := "https://api.test: not a platform API (404 on /space/user); did you mean https://api.test/v2?"
	var be *BaseURLError
	if !errors.As(err, &be) || err.Error() != want {
		t.Fatalf("err = %v\nwant  %s", err, want)
	}
	// Found once: a later foreign 404 gives the same answer without asking again.
	reg.Register(httpmock.REST("GET", "contact/id:5"), httpmock.StatusStringResponse(404, "<html>Not Found</html>"))
	if _, err := c.GetContact(ctx, "5"); err == nil || err.Error() != want || IsNotFound(err) {
		t.Errorf("contact: %v", err)
	}

	// On a good base, a foreign-looking 404 stays "contact not found".
	reg2 := &httpmock.Registry{}
	defer reg2.Verify(t)
	c2, _ := newMockClient(t, reg2)
	reg2.Register(httpmock.REST("GET", "contact/id:5"), httpmock.StatusStringResponse(404, "Not Found"))
	registerGoodBase(reg2)
	if _, err := c2.GetContact(ctx, "5"); !IsNotFound(err) || err.Error() != "contact id:5 not found" {
		t.Errorf("contact on a good base: %v", err)
	}
	// The base is checked once per client: later 404s are taken at their word.
	reg2.Register(httpmock.REST("GET", "contact/id:6"), httpmock.APIErrorResponse(404, "Contact not found"))
	if _, err := c2.GetContact(ctx, "6"); !IsNotFound(err) || reg2.Count(httpmock.REST("GET", "space/user")) != 1 {
		t.Errorf("contact 6: %v, %d checks", err, reg2.Count(httpmock.REST("GET", "space/user")))
	}

	// A JSON 404 on the wrong base (a server answering {"code":404,…} for
	// every unknown path) is found the same way: "contact not found" would
	// be a lie.
	reg4 := &httpmock.Registry{}
	defer reg4.Verify(t)
	c4, _ := newMockClient(t, reg4, func(o *Options) { o.BaseURL = "https://api.test" })
	reg4.Register(httpmock.REST("POST", "contact/id:5/message"), httpmock.APIErrorResponse(404, "Not found: /contact/id:5/message"))
	reg4.Register(httpmock.REST("GET", "space/user?limit=1"), httpmock.APIErrorResponse(404, "Not found: /space/user"))
	_, err = c4.SendMessage(ctx, "5", SendMessageRequest{Message: TextMessage("hi")})
	if !errors.As(err, &be) || errors.Is(err, ErrOutcomeUnknown) {
		t.Errorf("send on the wrong base: %v", err)
	}

	// A website at the base URL: 200 with HTML.
	reg3 := &httpmock.Registry{}
	defer reg3.Verify(t)
	c3, _ := newMockClient(t, reg3, func(o *Options) { o.BaseURL = "https://www.test/v2" })
	reg3.Register(httpmock.REST("GET", "space/capabilities"), httpmock.StatusStringResponse(404, "<html>404</html>"))
	reg3.Register(httpmock.REST("GET", "space/user?limit=1"), httpmock.StringResponse("<html>Welcome</html>"))
	if _, err := c3.Capabilities(ctx); err == nil ||
		err.Error() != "https://www.test/v2: not a platform API (/space/user is not a list of users); check the API base URL (e.g. https://api.respond.io/v2)" {
		t.Errorf("website: %v", err)
	}
}

func TestWirePaginationNextWithoutPrefix(t *testing.T) {
	reg := &httpmock.Registry{}
	defer reg.Verify(t)
	c, _ := newMockClient(t, reg)
	// The platform's next links may lack /v2: only their cursorId counts.
	reg.Register(httpmock.REST("POST", "contact/list?limit=10"), httpmock.StringResponse(contactsPage([]int{1, 2}, `"https://api.respond.io/contact/list?limit=10&cursorId=2"`)))
	reg.Register(httpmock.REST("POST", "contact/list?limit=10&cursorId=2"), httpmock.StringResponse(contactsPage([]int{3}, `""`)))
	items, err := collectIDs(c.IterateContacts(ContactListRequest{}, 10))
	if err != nil || fmt.Sprint(items) != "[1 2 3]" {
		t.Errorf("items %v, err %v", items, err)
	}
}

func collectIDs(it *Iterator[Contact]) ([]int64, error) {
	var out []int64
	for it.Next(context.Background()) {
		out = append(out, it.Item().ID)
	}
	return out, it.Err()
}

func TestWirePaginationStopsOnBadOrCyclingCursors(t *testing.T) {
	for _, tt := range []struct {
		name  string
		pages map[string]string // cursorId ("" for the first page) -> answer
		want  string            // items listed before the stop
		err   string
	}{
		{"next without cursorId", map[string]string{
			"": contactsPage([]int{1, 2}, `"https://api.respond.io/v2/contact/list?limit=10"`),
		}, "[]", "pagination stopped after 1 pages: the next link has no usable cursorId"},
		{"cursor not a number", map[string]string{
			"": contactsPage([]int{1, 2}, `"https://api.respond.io/v2/contact/list?cursorId=abc"`),
		}, "[]", "no usable cursorId"},
		{"cursor repeats after two pages", map[string]string{
			"":  contactsPage([]int{1, 2}, `"https://h/v2/contact/list?cursorId=2"`),
			"2": contactsPage([]int{3, 4}, `"https://h/v2/contact/list?cursorId=4"`),
			"4": contactsPage([]int{5, 6}, `"https://h/v2/contact/list?cursorId=2"`),
		}, "[1 2 3 4]", "pagination stopped after 3 pages: cursorId 2 returned again"},
		{"same page behind fresh cursors", map[string]string{
			"":   contactsPage([]int{1, 2}, `"https://h/v2/contact/list?cursorId=10"`),
			"10": contactsPage([]int{1, 2}, `"https://h/v2/contact/list?cursorId=11"`),
		}, "[1 2]", "pagination stopped after 2 pages: page 2 starts with an item already listed (contact 1)"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			reg := &httpmock.Registry{}
			defer reg.Verify(t)
			c, _ := newMockClient(t, reg)
			for cursor, body := range tt.pages {
				m := httpmock.MatchFunc("contact/list cursor "+cursor, func(r *httpmockRequest) bool {
					return strings.HasSuffix(r.URL.Path, "/contact/list") && r.URL.Query().Get("cursorId") == cursor
				})
				reg.Register(m, httpmock.StringResponse(body))
			}
			items, err := collectIDs(c.IterateContacts(ContactListRequest{}, 10))
			var pe *PaginationError
			if !errors.As(err, &pe) || !strings.Contains(err.Error(), tt.err) {
				t.Fatalf("err = %v, want %q", err, tt.err)
			}
			if fmt.Sprint(items) != tt.want && !(tt.want == "[]" && items == nil) {
				t.Errorf("items %v, want %s", items, tt.want)
			}
		})
	}
}

func TestWireQueuedReadBacksOffSecondsToMinutes(t *testing.T) {
	reg := &httpmock.Registry{}
	defer reg.Verify(t)
	c, clock := newMockClient(t, reg)
	reg.Register(httpmock.REST("GET", "contact/id:1"), httpmock.WithHeader(httpmock.APIErrorResponse(449, "queued"), "Retry-After", "45"))
	reg.Register(httpmock.REST("GET", "contact/id:1"), httpmock.APIErrorResponse(449, "queued"))
	reg.Register(httpmock.REST("GET", "contact/id:1"), httpmock.APIErrorResponse(449, "queued"))
	reg.Register(httpmock.REST("GET", "contact/id:1"), httpmock.StringResponse(`{"id":1}`))
	if _, err := c.GetContact(context.Background(), "1"); err != nil {
		t.Fatal(err)
	}
	// Retry-After first, then 4 s and 8 s (retries 2 and 3; rand = 1: the top of each range).
	sleepsEqual(t, clock.Sleeps(), 45*time.Second, 4*time.Second, 8*time.Second)
}

func TestWireHistoryChannelFilteredOnClient(t *testing.T) {
	for name, iterate := range map[string]func(c *Client) *Iterator[Message]{
		"IterateMessages":      func(c *Client) *Iterator[Message] { return c.IterateMessages("1", 31, 0) },
		"IterateMessagesAhead": func(c *Client) *Iterator[Message] { return c.IterateMessagesAhead("1", 31, 0) },
	} {
		t.Run(name, func(t *testing.T) {
			reg := &httpmock.Registry{}
			defer reg.Verify(t)
			c, _ := newMockClient(t, reg)
			// A server that ignores channelId answers every channel's messages.
			reg.Register(httpmock.REST("GET", "contact/id:1/message/list?channelId=31"), httpmock.StringResponse(`{"items":[
		{"messageId":4,"channelId":31,"traffic":"incoming","message":{"type":"text"}},
		{"messageId":3,"channelId":32,"traffic":"incoming","message":{"type":"text"}},
		{"messageId":2,"channelId":"31","traffic":"incoming","message":{"type":"text"}}],"pagination":{"next":""}}`))
			it := iterate(c)
			var got []int64
			for it.Next(context.Background()) {
				got = append(got, it.Item().MessageID)
			}
			if it.Err() != nil || fmt.Sprint(got) != "[4 2]" {
				t.Errorf("got %v, %v", got, it.Err())
			}
		})
	}
}

// The read-ahead iterators (conversation show --all) stop on a page that repeats an item,
// as the plain ones do.
func TestReadAheadIteratorsStopOnRepeatedItems(t *testing.T) {
	reg := &httpmock.Registry{}
	defer reg.Verify(t)
	c, _ := newMockClient(t, reg)
	page := `{"items":[{"id":1}],"pagination":{"next":"https://h/x?cursorId=3"}}`
	reg.Register(httpmock.REST("GET", "contact/id:1/conversation/event/list"), httpmock.StringResponse(page))
	reg.Register(httpmock.REST("GET", "contact/id:1/conversation/event/list?cursorId=3"), httpmock.StringResponse(page))
	it := c.IterateEventsAhead("1", 0)
	n := 0
	for it.Next(context.Background()) {
		n++
	}
	var pe *PaginationError
	if n != 1 || !errors.As(it.Err(), &pe) {
		t.Errorf("n=%d err=%v", n, it.Err())
	}
}

func TestWireShortTokenDoesNotCorruptBodies(t *testing.T) {
	for _, tok := range []string{"t", "a", "1", "id"} {
		t.Run(tok, func(t *testing.T) {
			reg := &httpmock.Registry{}
			defer reg.Verify(t)
			var trace syncBuffer
			c, _ := newMockClient(t, reg, func(o *Options) { o.Token = tok; o.Debug = &trace })
			body := `{"id":1,"firstName":"Tatiana","lastName":"Aaltonen","status":"open","tags":["a","t"],"created_at":1}`
			reg.Register(httpmock.REST("GET", "contact/id:1"), httpmock.StringResponse(body))
			reg.Register(httpmock.REST("GET", "space/user"), httpmock.StringResponse(body))
			ct, err := c.GetContact(context.Background(), "1")
			if err != nil || ct.FirstName != "Tatiana" || *ct.LastName != "Aaltonen" || ct.CreatedAt != 1 {
				t.Fatalf("contact = %+v, %v", ct, err)
			}
			raw, err := c.Do(context.Background(), "GET", "/space/user", nil, nil)
			if err != nil || string(raw.Body) != body {
				t.Errorf("raw body = %s, %v", raw.Body, err)
			}
			if !strings.Contains(trace.String(), "> Authorization: Bearer REDACTED") {
				t.Errorf("trace:\n%s", trace.String())
			}
		})
	}
}
