package apiclient

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/respondctl/respondctl/apiclient/httpmock"
)

func TestNewValidatesBaseURL(t *testing.T) {
	for _, tt := range []struct {
		url      string
		insecure bool
		want     string // "" = ok; else error text
		base     string
	}{
		{"https://api.respond.io/v2/", false, "", "https://api.respond.io/v2"},
		{"http://127.0.0.1:8080/v2", false, "", "http://127.0.0.1:8080/v2"},
		{"http://127.3.4.5/v2", false, "", "http://127.3.4.5/v2"},
		{"http://localhost:1234", false, "", "http://localhost:1234"},
		{"http://[::1]:1234/v2", false, "", "http://[::1]:1234/v2"},
		{"http://api.example.com/v2", false, `refusing plain http:// to non-loopback host "api.example.com": use https or --insecure`, ""},
		{"http://10.0.0.5/v2", false, `refusing plain http:// to non-loopback host "10.0.0.5": use https or --insecure`, ""},
		{"http://api.example.com/v2", true, "", "http://api.example.com/v2"},
		{"ftp://x/v2", false, `invalid API base URL "ftp://x/v2": scheme must be https`, ""},
		{"api.respond.io", false, `invalid API base URL "api.respond.io": want e.g. https://api.respond.io/v2`, ""},
		{"", false, "no API base URL configured", ""},
		{"https://user:pw@api.respond.io", false, "invalid API base URL: credentials in the URL are not supported; use a token", ""},
	} {
		c, err := New(Options{BaseURL: tt.url, Insecure: tt.insecure})
		if tt.want != "" {
			if err == nil || err.Error() != tt.want {
				t.Errorf("New(%q) err = %v, want %s", tt.url, err, tt.want)
			}
			continue
		}
		if err != nil {
			t.Errorf("New(%q): %v", tt.url, err)
			continue
		}
		if c.BaseURL() != tt.base {
			t.Errorf("BaseURL = %q, want %q", c.BaseURL(), tt.base)
		}
	}
}

func TestDebugTraceRedactsToken(t *testing.T) {
	reg := &httpmock.Registry{}
	defer reg.Verify(t)
	var trace syncBuffer
	c, _ := newMockClient(t, reg, func(o *Options) { o.Debug = &trace })
	reg.Register(httpmock.REST("POST", "contact/id:1/message"), httpmock.TooManyRequests(1))
	reg.Register(httpmock.REST("POST", "contact/id:1/message"),
		httpmock.WithHeader(httpmock.StringResponse(`{"messageId":1,"echo":"`+testToken+`"}`), "Set-Cookie", "s="+testToken))
	reg.Register(httpmock.REST("GET", "contact/id:2"), httpmock.StringResponse(strings.Repeat("x", 5000)))
	reg.Register(httpmock.REST("GET", "contact/id:3"), httpmock.APIErrorResponse(401, "token "+testToken+" revoked"))
	ctx := context.Background()
	if _, err := c.SendMessage(ctx, "1", SendMessageRequest{Message: TextMessage("secret is " + testToken)}); err != nil {
		t.Fatal(err)
	}
	_, err := c.GetContact(ctx, "2")
	var ir *InvalidResponseError
	if !errors.As(err, &ir) {
		t.Fatalf("err = %v", err)
	}
	_, err = c.GetContact(ctx, "3")
	assertNoToken(t, "error", err.Error())
	out := trace.String()
	assertNoToken(t, "debug trace", out)
	for _, want := range []string{
		"> POST https://api.test/v2/contact/id:1/message",
		"> Authorization: Bearer REDACTED",
		"< 429 Too Many Requests (",
		"< Retry-After: 1",
		"* retrying in 1s (attempt 2 of 5): HTTP 429 Too Many Requests: Too many requests",
		"> POST https://api.test/v2/contact/id:1/message  (attempt 2)",
		"< 200 OK (",
		"< Set-Cookie: REDACTED",
		"(5000 bytes, truncated)",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("trace lacks %q:\n%s", want, out)
		}
	}
}

