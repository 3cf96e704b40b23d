package apiclient

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
)

// tokenTrap is a second origin: it counts requests that carried the token.
func tokenTrap(t *testing.T, tls bool) (*httptest.Server, *atomic.Int32) {
	var leaks atomic.Int32
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.Contains(r.Header.Get("Authorization"), testToken) {
			leaks.Add(1)
		}
		_, _ = io.WriteString(w, `{"messageId":5,"id":5}`)
	})
	var srv *httptest.Server
	if tls {
		srv = httptest.NewTLSServer(h)
	} else {
		srv = httptest.NewServer(h)
	}
	t.Cleanup(srv.Close)
	return srv, &leaks
}

func TestRedirectsNeverCarryTheTokenElsewhere(t *testing.T) {
	trap, leaks := tokenTrap(t, false)
	for _, code := range []int{301, 302, 303, 307, 308} {
		for _, method := range []string{"GET", "POST"} {
			t.Run(fmt.Sprintf("%d %s to another port", code, method), func(t *testing.T) {
				base := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					http.Redirect(w, r, trap.URL+r.URL.Path+"?token="+testToken, code)
				}))
				defer base.Close()
				c := realClient(t, base.URL+"/v2", nil)
				_, err := c.DoRequest(context.Background(), RawRequest{Method: method, Path: "/contact/id:1/message", Body: strings.NewReader(`{}`)})
				var re *RedirectError
				if !errors.As(err, &re) {
					t.Fatalf("err = %v, want a refused redirect", err)
				}
				msg := err.Error()
				if !strings.HasPrefix(msg, "refused redirect from "+base.URL+"/v2/contact/id:1/message to "+trap.URL+"/v2/contact/id:1/message: ") || strings.Contains(msg, testToken) || strings.Contains(msg, "\n") {
					t.Errorf("error = %q", msg)
				}
			})
		}
	}
	if n := leaks.Load(); n != 0 {
		t.Errorf("the token reached another origin %d times", n)
	}
}

func TestRedirectPolicy(t *testing.T) {
	var posts, gets atomic.Int32
	base := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.URL.Path == "/v2/moved":
			http.Redirect(w, r, "/v2/space/user", http.StatusMovedPermanently)
		case r.URL.Path == "/v2/loop":
			http.Redirect(w, r, "/v2/loop", http.StatusTemporaryRedirect)
		case r.URL.Path == "/v2/contact/id:1/message" && r.Method == "POST":
			posts.Add(1)
			http.Redirect(w, r, "/v2/contact/id:1/message2", http.StatusFound)
		default:
			gets.Add(1)
			_, _ = io.WriteString(w, `{"items":[]}`)
		}
	}))
	defer base.Close()
	c := realClient(t, base.URL+"/v2", nil)
	ctx := context.Background()
	if _, err := c.DoRequest(ctx, RawRequest{Method: "GET", Path: "/moved"}); err != nil {
		t.Errorf("same-origin GET redirect: %v", err)
	}
	_, err := c.SendMessage(ctx, ContactID(1), SendMessageRequest{Message: TextMessage("hi")})
	if err == nil || !strings.Contains(err.Error(), "it turns POST into GET") {
		t.Errorf("POST 302: err = %v, want a refused method change", err)
	}
	if _, err := c.DoRequest(ctx, RawRequest{Method: "GET", Path: "/loop"}); err == nil || !strings.Contains(err.Error(), "more than 5 redirects") {
		t.Errorf("loop: err = %v", err)
	}
	if posts.Load() != 1 || gets.Load() != 1 {
		t.Errorf("posts %d (want 1, never resent), gets %d (want 1: the moved GET only)", posts.Load(), gets.Load())
	}
}

func TestHTTPSToHTTPDowngradeRefused(t *testing.T) {
	trap, leaks := tokenTrap(t, false)
	base := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		u, _ := url.Parse(trap.URL)
		// Same host, plain http: the downgrade the plain-http rule exists to stop.
		http.Redirect(w, r, "http://"+u.Host+r.URL.Path, http.StatusMovedPermanently)
	}))
	defer base.Close()
	c := realClient(t, base.URL+"/v2", base.Client().Transport)
	_, err := c.DoRequest(context.Background(), RawRequest{Method: "GET", Path: "/space/user"})
	if err == nil || !strings.Contains(err.Error(), "it downgrades https to http") {
		t.Errorf("err = %v", err)
	}
	if leaks.Load() != 0 {
		t.Error("the token went out over plain http")
	}
}

func TestResponseSizeCap(t *testing.T) {
	const limit = 1 << 20
	body := strings.Repeat("x", 64<<10)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Get("declared") != "" {
			w.Header().Set("Content-Length", fmt.Sprint(1<<30))
			w.WriteHeader(200)
			return
		}
		w.WriteHeader(200)
		for i := 0; i < 1<<14; i++ { // up to 1 GiB, streamed, no Content-Length
			if _, err := io.WriteString(w, body); err != nil {
				return
			}
		}
	}))
	defer srv.Close()
	c := realClient(t, srv.URL+"/v2", nil, func(o *Options) { o.MaxResponseBytes = limit })
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	_, err := c.DoRequest(context.Background(), RawRequest{Method: "GET", Path: "/space/user"})
	runtime.ReadMemStats(&after)
	if err == nil || err.Error() != "response from "+c.hostLabel()+" too large: more than 1 MiB (the limit per response)" {
		t.Errorf("streamed: err = %v", err)
	}
	if grew := after.TotalAlloc - before.TotalAlloc; grew > 16*limit {
		t.Errorf("allocated %d bytes reading a capped body", grew)
	}
	_, err = c.DoRequest(context.Background(), RawRequest{Method: "GET", Path: "/space/user?declared=1"})
	if err == nil || !strings.Contains(err.Error(), "too large: the server announced 1073741824 bytes (the limit is 1 MiB per response)") {
		t.Errorf("declared: err = %v", err)
	}
	// A send whose answer is too large may have been applied.
	_, err = c.SendMessage(context.Background(), ContactID(1), SendMessageRequest{Message: TextMessage("hi")})
	if !errors.Is(err, ErrOutcomeUnknown) {
		t.Errorf("send: err = %v, want outcome unknown", err)
	}
}

func TestSendAnsweredWithoutIDIsOutcomeUnknown(t *testing.T) {
	for _, body := range []string{``, `{}`, `null`, `{"messageId":0}`, `{"messageId":-3}`, `{"error":"queue full"}`, `{"contactId":0}`} {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			_, _ = io.WriteString(w, body)
		}))
		c := realClient(t, srv.URL+"/v2", nil)
		_, err := c.SendMessage(context.Background(), ContactID(1), SendMessageRequest{Message: TextMessage("hi")})
		if !errors.Is(err, ErrOutcomeUnknown) {
			t.Errorf("send answered %q: err = %v, want outcome unknown", body, err)
		}
		_, err = c.AddComment(context.Background(), ContactID(1), "note")
		if !errors.Is(err, ErrOutcomeUnknown) {
			t.Errorf("comment answered %q: err = %v, want outcome unknown", body, err)
		}
		srv.Close()
	}
}

// realClient talks to a loopback server over real HTTP.
func realClient(t *testing.T, base string, transport http.RoundTripper, mod ...func(*Options)) *Client {
	t.Helper()
	opts := Options{BaseURL: base, Token: testToken, Transport: transport, RateLimit: -1, MaxRetries: -1}
	for _, m := range mod {
		m(&opts)
	}
	c, err := New(opts)
	if err != nil {
		t.Fatal(err)
	}
	return c
}
