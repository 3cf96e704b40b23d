package sandbox

import (
	"net/http"
	"strings"
	"testing"
	"time"
)

// Every API response carries the rate-limit headers while limiting is on,
// errors and unknown paths included; sandbox-only endpoints are exempt.
func TestRateLimitHeadersOnEveryAPIResponse(t *testing.T) {
	t.Parallel() // its own sandbox
	e := start(t, Options{Rate: 50})
	for _, c := range []struct {
		method, path string
		body         any
		status       int
	}{
		{"GET", "/contact/id:1", nil, 200},
		{"GET", "/contact/id:999999", nil, 404},
		{"GET", "/contact/bogus", nil, 400},
		{"GET", "/nope", nil, 404},
		{"GET", "/contact/list", nil, 405},
		{"POST", "/contact/list", `{"search":"` + strings.Repeat("a", MaxBodyBytes) + `"}`, 413},
	} {
		r := e.do(c.method, c.path, c.body)
		if r.status != c.status || r.header.Get("X-RateLimit-Limit") != "50" || r.header.Get("X-RateLimit-Remaining") == "" {
			t.Errorf("%s %s: %d (want %d), headers %v", c.method, c.path, r.status, c.status, r.header)
		}
	}
	if r := e.do("GET", "/contact/list", nil); r.header.Get("Allow") != "POST" {
		t.Errorf("405 without Allow: %v", r.header)
	}
	if r := e.do("GET", "/sandbox/audit", nil); r.header.Get("X-RateLimit-Limit") != "" {
		t.Errorf("sandbox endpoint has rate-limit headers")
	}
	if r := e.doToken("GET", "/contact/id:1", nil, "wrong"); r.status != 401 || r.header.Get("X-RateLimit-Limit") != "" {
		t.Errorf("401: %d %v", r.status, r.header)
	}
}

// With limiting off the sandbox advertises nothing (README, Rate limits): no made-up budget
// for clients to pace by.
func TestNoRateLimitHeadersWhenOff(t *testing.T) {
	t.Parallel() // its own sandbox
	e := start(t, Options{})
	for _, path := range []string{"/contact/id:1", "/nope"} {
		if r := e.do("GET", path, nil); r.header.Get("X-RateLimit-Limit") != "" || r.header.Get("X-RateLimit-Remaining") != "" {
			t.Errorf("GET %s with Rate 0: %v", path, r.header)
		}
	}
}

// A 449 fault is the platform's "queued, retry later": JSON, Retry-After, not applied.
func TestQueuedFault(t *testing.T) {
	t.Parallel() // its own sandbox
	e := start(t, Options{Faults: "449=1"})
	r := e.do("POST", "/contact/id:1/comment", map[string]any{"text": "x"})
	if r.status != 449 || r.header.Get("Retry-After") != "1" || !strings.Contains(string(r.body), `"code":449`) {
		t.Fatalf("449 fault: %d %v %s", r.status, r.header, r.body)
	}
	if n := len(items(e.ok("GET", "/sandbox/audit?action=comment_created", nil))); n != 0 {
		t.Errorf("449 left %d audit rows", n)
	}
}

// A reset fault drops the connection; half the time after applying the change.
// The audit trail (exempt from faults) tells which, and the log says "reset".
func TestResetBeforeAndAfter(t *testing.T) {
	t.Parallel() // its own sandbox
	var log syncBuffer
	e := start(t, Options{Faults: "reset=1,seed=3", Log: &log})
	const n = 24
	client := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
	for i := 0; i < n; i++ {
		req, _ := http.NewRequest("POST", e.srv.URL()+"/contact/id:1/comment", strings.NewReader(`{"text":"reset test"}`))
		req.Header.Set("Authorization", "Bearer "+e.srv.Token())
		if res, err := client.Do(req); err == nil {
			res.Body.Close()
			t.Fatalf("request %d got a response (%d), want a reset", i, res.StatusCode)
		}
	}
	rows := items(e.ok("GET", "/sandbox/audit?action=comment_created&limit=100", nil))
	var comments int
	if err := e.srv.Store().DB().QueryRow(`SELECT COUNT(*) FROM comments WHERE text = 'reset test'`).Scan(&comments); err != nil {
		t.Fatal(err)
	}
	if len(rows) == 0 || len(rows) == n || comments != len(rows) {
		t.Errorf("applied %d of %d with %d audit rows: want some before and some after, one row per applied change", comments, n, len(rows))
	}
	// The server logs a reset after closing the connection, so the last line
	// may trail the client's error by a moment.
	deadline := time.Now().Add(5 * time.Second)
	for strings.Count(log.String(), "POST /v2/contact/id:1/comment reset") < n && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	if got := strings.Count(log.String(), "POST /v2/contact/id:1/comment reset"); got != n {
		t.Errorf("log has %d reset lines, want %d:\n%s", got, n, log.String())
	}
}

// Each channel reports only the statuses it knows: after a minute a message
// on Instagram is read, on SMS delivered, on Telegram, LINE and email only sent.
func TestDeliveryPerChannel(t *testing.T) {
	t.Parallel() // its own sandbox
	e := start(t, Options{})
	text := map[string]any{"type": "text", "text": "Hello"}
	email := map[string]any{"type": "email", "text": "Hello", "subject": "Hi"}
	cases := []struct {
		channel int64
		message map[string]any
		want    string
	}{
		{33, text, "pending,sent,delivered,read"}, // instagram
		{40, text, "pending,sent,delivered,read"}, // viber
		{36, text, "pending,sent,delivered,read"}, // webchat
		{37, text, "pending,sent,delivered"},      // twilio SMS
		{34, text, "pending,sent"},                // telegram
		{39, text, "pending,sent"},                // line
		{35, email, "pending,sent"},               // gmail
	}
	const contact = "id:40"
	ids := make([]int64, len(cases))
	for i, c := range cases {
		// An incoming message links the channel and opens its window.
		e.ok("POST", "/sandbox/simulate/incoming", map[string]any{"identifier": contact, "channelId": c.channel,
			"message": map[string]any{"type": "text", "text": "hi"}})
		ids[i] = send(e, contact, map[string]any{"channelId": c.channel, "message": c.message})
	}
	e.clock.Advance(time.Minute)
	for i, c := range cases {
		if got := statusValues(getMsg(e, contact, ids[i])); got != c.want {
			t.Errorf("channel %d: %s, want %s", c.channel, got, c.want)
		}
	}
}
