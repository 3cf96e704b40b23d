// Package ratelimit is the sandbox's per-key token-bucket rate limiter,
// exposed as HTTP middleware.
//
// Every key (the sandbox uses "token|METHOD /path/{template}") gets its own
// bucket. A bucket holds at most ceil(rate) tokens, so a client may burst one
// second's worth of requests, and refills continuously at rate tokens per
// second. A request takes one token.
//
// Response headers, on every response while limiting is on:
//
//	X-RateLimit-Limit:     ceil(rate), requests per second (the bucket capacity)
//	X-RateLimit-Remaining: whole tokens left after this request
//
// When the bucket is empty the request is refused with
//
//	429 Too Many Requests
//	Content-Type: application/json
//	Retry-After: <whole seconds until one token is back, rounded up, at least 1>
//	{"code":429,"message":"Too many requests"}
//
// and the wrapped handler is not called.
//
// A rate of 0 (or less) turns limiting off: the middleware passes every
// request through untouched and sets no X-RateLimit-* headers. Sending
// "Limit: 0" instead would tell a client that adapts to the headers that it
// has no budget at all, which is the opposite of "off".
//
// Memory stays bounded: a bucket that has been idle long enough to refill
// completely is indistinguishable from a new one, so it is dropped on the
// next sweep; above MaxBuckets live buckets the oldest-idle ones are dropped
// too (which can only make the limiter more lenient, never stricter).
package ratelimit

import (
	"math"
	"net/http"
	"strconv"
	"sync"
	"time"
)

// MaxBuckets caps how many buckets a Limiter keeps at once.
const MaxBuckets = 1 << 16

// epsilon absorbs float rounding in refill arithmetic, so that exactly one
// refill interval on a fake clock yields exactly one token.
const epsilon = 1e-9

// tooManyBody is the JSON error body of a refused request.
const tooManyBody = `{"code":429,"message":"Too many requests"}`

// Limiter is a set of token buckets, one per key. It is safe for concurrent use.
type Limiter struct {
	rate     float64 // tokens per second; <= 0 means off
	capacity float64 // ceil(rate)
	limit    int     // capacity as reported in X-RateLimit-Limit
	now      func() time.Time

	mu        sync.Mutex
	buckets   map[string]*bucket
	lastSweep time.Time
}

type bucket struct {
	tokens float64   // tokens available at last
	last   time.Time // when tokens was computed
}

// New returns a Limiter granting ratePerSec requests per second per key, with
// a burst of ceil(ratePerSec). ratePerSec <= 0 (or NaN) turns limiting off.
// now is the clock; nil means time.Now.
func New(ratePerSec float64, now func() time.Time) *Limiter {
	if now == nil {
		now = time.Now
	}
	if math.IsNaN(ratePerSec) || ratePerSec < 0 {
		ratePerSec = 0
	}
	l := &Limiter{rate: ratePerSec, now: now, buckets: make(map[string]*bucket)}
	if ratePerSec > 0 {
		l.capacity = math.Ceil(ratePerSec)
		if l.capacity > float64(math.MaxInt32) {
			l.capacity = float64(math.MaxInt32)
		}
		l.limit = int(l.capacity)
	}
	return l
}

// Enabled reports whether the limiter limits anything (rate > 0).
func (l *Limiter) Enabled() bool { return l.rate > 0 }

// Allow takes one token from key's bucket.
//
// ok reports whether the request may proceed. limit is the bucket capacity
// (ceil(rate)); remaining is the number of whole tokens left after this
// request. When !ok, retryAfter is the exact time until one token is
// available (the middleware rounds it up to whole seconds). When limiting is
// off Allow returns (true, 0, 0, 0).
func (l *Limiter) Allow(key string) (ok bool, limit int, remaining int, retryAfter time.Duration) {
	if l.rate <= 0 {
		return true, 0, 0, 0
	}
	now := l.now()

	l.mu.Lock()
	defer l.mu.Unlock()
	l.maybeSweep(now)

	b := l.buckets[key]
	if b == nil {
		b = &bucket{tokens: l.capacity, last: now}
		l.buckets[key] = b
	} else {
		b.tokens = l.refilled(b, now)
		if now.After(b.last) {
			b.last = now
		}
	}

	if b.tokens+epsilon >= 1 {
		b.tokens--
		if b.tokens < 0 {
			b.tokens = 0 // only rounding noise can put it there
		}
		return true, l.limit, wholeTokens(b.tokens), 0
	}
	missing := 1 - b.tokens
	retryAfter = time.Duration(math.Ceil(missing / l.rate * float64(time.Second)))
	if retryAfter <= 0 {
		retryAfter = time.Nanosecond
	}
	return false, l.limit, 0, retryAfter
}

// refilled is b's token count at now. A clock that went backwards adds nothing.
func (l *Limiter) refilled(b *bucket, now time.Time) float64 {
	elapsed := now.Sub(b.last)
	if elapsed <= 0 {
		return b.tokens
	}
	t := b.tokens + elapsed.Seconds()*l.rate
	if t > l.capacity-epsilon {
		return l.capacity
	}
	return t
}

func wholeTokens(t float64) int { return int(math.Floor(t + epsilon)) }

// fillTime is how long an empty bucket takes to become full again.
func (l *Limiter) fillTime() time.Duration {
	return time.Duration(math.Ceil(l.capacity / l.rate * float64(time.Second)))
}

// maybeSweep drops buckets that are full again (they equal a fresh bucket),
// at most once per fill time, and enforces MaxBuckets. Callers hold l.mu.
func (l *Limiter) maybeSweep(now time.Time) {
	interval := max(l.fillTime(), time.Second)
	if len(l.buckets) < MaxBuckets && now.Sub(l.lastSweep) < interval {
		return
	}
	l.lastSweep = now
	for k, b := range l.buckets {
		if l.refilled(b, now) >= l.capacity {
			delete(l.buckets, k)
		}
	}
	// Still too many live buckets (a flood of distinct keys): forget arbitrary
	// ones, down to 3/4 of the cap so the next forced sweep is far away. A
	// forgotten bucket comes back full, i.e. more lenient, never stricter.
	if len(l.buckets) >= MaxBuckets {
		for k := range l.buckets {
			if len(l.buckets) <= MaxBuckets*3/4 {
				break
			}
			delete(l.buckets, k)
		}
	}
}

// Len reports how many buckets are currently kept (for tests and metrics).
func (l *Limiter) Len() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.buckets)
}

// Middleware limits next per key(r). With limiting off it returns a handler
// that calls next directly and sets no headers.
func (l *Limiter) Middleware(key func(*http.Request) string, next http.Handler) http.Handler {
	if !l.Enabled() {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ok, limit, remaining, retryAfter := l.Allow(key(r))
		h := w.Header()
		h.Set("X-RateLimit-Limit", strconv.Itoa(limit))
		h.Set("X-RateLimit-Remaining", strconv.Itoa(remaining))
		if ok {
			next.ServeHTTP(w, r)
			return
		}
		h.Set("Retry-After", strconv.Itoa(RetryAfterSeconds(retryAfter)))
		h.Set("Content-Type", "application/json")
		h.Set("Content-Length", strconv.Itoa(len(tooManyBody)))
		w.WriteHeader(http.StatusTooManyRequests)
		_, _ = w.Write([]byte(tooManyBody))
	})
}

// RetryAfterSeconds rounds d up to whole seconds, at least 1, as the
// Retry-After header requires.
func RetryAfterSeconds(d time.Duration) int {
	s := int((d + time.Second - 1) / time.Second)
	return max(s, 1)
}
