package sandbox

import (
	"net/http"
	"strings"
	"testing"
)

// Every API response carries the rate-limit headers while limiting is on,
// errors and unknown paths included; sandbox-only endpoints are exempt.
func TestRateLimitHeadersOnEveryAPIResponse(t *testing.T) {
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

// A 449 fault is the platform's "queued, retry later": JSON, Retry-After, not applied.
func TestQueuedFault(t *testing.T) {
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
	if got := strings.Count(log.String(), "POST /v2/contact/id:1/comment reset"); got != n {
		t.Errorf("log has %d reset lines, want %d:\n%s", got, n, log.String())
	}
}
