package apiclient

import (
	"context"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/respondctl/respondctl/apiclient/httpmock"
	"github.com/respondctl/respondctl/sandbox/ratelimit"
)

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// jsonResponse is a 200 with the given rate-limit headers (negative: absent).
func jsonResponse(req *http.Request, status int, limit, remaining int) *http.Response {
	h := http.Header{"Content-Type": {"application/json"}}
	if limit >= 0 {
		h.Set("X-RateLimit-Limit", strconv.Itoa(limit))
	}
	if remaining >= 0 {
		h.Set("X-RateLimit-Remaining", strconv.Itoa(remaining))
	}
	body := `{"id":1,"messageId":1}` // a send answered without a message id is outcome unknown
	if status == http.StatusTooManyRequests {
		h.Set("Retry-After", "1")
		body = `{"code":429,"message":"Too many requests"}`
	}
	return &http.Response{StatusCode: status, Header: h, Body: io.NopCloser(strings.NewReader(body)), Request: req}
}

func newClockedClient(t *testing.T, clock Clock, tr http.RoundTripper) *Client {
	t.Helper()
	c, err := New(Options{BaseURL: "https://api.test/v2", Token: testToken, Transport: tr, Clock: clock, Rand: func() float64 { return 1 }})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// countingTransport numbers the requests it receives (from 1) and answers
// each with answer(req, n); sent reports how many arrived so far.
type countingTransport struct {
	mu     sync.Mutex
	n      int
	answer func(req *http.Request, n int) *http.Response
}

func (c *countingTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	c.mu.Lock()
	c.n++
	n := c.n
	c.mu.Unlock()
	return c.answer(req, n), nil
}

func (c *countingTransport) sent() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.n
}

// waitGroupOrFail waits for wg; the deadline only turns a hang into a failure.
func waitGroupOrFail(t *testing.T, wg *sync.WaitGroup, what string) {
	t.Helper()
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatalf("%s: still waiting (stale limiter delays?)", what)
	}
}

// A fresh client knows nothing of the budget: its first request goes alone.
// Requests queued behind it at the initial 5/s must leave as soon as the
// server says 50/s with 49 left, not at 200 ms intervals computed before: 12
// contacts take no limiter time at all after the first answer.
func TestLimiterQueuedRequestsLeaveAtServerPace(t *testing.T) {
	clock := httpmock.NewManualClock(testStart)
	release := make(chan struct{})
	firstArrived := make(chan struct{})
	tr := &countingTransport{answer: func(req *http.Request, n int) *http.Response {
		if n == 1 {
			close(firstArrived)
			<-release
		}
		return jsonResponse(req, 200, 50, 50-n)
	}}
	c := newClockedClient(t, clock, tr)
	var wg sync.WaitGroup
	for i := range 12 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := c.GetContact(context.Background(), ContactID(int64(i+1))); err != nil {
				t.Error(err)
			}
		}()
	}
	<-firstArrived
	clock.AwaitSleeping(t, 11) // everyone else waits for the first answer
	if n := tr.sent(); n != 1 {
		t.Errorf("%d requests left before the budget was known, want 1", n)
	}
	close(release)
	waitGroupOrFail(t, &wg, "12 requests after the server advertised 50/s")
	if n := tr.sent(); n != 12 {
		t.Errorf("sent %d, want 12", n)
	}
	if d := clock.Now().Sub(testStart); d != 0 {
		t.Errorf("limiter time %v, want 0", d)
	}
	if r := c.EndpointRate("GET", "/contact/{identifier}"); r != 50 {
		t.Errorf("rate = %v, want 50", r)
	}
}

