package apiclient

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// remainingZeroHold is how long an endpoint pauses after the server says its
// budget is spent (X-RateLimit-Remaining: 0): the platform's budgets are per
// second, so one second lets the window pass.
const remainingZeroHold = time.Second

// limiterSet paces requests per endpoint ("METHOD /path/{template}"), as the
// platform budgets them. Each endpoint is a token bucket with burst 1: requests
// leave evenly spaced at the current rate, which saturates a server bucket of
// the same rate without ever exceeding it. All times come from the Clock, so
// tests drive it with a fake clock.
type limiterSet struct {
	initial float64 // requests/s; negative: unlimited
	clock   Clock

	mu sync.Mutex
	m  map[string]*endpointLimiter
}

type endpointLimiter struct {
	lim *rate.Limiter // safe for concurrent use on its own

	mu        sync.Mutex
	holdUntil time.Time // no request leaves before this (429 / Remaining 0)
}

func newLimiterSet(initial float64, clock Clock) *limiterSet {
	return &limiterSet{initial: initial, clock: clock, m: map[string]*endpointLimiter{}}
}

func (s *limiterSet) get(key string) *endpointLimiter {
	s.mu.Lock()
	defer s.mu.Unlock()
	e := s.m[key]
	if e == nil {
		r := rate.Limit(s.initial)
		if s.initial < 0 {
			r = rate.Inf
		}
		e = &endpointLimiter{lim: rate.NewLimiter(r, 1)}
		s.m[key] = e
	}
	return e
}

func (e *endpointLimiter) hold() time.Time {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.holdUntil
}

// extendHold makes every request to the endpoint wait until t.
func (e *endpointLimiter) extendHold(t time.Time) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if t.After(e.holdUntil) {
		e.holdUntil = t
	}
}

// wait blocks until a request to key may leave, or ctx is done.
func (s *limiterSet) wait(ctx context.Context, key string) error {
	e := s.get(key)
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		now := s.clock.Now()
		if h := e.hold(); now.Before(h) {
			if err := s.clock.Sleep(ctx, h.Sub(now)); err != nil {
				return err
			}
			continue
		}
		r := e.lim.ReserveN(now, 1)
		if d := r.DelayFrom(now); d > 0 {
			if err := s.clock.Sleep(ctx, d); err != nil {
				r.CancelAt(s.clock.Now())
				return err
			}
		}
		// Another goroutine may have seen a 429 while we slept: honour it.
		if s.clock.Now().Before(e.hold()) {
			continue
		}
		return nil
	}
}

// observe adapts the endpoint to what the server said about its budget.
func (s *limiterSet) observe(key string, status int, h http.Header, retryAfter time.Duration) {
	e := s.get(key)
	now := s.clock.Now()
	if n, err := strconv.ParseFloat(strings.TrimSpace(h.Get("X-RateLimit-Limit")), 64); err == nil && n > 0 {
		if rate.Limit(n) != e.lim.Limit() {
			e.lim.SetLimitAt(now, rate.Limit(n))
		}
	}
	if rem := strings.TrimSpace(h.Get("X-RateLimit-Remaining")); rem == "0" {
		e.extendHold(now.Add(remainingZeroHold))
	}
	if status == http.StatusTooManyRequests {
		if retryAfter <= 0 {
			retryAfter = remainingZeroHold
		}
		e.extendHold(now.Add(retryAfter))
	}
}

// EndpointRate is the current budget in requests/s of an endpoint, e.g.
// EndpointRate("POST", "/contact/{identifier}/message"). Endpoints not used yet
// report the initial rate; +Inf means unlimited.
func (c *Client) EndpointRate(method, pathTemplate string) float64 {
	key := strings.ToUpper(method) + " " + pathTemplate
	c.limits.mu.Lock()
	e := c.limits.m[key]
	c.limits.mu.Unlock()
	if e == nil {
		if c.limits.initial < 0 {
			return float64(rate.Inf)
		}
		return c.limits.initial
	}
	return float64(e.lim.Limit())
}

// endpointKey is "METHOD /path/template" for a path relative to the base URL
// (unescaped). Contact identifiers become {identifier}, message ids
// {messageId}, other numeric segments {id}, so one budget covers all contacts.
func endpointKey(method, path string) string {
	segs := strings.Split(strings.Trim(path, "/"), "/")
	for i, s := range segs {
		switch {
		case i == 1 && segs[0] == "contact" && s != "list" && s != "count":
			segs[i] = "{identifier}"
		case i == 3 && segs[0] == "contact" && segs[2] == "message" && s != "list":
			segs[i] = "{messageId}"
		case allDigits(s):
			segs[i] = "{id}"
		}
	}
	return strings.ToUpper(method) + " /" + strings.Join(segs, "/")
}
