package apiclient

import (
	"context"
	"fmt"
	"math"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// limiterSet paces requests per endpoint ("METHOD /path/{template}"), as the
// platform budgets them. Each endpoint is a token bucket that models the
// server's own bucket:
//
//   - Until the first response of an endpoint arrives, the client knows
//     nothing of its budget: one request at a time, at the initial rate, with
//     a burst of 1.
//   - X-RateLimit-Limit is the rate (requests/s) and the capacity of the
//     server's bucket (a typical token bucket holds ceil(rate), as the
//     sandbox's does). The client's bucket holds that capacity less a small
//     reserve (a tenth, at least one token when the capacity allows it): the
//     reserve left in the server's bucket absorbs network jitter, which would
//     otherwise turn requests sent exactly 1/rate apart into 429s.
//   - X-RateLimit-Remaining is what the server's bucket held after that
//     request. The client never assumes more than that, less the reserve and
//     the requests still in flight (which will take their tokens too), plus
//     what has refilled since.
//   - A budget 429 (X-RateLimit-Remaining 0, or no rate headers at all: the
//     bucket is empty) holds the whole endpoint for Retry-After. A 429 that
//     arrives with budget left (Remaining ≥ 1: a per-request refusal, an
//     overloaded shard) delays only its own request's retry; the others keep
//     the bucket's pace, which never exceeds the advertised budget.
//   - An advertised limit below minAdvertisedRate (0.001, 1e-300: one request
//     every quarter of an hour or never) is a broken header, not a budget:
//     the contract's default of 5/s is used instead, with a --debug note.
//   - No wait outlasts the request's deadline (see Client.send): a wait that
//     would end after it fails the request at once instead.
//
// Requests do not reserve a slot ahead of time: a waiter re-evaluates the
// bucket each time it wakes, and every change of budget (a new limit, the
// first response) wakes all waiters at once. So goroutines queued at the
// initial 5/s leave at the server's pace as soon as it is known, instead of
// sleeping out delays computed at the old rate.
//
// All times come from the Clock, so tests drive it with a fake clock.
//
// Why not golang.org/x/time/rate (the first version used it): its reservations
// keep the delay computed at reservation time, so requests queued at the
// cautious initial 5/s kept sleeping after the server said 50/s (a 12-contact
// bulk run took 1.4 s instead of 20 ms), and it has no notion of the server's
// Remaining count or of requests in flight.
type limiterSet struct {
	initial float64 // requests/s; negative: unlimited
	clock   Clock
	note    func(string) // --debug notes; nil: none

	mu sync.Mutex
	m  map[string]*endpointLimiter
}

type endpointLimiter struct {
	mu        sync.Mutex
	rate      float64   // tokens/s; +Inf: no pacing
	burst     float64   // the client bucket's capacity
	capacity  float64   // the server's advertised capacity; 0: unknown
	tokens    float64   // available at last (may be negative: owed)
	last      time.Time // when tokens was computed
	holdUntil time.Time // no request leaves before this (429)
	answered  bool      // a response has arrived: the budget is no longer guessed
	inFlight  int       // granted requests whose attempt has not finished
	noted     bool      // the invalid-limit note was written

	// changed is cancelled (and replaced) whenever waiters may leave sooner
	// than they computed: it interrupts their sleep.
	changed context.Context
	wake    context.CancelFunc
}

func newLimiterSet(initial float64, clock Clock) *limiterSet {
	return &limiterSet{initial: initial, clock: clock, m: map[string]*endpointLimiter{}}
}

func (s *limiterSet) get(key string) *endpointLimiter {
	s.mu.Lock()
	defer s.mu.Unlock()
	e := s.m[key]
	if e == nil {
		e = &endpointLimiter{rate: s.initial, burst: 1, tokens: 1, last: s.clock.Now()}
		if s.initial < 0 {
			// Unpaced until the server advertises a budget; no probing either.
			e.rate, e.answered = math.Inf(1), true
		}
		e.changed, e.wake = context.WithCancel(context.Background())
		s.m[key] = e
	}
	return e
}

// refill adds the tokens earned since last. Callers hold e.mu.
func (e *endpointLimiter) refill(now time.Time) {
	if !now.After(e.last) {
		return
	}
	if !math.IsInf(e.rate, 1) {
		e.tokens = min(e.burst, e.tokens+now.Sub(e.last).Seconds()*e.rate)
	}
	e.last = now
}

// broadcast wakes every waiter so it re-evaluates the bucket. Callers hold e.mu.
func (e *endpointLimiter) broadcast() {
	e.wake()
	e.changed, e.wake = context.WithCancel(context.Background())
}

// tryTake grants a request or says how long to wait before asking again.
func (e *endpointLimiter) tryTake(now time.Time) (time.Duration, context.Context, bool) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.refill(now)
	switch {
	case now.Before(e.holdUntil):
		return e.holdUntil.Sub(now), e.changed, false
	case !e.answered && e.inFlight > 0:
		// Probing: the first response says what the budget is. Its end
		// broadcasts; the pacing interval is only a fallback.
		return time.Duration(float64(time.Second) / e.rate), e.changed, false
	case math.IsInf(e.rate, 1):
		e.inFlight++
		return 0, nil, true
	case e.tokens >= 1:
		e.tokens--
		e.inFlight++
		return 0, nil, true
	}
	return time.Duration(math.Ceil((1 - e.tokens) / e.rate * float64(time.Second))), e.changed, false
}

