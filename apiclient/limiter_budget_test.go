package apiclient

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/respondctl/respondctl/apiclient/httpmock"
)

// A 429 that arrives with budget left (Remaining ≥ 1) delays only its own
// request's retry: another contact on the same endpoint leaves at once.
func TestNonBudget429DelaysOnlyItsOwnRetry(t *testing.T) {
	reg := &httpmock.Registry{}
	defer reg.Verify(t)
	c, clock := newMockClient(t, reg, func(o *Options) { o.MaxRetries = -1 })
	reg.Register(httpmock.REST("GET", "contact/id:1"), httpmock.WithRateLimit(httpmock.TooManyRequests(2), 20, 12))
	reg.Register(httpmock.REST("GET", "contact/id:2"), httpmock.WithRateLimit(httpmock.StringResponse(`{"id":2}`), 20, 11))
	ctx := context.Background()
	if _, err := c.GetContact(ctx, "1"); !IsRateLimited(err) {
		t.Fatalf("err = %v", err)
	}
	if _, err := c.GetContact(ctx, "2"); err != nil {
		t.Fatal(err)
	}
	if s := clock.Sleeps(); len(s) != 0 {
		t.Fatalf("the endpoint was held after a 429 with budget left: sleeps %v", s)
	}
}

// …while the request that got it still honours its Retry-After.
func TestNonBudget429RetryHonoursRetryAfter(t *testing.T) {
	reg := &httpmock.Registry{}
	defer reg.Verify(t)
	c, clock := newMockClient(t, reg)
	reg.Register(httpmock.REST("GET", "contact/id:1"), httpmock.WithRateLimit(httpmock.TooManyRequests(2), 20, 12))
	reg.Register(httpmock.REST("GET", "contact/id:1"), httpmock.WithRateLimit(httpmock.StringResponse(`{"id":1}`), 20, 11))
	if _, err := c.GetContact(context.Background(), "1"); err != nil {
		t.Fatal(err)
	}
	sleepsEqual(t, clock.Sleeps(), 2*time.Second)
}

// A 429 with Remaining 0 is a spent budget: the whole endpoint waits.
func TestBudget429HoldsEndpoint(t *testing.T) {
	reg := &httpmock.Registry{}
	defer reg.Verify(t)
	c, clock := newMockClient(t, reg, func(o *Options) { o.MaxRetries = -1 })
	reg.Register(httpmock.REST("GET", "contact/id:1"), httpmock.WithRateLimit(httpmock.TooManyRequests(3), 20, 0))
	reg.Register(httpmock.REST("GET", "contact/id:2"), httpmock.StringResponse(`{"id":2}`))
	ctx := context.Background()
	if _, err := c.GetContact(ctx, "1"); !IsRateLimited(err) {
		t.Fatalf("err = %v", err)
	}
	if _, err := c.GetContact(ctx, "2"); err != nil {
		t.Fatal(err)
	}
	if s := clock.Slept(); s < 3*time.Second {
		t.Fatalf("slept %v, want the 3s hold", s)
	}
}

// An advertised limit below 0.1/s is a broken header: the default 5/s is used
// and --debug says so once.
func TestLimiterFloorIgnoresAbsurdLimit(t *testing.T) {
	for _, limit := range []string{"0.001", "1e-300", "0", "-3"} {
		t.Run(limit, func(t *testing.T) {
			reg := &httpmock.Registry{}
			defer reg.Verify(t)
			var debug syncBuffer
			c, clock := newMockClient(t, reg, func(o *Options) { o.RateLimit = 0; o.Debug = &debug })
			for range 3 {
				reg.Register(httpmock.REST("GET", "contact/id:1"),
					httpmock.WithHeader(httpmock.StringResponse(`{"id":1}`), "X-RateLimit-Limit", limit))
			}
			ctx := context.Background()
			for range 3 {
				if _, err := c.GetContact(ctx, "1"); err != nil {
					t.Fatal(err)
				}
			}
			if r := c.EndpointRate("GET", "/contact/{identifier}"); r != DefaultRateLimit {
				t.Fatalf("rate = %v, want the default %v", r, DefaultRateLimit)
			}
			if s := clock.Slept(); s > 2*time.Second {
				t.Fatalf("three requests slept %v: the absurd limit was obeyed", s)
			}
			if n := strings.Count(debug.String(), "is not a usable budget"); n != 1 {
				t.Fatalf("%d notes in the debug trace, want 1:\n%s", n, debug.String())
			}
		})
	}
}

