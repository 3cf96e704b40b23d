package apiclient

import (
	"context"
	"errors"
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	"github.com/respondctl/respondctl/apiclient/httpmock"
)

// notSentCall is a send made with a stop-before-writing signal and a before-send hook that
// counts its runs.
func notSentCall(c *Client, ctx, stop context.Context, hooks *atomic.Int64) <-chan error {
	done := make(chan error, 1)
	go func() {
		hctx := WithBeforeSend(WithStopBeforeWrite(ctx, stop), func() error { hooks.Add(1); return nil })
		_, err := c.SendMessage(hctx, ContactID(2), SendMessageRequest{Message: TextMessage("b")})
		done <- err
	}()
	return done
}

func assertNotSent(t *testing.T, err error) {
	t.Helper()
	var ns *NotSentError
	if !errors.As(err, &ns) || !errors.Is(err, ErrNotSent) || !errors.Is(err, context.Canceled) || errors.Is(err, ErrOutcomeUnknown) {
		t.Fatalf("err = %v, want a NotSentError wrapping context.Canceled", err)
	}
}

// A call waiting for the limiter when the stop comes gives up: nothing written, no hook run.
func TestStopBeforeWriteGivesUpCallWaitingForLimiter(t *testing.T) {
	clock := httpmock.NewManualClock(testStart)
	tr := &countingTransport{answer: func(req *http.Request, _ int) *http.Response { return jsonResponse(req, 200, -1, -1) }}
	c := newClockedClient(t, clock, tr)
	ctx := context.Background()
	// Spend the endpoint's only token: the next send has to wait 200ms at 5/s.
	if _, err := c.SendMessage(ctx, ContactID(1), SendMessageRequest{Message: TextMessage("a")}); err != nil {
		t.Fatal(err)
	}
	stop, stopNow := context.WithCancel(ctx)
	var hooks atomic.Int64
	done := notSentCall(c, ctx, stop, &hooks)
	clock.AwaitSleeping(t, 1)
	stopNow()
	assertNotSent(t, <-done)
	if tr.sent() != 1 || hooks.Load() != 0 {
		t.Fatalf("%d requests, %d hook runs; want only the first request", tr.sent(), hooks.Load())
	}

	// Cut off by ctx itself (a second Ctrl-C) while waiting: not sent either.
	cctx, cancel := context.WithCancel(ctx)
	done = notSentCall(c, cctx, context.Background(), &hooks)
	clock.AwaitSleeping(t, 1)
	cancel()
	assertNotSent(t, <-done)
	if tr.sent() != 1 || hooks.Load() != 0 {
		t.Fatalf("%d requests, %d hook runs; want only the first request", tr.sent(), hooks.Load())
	}
}

// A stop that came before the limiter granted at once still keeps the request back (the last
// check before writing), and the endpoint is left usable.
func TestStopBeforeWriteChecksBeforeWriting(t *testing.T) {
	clock := httpmock.NewFakeClock(testStart)
	tr := &countingTransport{answer: func(req *http.Request, _ int) *http.Response { return jsonResponse(req, 200, 5, 4) }}
	c := newClockedClient(t, clock, tr)
	stop, stopNow := context.WithCancel(context.Background())
	stopNow()
	var hooks atomic.Int64
	assertNotSent(t, <-notSentCall(c, context.Background(), stop, &hooks))
	if tr.sent() != 0 || hooks.Load() != 0 {
		t.Fatalf("%d requests, %d hook runs; want none", tr.sent(), hooks.Load())
	}
	if _, err := c.SendMessage(context.Background(), ContactID(3), SendMessageRequest{Message: TextMessage("c")}); err != nil {
		t.Fatal(err)
	}
}

// A request already written is not given up: it finishes and its answer is returned.
func TestStopBeforeWriteLetsWrittenRequestFinish(t *testing.T) {
	arrived, release := make(chan struct{}), make(chan struct{})
	c := newClockedClient(t, httpmock.NewFakeClock(testStart), roundTripFunc(func(req *http.Request) (*http.Response, error) {
		close(arrived)
		<-release
		return jsonResponse(req, 200, -1, -1), nil
	}))
	stop, stopNow := context.WithCancel(context.Background())
	var hooks atomic.Int64
	done := notSentCall(c, context.Background(), stop, &hooks)
	<-arrived
	stopNow()
	close(release)
	select {
	case err := <-done:
		if err != nil || hooks.Load() != 1 {
			t.Fatalf("err = %v, %d hook runs", err, hooks.Load())
		}
	case <-time.After(10 * time.Second): // turns a hang into a failure
		t.Fatal("the written request never finished")
	}
}
