package httpmock

import (
	"context"
	"sync"
	"testing"
	"time"
)

// ManualClock satisfies apiclient.Clock; its time moves only by Advance.
// Sleep blocks until the clock reaches its deadline or ctx is done. Tests use
// it to hold goroutines inside the rate limiter or a backoff and look at the
// world while they wait. Safe for concurrent use.
type ManualClock struct {
	mu       sync.Mutex
	now      time.Time
	sleepers map[chan struct{}]time.Time
	entered  chan struct{} // one value per Sleep call that blocks
}

// NewManualClock starts at start.
func NewManualClock(start time.Time) *ManualClock {
	return &ManualClock{now: start, sleepers: map[chan struct{}]time.Time{}, entered: make(chan struct{}, 1024)}
}

func (c *ManualClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Sleep blocks until Advance reaches now+d, or ctx is done (then ctx.Err()).
func (c *ManualClock) Sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	c.mu.Lock()
	ch := make(chan struct{})
	c.sleepers[ch] = c.now.Add(d)
	c.mu.Unlock()
	select {
	case c.entered <- struct{}{}:
	default: // nobody is counting
	}
	select {
	case <-ch:
		return nil
	case <-ctx.Done():
		c.mu.Lock()
		delete(c.sleepers, ch)
		c.mu.Unlock()
		return ctx.Err()
	}
}

// Advance moves time forward and wakes the sleepers whose deadline passed.
func (c *ManualClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
	for ch, at := range c.sleepers {
		if !at.After(c.now) {
			close(ch)
			delete(c.sleepers, ch)
		}
	}
}

// Sleeping is how many goroutines are blocked in Sleep now.
func (c *ManualClock) Sleeping() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.sleepers)
}

// AwaitSleeping blocks until n goroutines are blocked in Sleep at once. Each
// Sleep call signals, so this waits on events, not on time; the deadline only
// turns a hang into a test failure.
func (c *ManualClock) AwaitSleeping(t testing.TB, n int) {
	t.Helper()
	deadline := time.After(10 * time.Second)
	for c.Sleeping() < n {
		select {
		case <-c.entered:
		case <-deadline:
			t.Fatalf("%d goroutines sleeping, want %d", c.Sleeping(), n)
		}
	}
}