// wait blocks until a request to key may leave, or ctx is done. Every
// successful wait must be followed by finish once the attempt is over. A
// wait that would end after deadline (zero: none) returns a *waitTooLong at
// once: sleeping first and failing later would only make the failure slower.
func (s *limiterSet) wait(ctx context.Context, key string, deadline time.Time) (*endpointLimiter, error) {
	e := s.get(key)
	for {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		now := s.clock.Now()
		d, changed, ok := e.tryTake(now)
		if ok {
			return e, nil
		}
		if !deadline.IsZero() && now.Add(d).After(deadline) {
			return nil, &waitTooLong{wait: d, reason: e.waitReason(now)}
		}
		if err := sleepUnlessChanged(ctx, s.clock, d, changed); err != nil {
			return nil, err
		}
	}
}

// sleepUnlessChanged sleeps d on clock, returning early (nil) when changed is
// done and with ctx.Err() when ctx is.
func sleepUnlessChanged(ctx context.Context, clock Clock, d time.Duration, changed context.Context) error {
	sctx, cancel := context.WithCancel(ctx)
	defer cancel()
	stop := context.AfterFunc(changed, cancel)
	defer stop()
	// An error with ctx still live means changed woke us: re-evaluate.
	_ = clock.Sleep(sctx, d)
	return ctx.Err()
}

// finish ends an attempt granted by wait and adapts the endpoint to what the
// server said about its budget. resp is nil when no response arrived.
func (s *limiterSet) finish(e *endpointLimiter, resp *response, retryAfter time.Duration) {
	now := s.clock.Now()
	e.mu.Lock()
	defer e.mu.Unlock()
	e.refill(now)
	e.inFlight--
	if resp == nil {
		if !e.answered {
			e.broadcast() // the probe failed: let the next request probe
		}
		return
	}
	wake := !e.answered
	e.answered = true
	if n, ok := headerNumber(resp.header, "X-RateLimit-Limit"); ok {
		if n < minAdvertisedRate {
			if !e.noted && s.note != nil {
				s.note(fmt.Sprintf("X-RateLimit-Limit %s is not a usable budget (below %g/s): using the default %g/s",
					strings.TrimSpace(resp.header.Get("X-RateLimit-Limit")), minAdvertisedRate, DefaultRateLimit))
			}
			e.noted = true
			n = DefaultRateLimit
		}
		if n != e.rate || math.Ceil(n) != e.capacity {
			e.rate, e.capacity = n, math.Ceil(n)
			e.burst = e.capacity - reserve(e.capacity)
			// The bucket was sized for a guess: start over from what the
			// server holds (Remaining, below) or, without it, a full bucket.
			e.tokens = e.burst - float64(e.inFlight)
			wake = true
		}
	}
	if rem, ok := headerNumber(resp.header, "X-RateLimit-Remaining"); ok && rem >= 0 {
		avail := math.Floor(rem) - reserve(e.capacity) - float64(e.inFlight)
		e.tokens = min(e.tokens, avail)
	}
	if resp.status == http.StatusTooManyRequests && budgetRefusal(resp.header) {
		if retryAfter <= 0 {
			retryAfter = time.Second
		}
		if t := now.Add(retryAfter); t.After(e.holdUntil) {
			e.holdUntil = t
		}
		e.tokens = min(e.tokens, 0)
	}
	if wake {
		e.broadcast()
	}
}

// minAdvertisedRate is the lowest X-RateLimit-Limit taken at its word: one
// request every 10 s. Below it the header is treated as invalid.
const minAdvertisedRate = 0.1

// budgetRefusal says whether a 429 means the endpoint's budget is spent
// (Remaining 0, or no rate headers to say otherwise), as opposed to a refusal
// of this one request while budget is left.
func budgetRefusal(h http.Header) bool {
	rem, ok := headerNumber(h, "X-RateLimit-Remaining")
	return !ok || math.Floor(rem) < 1
}

// waitReason names what a request is waiting for. Callers hold no lock.
func (e *endpointLimiter) waitReason(now time.Time) string {
	e.mu.Lock()
	defer e.mu.Unlock()
	if now.Before(e.holdUntil) {
		return "the endpoint is paused after a 429 (Retry-After)"
	}
	return fmt.Sprintf("the rate limit (%g requests/s)", e.rate)
}

// reserve is how many of the server's capacity tokens the client leaves
// unused: a tenth, at least one, but never the whole bucket.
func reserve(capacity float64) float64 {
	if capacity <= 1 {
		return 0
	}
	return min(math.Ceil(capacity/10), capacity-1)
}

func headerNumber(h http.Header, name string) (float64, bool) {
	v := strings.TrimSpace(h.Get(name))
	if v == "" {
		return 0, false
	}
	n, err := strconv.ParseFloat(v, 64)
	if err != nil || math.IsNaN(n) || math.IsInf(n, 0) {
		return 0, false
	}
	return n, true
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
			return math.Inf(1)
		}
		return c.limits.initial
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.rate
}

// endpointKey is "METHOD /path/template" for a path relative to the base URL
// (unescaped). Contact identifiers become {identifier}, message ids
// {messageId}, other numeric segments {id}, so one budget covers all contacts.
func endpointKey(method, path string) string {
	segs := strings.Split(strings.Trim(path, "/"), "/")
	for i, s := range segs {
		switch {
		case i == 1 && segs[0] == "contact" && (s == "create_or_update" || s == "merge"):
		case i == 2 && segs[0] == "contact" && segs[1] == "create_or_update":
			segs[i] = "{identifier}"
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