// A waiter sleeping out a delay computed at the old rate leaves at once when
// an answer raises the rate.
func TestLimiterRateRiseWakesWaiters(t *testing.T) {
	clock := httpmock.NewManualClock(testStart)
	hold := make(chan struct{})
	arrived := make(chan int, 3)
	c := newClockedClient(t, clock, &countingTransport{answer: func(req *http.Request, n int) *http.Response {
		arrived <- n
		switch n {
		case 1: // no budget headers: stay at the initial 5/s, burst 1
			return jsonResponse(req, 200, -1, -1)
		case 2:
			<-hold
			return jsonResponse(req, 200, 50, 48)
		}
		return jsonResponse(req, 200, 50, 47)
	}})
	ctx := context.Background()
	if _, err := c.GetContact(ctx, ContactID(1)); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { // waits 200ms, then is held by the server
		defer wg.Done()
		if _, err := c.GetContact(ctx, ContactID(2)); err != nil {
			t.Error(err)
		}
	}()
	clock.AwaitSleeping(t, 1)
	<-arrived // the first
	clock.Advance(200 * time.Millisecond)
	<-arrived // the second, now held by the server
	wg.Add(1)
	go func() {
		defer wg.Done()
		if _, err := c.GetContact(ctx, ContactID(3)); err != nil {
			t.Error(err)
		}
	}()
	clock.AwaitSleeping(t, 1) // the third waits 200ms at 5/s…
	close(hold)               // …until the second's answer says 50/s
	waitGroupOrFail(t, &wg, "a waiter after the rate rose")
	if d := clock.Now().Sub(testStart); d != 200*time.Millisecond {
		t.Errorf("limiter time %v, want 200ms", d)
	}
}

// X-RateLimit-Remaining is the burst available now, less the reserve kept
// against jitter (one token at a limit of 10).
func TestLimiterBurstFollowsRemaining(t *testing.T) {
	clock := httpmock.NewManualClock(testStart)
	remaining := []int{3, 2, 1, 0, 5}
	var mu sync.Mutex
	c := newClockedClient(t, clock, roundTripFunc(func(req *http.Request) (*http.Response, error) {
		mu.Lock()
		defer mu.Unlock()
		r := remaining[0]
		remaining = remaining[1:]
		return jsonResponse(req, 200, 10, r), nil
	}))
	ctx := context.Background()
	for i := range 3 { // 1 probe + 2 of the burst (3 left - 1 reserve)
		if _, err := c.GetContact(ctx, ContactID(int64(i+1))); err != nil {
			t.Fatal(err)
		}
	}
	if d := clock.Now().Sub(testStart); d != 0 {
		t.Fatalf("burst waited %v", d)
	}
	done := make(chan error)
	go func() { _, err := c.GetContact(ctx, ContactID(4)); done <- err }()
	clock.AwaitSleeping(t, 1)
	clock.Advance(100 * time.Millisecond) // one token at 10/s
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	// Remaining 0: the reserve token must refill too before the next leaves.
	go func() { _, err := c.GetContact(ctx, ContactID(5)); done <- err }()
	clock.AwaitSleeping(t, 1)
	clock.Advance(100 * time.Millisecond)
	clock.AwaitSleeping(t, 1)
	clock.Advance(100 * time.Millisecond)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}

// Against the sandbox's token bucket (capacity ceil(rate)) on one fake clock:
// the client bursts to the advertised capacity less its reserve, then keeps
// the exact rate, and never draws a 429.
func TestLimiterSustainsTokenBucketWithout429(t *testing.T) {
	for _, limit := range []float64{5, 50} {
		clock := httpmock.NewFakeClock(testStart)
		srv := ratelimit.New(limit, clock.Now)
		tooMany := 0
		c := newClockedClient(t, clock, roundTripFunc(func(req *http.Request) (*http.Response, error) {
			ok, lim, rem, _ := srv.Allow("k")
			if !ok {
				tooMany++
				return jsonResponse(req, http.StatusTooManyRequests, lim, 0), nil
			}
			return jsonResponse(req, 200, lim, rem), nil
		}))
		const n = 500
		for i := range n {
			if _, err := c.GetContact(context.Background(), ContactID(int64(i+1))); err != nil {
				t.Fatal(err)
			}
		}
		burst := limit - reserve(limit)
		want := time.Duration((n - 1 - burst) / limit * float64(time.Second))
		got := clock.Now().Sub(testStart)
		t.Logf("limit %v: %d requests in %v, %d answered 429", limit, n, got, tooMany)
		if tooMany != 0 {
			t.Errorf("limit %v: %d requests answered 429", limit, tooMany)
		}
		if got < want-time.Second/time.Duration(limit) || got > want+time.Second/time.Duration(limit) {
			t.Errorf("limit %v: took %v, want ~%v (a burst of %v, then exactly %v/s)", limit, got, want, burst, limit)
		}
	}
}
