package ratelimit

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// fakeClock is a manually advanced clock, safe for concurrent use.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func newFakeClock() *fakeClock {
	return &fakeClock{t: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)}
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

type step struct {
	advance    time.Duration
	ok         bool
	remaining  int
	retryAfter time.Duration
}

func runSteps(t *testing.T, l *Limiter, clock *fakeClock, key string, wantLimit int, steps []step) {
	t.Helper()
	for i, s := range steps {
		clock.Advance(s.advance)
		ok, limit, remaining, retryAfter := l.Allow(key)
		if ok != s.ok || limit != wantLimit || remaining != s.remaining || retryAfter != s.retryAfter {
			t.Fatalf("step %d (+%v): got ok=%v limit=%d remaining=%d retryAfter=%v; want ok=%v limit=%d remaining=%d retryAfter=%v",
				i, s.advance, ok, limit, remaining, retryAfter, s.ok, wantLimit, s.remaining, s.retryAfter)
		}
	}
}

func TestAllowSequenceRate5(t *testing.T) {
	clock := newFakeClock()
	l := New(5, clock.Now)
	runSteps(t, l, clock, "tok|GET /contact/{identifier}", 5, []step{
		{0, true, 4, 0},
		{0, true, 3, 0},
		{0, true, 2, 0},
		{0, true, 1, 0},
		{0, true, 0, 0},
		{0, false, 0, 200 * time.Millisecond},
		{100 * time.Millisecond, false, 0, 100 * time.Millisecond}, // half a token back
		{100 * time.Millisecond, true, 0, 0},                       // exactly one token back
		{0, false, 0, 200 * time.Millisecond},
		{time.Second, true, 4, 0},      // refilled to capacity, not beyond
		{10 * time.Second, true, 4, 0}, // long idle: still capped at capacity
		{400 * time.Millisecond, true, 4, 0},
	})
}

func TestAllowFractionalRates(t *testing.T) {
	t.Run("half per second", func(t *testing.T) {
		clock := newFakeClock()
		l := New(0.5, clock.Now)
		runSteps(t, l, clock, "k", 1, []step{
			{0, true, 0, 0},
			{0, false, 0, 2 * time.Second},
			{1500 * time.Millisecond, false, 0, 500 * time.Millisecond},
			{500 * time.Millisecond, true, 0, 0},
		})
	})
	t.Run("2.5 per second bursts 3", func(t *testing.T) {
		clock := newFakeClock()
		l := New(2.5, clock.Now)
		runSteps(t, l, clock, "k", 3, []step{
			{0, true, 2, 0},
			{0, true, 1, 0},
			{0, true, 0, 0},
			{0, false, 0, 400 * time.Millisecond},
			{400 * time.Millisecond, true, 0, 0},
		})
	})
	t.Run("3 per second refills in thirds", func(t *testing.T) {
		clock := newFakeClock()
		l := New(3, clock.Now)
		third := time.Second / 3 // 333333333ns, slightly less than a third
		runSteps(t, l, clock, "k", 3, []step{
			{0, true, 2, 0},
			{0, true, 1, 0},
			{0, true, 0, 0},
			{third, true, 0, 0}, // within rounding of a whole token
			{third, true, 0, 0},
			{third, true, 0, 0},
			{0, false, 0, 333333334 * time.Nanosecond},
		})
	})
}

func TestKeysAreIndependent(t *testing.T) {
	clock := newFakeClock()
	l := New(1, clock.Now)
	if ok, _, _, _ := l.Allow("a|POST /x"); !ok {
		t.Fatal("first request for key a refused")
	}
	if ok, _, _, _ := l.Allow("a|POST /x"); ok {
		t.Fatal("second request for key a allowed")
	}
	if ok, _, _, _ := l.Allow("b|POST /x"); !ok {
		t.Fatal("key b affected by key a")
	}
}