// Retry-After: 119 on every answer must not make one read take eight minutes:
// the wait would pass the request's deadline, so the call gives up at once.
func TestRetryAfterPastDeadlineGivesUpAtOnce(t *testing.T) {
	reg := &httpmock.Registry{}
	defer reg.Verify(t)
	c, clock := newMockClient(t, reg)
	reg.Register(httpmock.REST("GET", "contact/id:1"), httpmock.TooManyRequests(119))
	_, err := c.GetContact(context.Background(), "1")
	var gu *GaveUpError
	var de *DeadlineError
	if !errors.As(err, &gu) || !errors.As(err, &de) || !IsRateLimited(err) {
		t.Fatalf("err = %v", err)
	}
	if s := clock.Sleeps(); len(s) != 0 {
		t.Fatalf("slept %v before giving up", s)
	}
	if !strings.Contains(err.Error(), "deadline") {
		t.Fatalf("error does not name the deadline: %v", err)
	}
}

// Shorter waits run until the next one would cross the deadline: the total
// time of a call stays within requestBudget.
func TestWaitsBoundedByRequestBudget(t *testing.T) {
	reg := &httpmock.Registry{}
	defer reg.Verify(t)
	c, clock := newMockClient(t, reg, func(o *Options) { o.Timeout = 10 * time.Second; o.MaxRetries = 10 })
	budget := c.requestBudget() // 2×10s + 10×8s = 100s
	if budget != 100*time.Second {
		t.Fatalf("budget = %v", budget)
	}
	for range 4 {
		reg.Register(httpmock.REST("GET", "contact/id:1"), httpmock.TooManyRequests(30))
	}
	_, err := c.GetContact(context.Background(), "1")
	var gu *GaveUpError
	if !errors.As(err, &gu) || gu.Attempts != 4 || !IsRateLimited(err) {
		t.Fatalf("err = %v", err)
	}
	if s := clock.Slept(); s > budget {
		t.Fatalf("slept %v, budget %v", s, budget)
	}
	sleepsEqual(t, clock.Sleeps(), 30*time.Second, 30*time.Second, 30*time.Second)
}

// A request queued behind an endpoint held past its deadline fails before
// sending anything.
func TestHeldEndpointPastDeadlineFailsBeforeSending(t *testing.T) {
	reg := &httpmock.Registry{}
	defer reg.Verify(t)
	c, clock := newMockClient(t, reg, func(o *Options) { o.MaxRetries = -1; o.Timeout = time.Second })
	reg.Register(httpmock.REST("GET", "contact/id:1"), httpmock.TooManyRequests(100))
	ctx := context.Background()
	if _, err := c.GetContact(ctx, "1"); !IsRateLimited(err) {
		t.Fatalf("err = %v", err)
	}
	_, err := c.GetContact(ctx, "2") // nothing registered: it must not be sent
	var gu *GaveUpError
	if !errors.As(err, &gu) || gu.Attempts != 0 || !strings.HasPrefix(err.Error(), "gave up before sending") {
		t.Fatalf("err = %v", err)
	}
	if s := clock.Sleeps(); len(s) != 0 {
		t.Fatalf("slept %v", s)
	}
}

func TestParseRetryAfterHugeDoesNotOverflow(t *testing.T) {
	for _, v := range []string{"1e300", "9223372037", "1e20"} {
		hdr := map[string][]string{"Retry-After": {v}}
		if d := parseRetryAfter(hdr, testStart); d != maxRetryAfterHeader {
			t.Errorf("Retry-After %s = %v", v, d)
		}
	}
}