func TestDo(t *testing.T) {
	ctx := context.Background()
	reg := &httpmock.Registry{}
	defer reg.Verify(t)
	c, clock := newMockClient(t, reg)

	reg.Register(httpmock.REST("GET", "space/user?limit=2&cursorId=5"), httpmock.StringResponse(`{"items":[]}`))
	r, err := c.Do(ctx, "get", "space/user?limit=2", map[string][]string{"cursorId": {"5"}}, nil)
	if err != nil || r.Status != 200 || string(r.Body) != `{"items":[]}` {
		t.Fatalf("Do = %+v, %v", r, err)
	}
	// Absolute URL on the same host (a pagination "next"): base path stripped, not doubled.
	reg.Register(httpmock.MatchFunc("GET /v2/space/user?cursorId=9", func(req *http.Request) bool {
		return req.URL.Path == "/v2/space/user" && req.URL.Query().Get("cursorId") == "9"
	}), httpmock.StringResponse(`{}`))
	if _, err := c.Do(ctx, "GET", "https://api.test/v2/space/user?cursorId=9", nil, nil); err != nil {
		t.Fatal(err)
	}
	// Another host never gets the token.
	if _, err := c.Do(ctx, "GET", "https://evil.example/v2/space/user", nil, nil); err == nil ||
		!strings.Contains(err.Error(), `refusing to send the token to "evil.example"`) {
		t.Errorf("err = %v", err)
	}
	// API errors come back with the response and its body.
	reg.Register(httpmock.REST("GET", "contact/id:9"), httpmock.APIErrorResponse(404, "Contact not found"))
	r, err = c.Do(ctx, "GET", "/contact/id:9", nil, nil)
	if !IsNotFound(err) || r == nil || r.Status != 404 || !strings.Contains(string(r.Body), "Contact not found") {
		t.Errorf("Do 404 = %+v, %v", r, err)
	}
	// A raw POST send is not idempotent: a reset is an unknown outcome, no resend.
	reg.Register(httpmock.REST("POST", "contact/id:1/message"), httpmock.ConnectionReset())
	_, err = c.Do(ctx, "POST", "contact/id:1/message", nil, strings.NewReader(`{"message":{"type":"text","text":"x"}}`))
	if !errors.Is(err, ErrOutcomeUnknown) {
		t.Errorf("err = %v", err)
	}
	// A raw POST /contact/list is a read: retried, and the body resent intact.
	var bodies [2][]byte
	reg.Register(httpmock.REST("POST", "contact/list"), httpmock.CaptureBody(&bodies[0], httpmock.ConnectionReset()))
	reg.Register(httpmock.REST("POST", "contact/list"), httpmock.CaptureBody(&bodies[1], httpmock.StringResponse(`{"items":[]}`)))
	if _, err := c.Do(ctx, "POST", "/contact/list", nil, strings.NewReader(`{"search":""}`)); err != nil {
		t.Fatal(err)
	}
	if string(bodies[0]) != `{"search":""}` || string(bodies[1]) != `{"search":""}` {
		t.Errorf("bodies = %q", bodies)
	}
	if len(clock.Sleeps()) != 1 {
		t.Errorf("sleeps = %v", clock.Sleeps())
	}
	// Extra headers pass through.
	reg.Register(httpmock.MatchFunc("GET with X-Trace", func(req *http.Request) bool {
		return req.Header.Get("X-Trace") == "1"
	}), httpmock.StringResponse(`{}`))
	if _, err := c.DoRequest(ctx, RawRequest{Method: "GET", Path: "space/channel", Header: http.Header{"X-Trace": {"1"}}}); err != nil {
		t.Fatal(err)
	}
}

func TestIdempotent(t *testing.T) {
	for _, tt := range []struct {
		method, path string
		want         bool
	}{
		{"GET", "/contact/id:1", true},
		{"HEAD", "/contact/id:1", true},
		{"PUT", "/x", true},
		{"DELETE", "/x", true},
		{"POST", "/contact/list", true},
		{"post", "contact/count", true},
		{"POST", "/contact/id:1/conversation/assignee", true},
		{"POST", "/contact/email:a@b.com/conversation/status", true},
		{"POST", "/contact/id:1/message", false},
		{"POST", "/contact/id:1/comment", false},
		{"POST", "/sandbox/simulate/incoming", false},
		{"PATCH", "/contact/id:1", false},
	} {
		if got := Idempotent(tt.method, tt.path); got != tt.want {
			t.Errorf("Idempotent(%s %s) = %v", tt.method, tt.path, got)
		}
	}
}

// TestRawResponseNeverCarriesTheToken: `respondctl api` prints bodies and
// headers as the server sent them, except an echoed token.
func TestRawResponseNeverCarriesTheToken(t *testing.T) {
	reg := &httpmock.Registry{}
	defer reg.Verify(t)
	c, _ := newMockClient(t, reg)
	reg.Register(httpmock.REST("GET", "space/user"),
		httpmock.WithHeader(httpmock.StringResponse(`{"you":"Bearer `+testToken+`"}`), "X-Echo", "Bearer "+testToken))
	reg.Register(httpmock.REST("GET", "space/channel"), httpmock.APIErrorResponse(400, "bad "+testToken))
	r, err := c.Do(context.Background(), "GET", "/space/user", nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	assertNoToken(t, "body", string(r.Body))
	assertNoToken(t, "header", r.Header.Get("X-Echo"))
	if string(r.Body) != `{"you":"Bearer REDACTED"}` {
		t.Errorf("body = %s", r.Body)
	}
	r, err = c.Do(context.Background(), "GET", "/space/channel", nil, nil)
	var ae *APIError
	if !errors.As(err, &ae) || r == nil {
		t.Fatalf("err = %v", err)
	}
	assertNoToken(t, "error body", string(ae.Body))
	assertNoToken(t, "raw error body", string(r.Body))
}