func TestClockGoingBackwardsAddsNoTokens(t *testing.T) {
	clock := newFakeClock()
	l := New(1, clock.Now)
	l.Allow("k")
	clock.Advance(-time.Hour)
	if ok, _, _, _ := l.Allow("k"); ok {
		t.Fatal("clock going backwards refilled the bucket")
	}
	clock.Advance(time.Hour + time.Second)
	if ok, _, _, _ := l.Allow("k"); !ok {
		t.Fatal("bucket did not refill once the clock caught up")
	}
}

func TestRetryAfterSeconds(t *testing.T) {
	for _, c := range []struct {
		d    time.Duration
		want int
	}{
		{0, 1}, {time.Nanosecond, 1}, {200 * time.Millisecond, 1}, {time.Second, 1},
		{time.Second + time.Nanosecond, 2}, {2 * time.Second, 2}, {2500 * time.Millisecond, 3},
	} {
		if got := RetryAfterSeconds(c.d); got != c.want {
			t.Errorf("RetryAfterSeconds(%v) = %d, want %d", c.d, got, c.want)
		}
	}
}

func TestMiddlewareHeadersAndRefusal(t *testing.T) {
	clock := newFakeClock()
	l := New(2, clock.Now)
	var calls int
	next := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls++
		w.WriteHeader(http.StatusCreated)
	})
	h := l.Middleware(func(r *http.Request) string { return "tok|" + r.Method + " " + r.URL.Path }, next)

	do := func() *http.Response {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/contact/id:1/message", nil))
		return rec.Result()
	}
	for i, wantRemaining := range []string{"1", "0"} {
		res := do()
		if res.StatusCode != http.StatusCreated {
			t.Fatalf("request %d: status %d", i, res.StatusCode)
		}
		if got := res.Header.Get("X-RateLimit-Limit"); got != "2" {
			t.Errorf("request %d: X-RateLimit-Limit = %q", i, got)
		}
		if got := res.Header.Get("X-RateLimit-Remaining"); got != wantRemaining {
			t.Errorf("request %d: X-RateLimit-Remaining = %q, want %q", i, got, wantRemaining)
		}
		if res.Header.Get("Retry-After") != "" {
			t.Errorf("request %d: Retry-After on an allowed request", i)
		}
	}

	res := do()
	body, _ := io.ReadAll(res.Body)
	if res.StatusCode != http.StatusTooManyRequests {
		t.Fatalf("third request: status %d, want 429", res.StatusCode)
	}
	if string(body) != `{"code":429,"message":"Too many requests"}` {
		t.Errorf("429 body = %s", body)
	}
	for name, want := range map[string]string{
		"Content-Type": "application/json", "Retry-After": "1",
		"X-RateLimit-Limit": "2", "X-RateLimit-Remaining": "0",
	} {
		if got := res.Header.Get(name); got != want {
			t.Errorf("429 %s = %q, want %q", name, got, want)
		}
	}
	if calls != 2 {
		t.Errorf("next called %d times, want 2 (not for the refused request)", calls)
	}

	// A slow rate gives a multi-second Retry-After, rounded up.
	slow := New(0.4, clock.Now) // one token every 2.5s
	sh := slow.Middleware(func(*http.Request) string { return "k" }, next)
	sh.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodGet, "/", nil))
	rec := httptest.NewRecorder()
	sh.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/", nil))
	if rec.Code != http.StatusTooManyRequests || rec.Header().Get("Retry-After") != "3" {
		t.Errorf("slow limiter: status %d Retry-After %q, want 429 and 3", rec.Code, rec.Header().Get("Retry-After"))
	}
}

