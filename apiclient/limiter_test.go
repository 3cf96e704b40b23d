package apiclient

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/respondctl/respondctl/apiclient/httpmock"
	"github.com/respondctl/respondctl/sandbox/ratelimit"
)

func TestEndpointKey(t *testing.T) {
	for path, want := range map[string]string{
		"/contact/id:5":                                   "GET /contact/{identifier}",
		"/contact/email:a@b.com/message":                  "GET /contact/{identifier}/message",
		"/contact/id:5/message/88001":                     "GET /contact/{identifier}/message/{messageId}",
		"/contact/id:5/message/list":                      "GET /contact/{identifier}/message/list",
		"/contact/list":                                   "GET /contact/list",
		"/contact/count":                                  "GET /contact/count",
		"/contact/id:5/conversation/event/list":           "GET /contact/{identifier}/conversation/event/list",
		"/space/user/7":                                   "GET /space/user/{id}",
		"/space/user":                                     "GET /space/user",
		"space/closing_notes/":                            "GET /space/closing_notes",
		"/contact/phone:+60123456789/conversation/status": "GET /contact/{identifier}/conversation/status",
	} {
		if got := endpointKey("get", path); got != want {
			t.Errorf("endpointKey(%q) = %q, want %q", path, got, want)
		}
	}
}

func TestLimiterPacesPerEndpoint(t *testing.T) {
	reg := &httpmock.Registry{}
	defer reg.Verify(t)
	c, clock := newMockClient(t, reg, func(o *Options) { o.RateLimit = 0 }) // default 5/s
	for i := range 3 {
		reg.Register(httpmock.REST("GET", "contact/id:1"), httpmock.StringResponse(`{"id":1}`))
		_ = i
	}
	reg.Register(httpmock.REST("GET", "space/user/1"), httpmock.StringResponse(`{"id":1}`))
	ctx := context.Background()
	for range 3 {
		if _, err := c.GetContact(ctx, "1"); err != nil {
			t.Fatal(err)
		}
	}
	// Another endpoint has its own budget: no wait.
	if _, err := c.GetUser(ctx, 1); err != nil {
		t.Fatal(err)
	}
	sleepsEqual(t, clock.Sleeps(), 200*time.Millisecond, 200*time.Millisecond)
	if r := c.EndpointRate("GET", "/contact/{identifier}"); r != 5 {
		t.Errorf("rate = %v", r)
	}
}

func TestLimiterAdaptsToServerHeaders(t *testing.T) {
	reg := &httpmock.Registry{}
	defer reg.Verify(t)
	c, clock := newMockClient(t, reg, func(o *Options) { o.RateLimit = 0 })
	ok := httpmock.StringResponse(`{"id":1}`)
	reg.Register(httpmock.REST("GET", "contact/id:1"), httpmock.WithRateLimit(ok, 10, 9))
	reg.Register(httpmock.REST("GET", "contact/id:2"), httpmock.WithRateLimit(ok, 10, 0))
	reg.Register(httpmock.REST("GET", "contact/id:3"), httpmock.WithRateLimit(ok, 10, 9))
	ctx := context.Background()
	if _, err := c.GetContact(ctx, "1"); err != nil {
		t.Fatal(err)
	}
	if r := c.EndpointRate("GET", "/contact/{identifier}"); r != 10 {
		t.Fatalf("rate after X-RateLimit-Limit: 10 = %v", r)
	}
	if _, err := c.GetContact(ctx, "2"); err != nil {
		t.Fatal(err)
	}
	if _, err := c.GetContact(ctx, "3"); err != nil {
		t.Fatal(err)
	}
	// Limit 10 with 9 left: a burst of 8 (one token kept in reserve), so the
	// second leaves at once; after Remaining 0 the third waits for that token
	// and the reserve to refill: 200ms at 10/s.
	sleepsEqual(t, clock.Sleeps(), 200*time.Millisecond)
}

func TestRateLimited429PausesWholeEndpoint(t *testing.T) {
	reg := &httpmock.Registry{}
	defer reg.Verify(t)
	c, clock := newMockClient(t, reg, func(o *Options) { o.MaxRetries = -1 })
	reg.Register(httpmock.REST("GET", "contact/id:1"), httpmock.TooManyRequests(2))
	reg.Register(httpmock.REST("GET", "contact/id:2"), httpmock.StringResponse(`{"id":2}`))
	reg.Register(httpmock.REST("GET", "space/user/1"), httpmock.StringResponse(`{"id":1}`))
	ctx := context.Background()
	if _, err := c.GetContact(ctx, "1"); !IsRateLimited(err) {
		t.Fatalf("err = %v", err)
	}
	// Other endpoints are not held…
	if _, err := c.GetUser(ctx, 1); err != nil {
		t.Fatal(err)
	}
	if len(clock.Sleeps()) != 0 {
		t.Fatalf("other endpoint waited: %v", clock.Sleeps())
	}
	// …but another contact on the same endpoint waits for Retry-After.
	if _, err := c.GetContact(ctx, "2"); err != nil {
		t.Fatal(err)
	}
	sleepsEqual(t, clock.Sleeps(), 2*time.Second)
}

// Many goroutines on one client against a real token-bucket server (the
// sandbox's limiter, 20/s with a burst of 20): the client adapts from its
// default 5/s to the advertised 20/s, bursts, and keeps the pace without a
// single 429.
func TestConcurrentWorkersSaturateWithout429(t *testing.T) {
	if testing.Short() {
		t.Skip("takes ~3s of real time")
	}
	const rate, total, workers = 20, 70, 8
	lim := ratelimit.New(rate, nil)
	var served, refused atomic.Int64
	handler := lim.Middleware(func(r *http.Request) string { return r.Method + " " + r.URL.Path }, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		served.Add(1)
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"contactId":1}`))
	}))
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := &statusRecorder{ResponseWriter: w}
		handler.ServeHTTP(rec, r)
		if rec.status == http.StatusTooManyRequests {
			refused.Add(1)
		}
	}))
	defer srv.Close()
	c, err := New(Options{BaseURL: srv.URL + "/v2", Token: testToken})
	if err != nil {
		t.Fatal(err)
	}
	jobs := make(chan int)
	var wg sync.WaitGroup
	start := time.Now()
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				// All contacts share one endpoint budget.
				if err := c.SetConversationStatus(context.Background(), ContactID(int64(i+1)), StatusRequest{Status: "open"}); err != nil {
					t.Error(err)
				}
			}
		}()
	}
	for i := range total {
		jobs <- i
	}
	close(jobs)
	wg.Wait()
	elapsed := time.Since(start)
	if refused.Load() != 0 {
		t.Errorf("%d requests were refused with 429", refused.Load())
	}
	if served.Load() != total {
		t.Errorf("served %d, want %d", served.Load(), total)
	}
	if got := c.EndpointRate("POST", "/contact/{identifier}/conversation/status"); got != rate {
		t.Errorf("adapted rate = %v, want %v", got, rate)
	}
	// After the first answer a burst of 18 (the server's 20 less a reserve of 2),
	// then evenly paced at 20/s: ~2.55s; allow slack for a loaded machine.
	min, max := time.Duration(float64(total-2-18)/rate*float64(time.Second)), 7*time.Second
	if elapsed < min || elapsed > max {
		t.Errorf("elapsed %v, want between %v and %v", elapsed, min, max)
	}
	t.Logf("%d requests in %v (%.1f req/s), 0 refused", total, elapsed, float64(total)/elapsed.Seconds())
}

type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (r *statusRecorder) WriteHeader(code int) {
	r.status = code
	r.ResponseWriter.WriteHeader(code)
}
