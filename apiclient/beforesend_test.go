package apiclient

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/respondctl/respondctl/apiclient/httpmock"
)

// The hook runs after the limiter's wait, before the request is written, once
// per call even when the call is retried.
func TestBeforeSendRunsAfterLimiterBeforeWrite(t *testing.T) {
	clock := httpmock.NewManualClock(testStart)
	var mu sync.Mutex
	var writes []string
	record := func(s string) {
		mu.Lock()
		defer mu.Unlock()
		writes = append(writes, s)
	}
	snapshot := func() []string {
		mu.Lock()
		defer mu.Unlock()
		return append([]string(nil), writes...)
	}
	n := 0
	c := newClockedClient(t, clock, roundTripFunc(func(req *http.Request) (*http.Response, error) {
		record("request")
		mu.Lock()
		n++
		first := n == 2 // the send's first attempt is refused: retried without a new hook call
		mu.Unlock()
		if first {
			r := jsonResponse(req, http.StatusTooManyRequests, -1, -1)
			r.Header.Set("Retry-After", "1")
			return r, nil
		}
		return jsonResponse(req, 200, -1, -1), nil
	}))
	ctx := context.Background()
	// Spend the endpoint's only token: the send below has to wait 200ms at 5/s.
	if _, err := c.SendMessage(ctx, ContactID(1), SendMessageRequest{Message: TextMessage("a")}); err != nil {
		t.Fatal(err)
	}
	done := make(chan error)
	go func() {
		hctx := WithBeforeSend(ctx, func() error { record("hook"); return nil })
		_, err := c.SendMessage(hctx, ContactID(2), SendMessageRequest{Message: TextMessage("b")})
		done <- err
	}()
	clock.AwaitSleeping(t, 1)
	if got := snapshot(); len(got) != 1 {
		t.Fatalf("while waiting in the limiter: %v, want only the first request", got)
	}
	clock.Advance(200 * time.Millisecond)
	clock.AwaitSleeping(t, 1) // the 429's Retry-After
	clock.Advance(time.Second)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	got := snapshot()
	if want := []string{"request", "hook", "request", "request"}; !slices.Equal(got, want) {
		t.Fatalf("order %v, want %v", got, want)
	}
}

func TestBeforeSendFailureSendsNothing(t *testing.T) {
	reg := &httpmock.Registry{}
	defer reg.Verify(t) // no stub: a request would fail the test
	c, _ := newMockClient(t, reg)
	boom := errors.New("journal: disk full")
	ctx := WithBeforeSend(context.Background(), func() error { return boom })
	_, err := c.SendMessage(ctx, ContactID(5), SendMessageRequest{Message: TextMessage("Hi")})
	if !errors.Is(err, boom) || errors.Is(err, ErrOutcomeUnknown) {
		t.Fatalf("err = %v", err)
	}
	if len(reg.Requests()) != 0 {
		t.Fatalf("%d requests sent", len(reg.Requests()))
	}
	if RunBeforeSend(context.Background()) != nil {
		t.Fatal("no hook must be no error")
	}
}

// A hung server: an idempotent read is tried twice (one retry of the
// timeout), not MaxRetries+1 times; other causes keep MaxRetries.
func TestTimeoutRetriedOnce(t *testing.T) {
	reg := &httpmock.Registry{}
	defer reg.Verify(t)
	c, clock := newMockClient(t, reg, func(o *Options) { o.Timeout = 20 * time.Millisecond })
	reg.Register(httpmock.REST("GET", "contact/id:1"), httpmock.Hang())
	reg.Register(httpmock.REST("GET", "contact/id:1"), httpmock.Hang())
	_, err := c.GetContact(context.Background(), ContactID(1))
	var gu *GaveUpError
	var te *TransportError
	if !errors.As(err, &gu) || gu.Attempts != 2 || !errors.As(err, &te) || te.Timeout != 20*time.Millisecond {
		t.Fatalf("err = %v", err)
	}
	sleepsEqual(t, clock.Sleeps(), 250*time.Millisecond)

	// A timeout then a 503s: the timeout budget is separate from MaxRetries.
	reg.Register(httpmock.REST("GET", "contact/id:2"), httpmock.Hang())
	for range 4 {
		reg.Register(httpmock.REST("GET", "contact/id:2"), httpmock.APIErrorResponse(503, "down"))
	}
	_, err = c.GetContact(context.Background(), ContactID(2))
	if !errors.As(err, &gu) || gu.Attempts != 5 {
		t.Fatalf("err = %v", err)
	}
}