func TestOffModePassesThroughWithoutHeaders(t *testing.T) {
	for _, rate := range []float64{0, -1} {
		l := New(rate, nil)
		if l.Enabled() {
			t.Fatalf("New(%v).Enabled() = true", rate)
		}
		var calls int
		h := l.Middleware(func(*http.Request) string { return "k" }, http.HandlerFunc(func(http.ResponseWriter, *http.Request) { calls++ }))
		for range 1000 {
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/", nil))
			if rec.Code != http.StatusOK {
				t.Fatalf("off mode: status %d", rec.Code)
			}
			for _, name := range []string{"X-RateLimit-Limit", "X-RateLimit-Remaining", "Retry-After"} {
				if v := rec.Header().Get(name); v != "" {
					t.Fatalf("off mode set %s: %q", name, v)
				}
			}
		}
		if calls != 1000 {
			t.Fatalf("off mode called next %d times, want 1000", calls)
		}
		if ok, limit, remaining, retry := l.Allow("k"); !ok || limit != 0 || remaining != 0 || retry != 0 {
			t.Fatalf("off mode Allow = %v %d %d %v", ok, limit, remaining, retry)
		}
	}
}

func TestConcurrentAllowGrantsExactlyCapacity(t *testing.T) {
	clock := newFakeClock()
	l := New(10, clock.Now)
	var granted [3]atomic.Int64
	var wg sync.WaitGroup
	for g := range 30 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			key := g % 3
			for range 20 {
				if ok, _, _, _ := l.Allow(fmt.Sprintf("tok|k%d", key)); ok {
					granted[key].Add(1)
				}
			}
		}()
	}
	wg.Wait()
	for k := range granted {
		if got := granted[k].Load(); got != 10 {
			t.Errorf("key %d: %d requests granted with a frozen clock, want exactly 10", k, got)
		}
	}
}

func TestConcurrentMiddlewareWithRealClock(t *testing.T) {
	l := New(1000, nil)
	h := l.Middleware(func(r *http.Request) string { return r.URL.Path }, http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 200 {
				rec := httptest.NewRecorder()
				h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, fmt.Sprintf("/%d/%d", g, i%4), nil))
				if rec.Header().Get("X-RateLimit-Limit") != "1000" {
					t.Errorf("missing X-RateLimit-Limit")
					return
				}
			}
		}()
	}
	wg.Wait()
}

func TestIdleBucketsAreEvicted(t *testing.T) {
	clock := newFakeClock()
	l := New(5, clock.Now)
	for i := range 100 {
		l.Allow(fmt.Sprintf("k%d", i))
	}
	if n := l.Len(); n != 100 {
		t.Fatalf("Len = %d, want 100", n)
	}
	clock.Advance(2 * time.Second) // every bucket is full again
	l.Allow("fresh")
	if n := l.Len(); n != 1 {
		t.Fatalf("after idle period Len = %d, want 1", n)
	}
}

func TestSweepKeepsRefillingBuckets(t *testing.T) {
	clock := newFakeClock()
	l := New(5, clock.Now)
	for range 5 {
		l.Allow("idle") // first call sweeps and starts the sweep interval (1s)
	}
	clock.Advance(900 * time.Millisecond)
	for range 5 {
		l.Allow("busy")
	}
	clock.Advance(200 * time.Millisecond) // sweep due: "idle" is full, "busy" holds 1 token
	if ok, _, remaining, _ := l.Allow("busy"); !ok || remaining != 0 {
		t.Fatalf("busy after sweep: ok=%v remaining=%d, want true 0 (state kept)", ok, remaining)
	}
	if ok, _, _, _ := l.Allow("busy"); ok {
		t.Fatal("busy bucket was reset by the sweep")
	}
	if n := l.Len(); n != 1 {
		t.Fatalf("Len = %d, want 1 (idle evicted, busy kept)", n)
	}
}

func TestBucketCountIsCapped(t *testing.T) {
	if testing.Short() {
		t.Skip("allocates MaxBuckets buckets")
	}
	clock := newFakeClock()
	l := New(1, clock.Now)
	for i := range MaxBuckets + 100 {
		l.Allow(fmt.Sprintf("k%d", i))
	}
	if n := l.Len(); n > MaxBuckets {
		t.Fatalf("Len = %d, above MaxBuckets %d", n, MaxBuckets)
	}
}
