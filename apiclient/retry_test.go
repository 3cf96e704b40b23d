package apiclient

import (
	"context"
	"errors"
	"net"
	"os"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/respondctl/respondctl/apiclient/httpmock"
)

func sleepsEqual(t *testing.T, got []time.Duration, want ...time.Duration) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("sleeps = %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("sleeps = %v, want %v", got, want)
		}
	}
}

func TestIdempotentRetriedOnTransientFailures(t *testing.T) {
	ms := time.Millisecond
	for _, tt := range []struct {
		name  string
		first httpmock.Responder
		sleep time.Duration
	}{
		{"429 honours Retry-After", httpmock.TooManyRequests(3), 3 * time.Second},
		// A 449 without Retry-After waits seconds, not milliseconds (rand = 1: the full 2 s).
		{"449 backs off", httpmock.APIErrorResponse(449, "queued"), 2 * time.Second},
		{"449 honours Retry-After", httpmock.WithHeader(httpmock.APIErrorResponse(449, "queued"), "Retry-After", "2"), 2 * time.Second},
		{"500", httpmock.APIErrorResponse(500, "oops"), 250 * ms},
		{"502 html", httpmock.StatusStringResponse(502, "<html>bad gateway</html>"), 250 * ms},
		{"503", httpmock.APIErrorResponse(503, "down"), 250 * ms},
		{"504", httpmock.StatusStringResponse(504, ""), 250 * ms},
		{"reset", httpmock.ConnectionReset(), 250 * ms},
		{"refused", httpmock.ConnectionRefused(), 250 * ms},
		{"eof", httpmock.UnexpectedEOF(), 250 * ms},
	} {
		t.Run(tt.name, func(t *testing.T) {
			reg := &httpmock.Registry{}
			defer reg.Verify(t)
			c, clock := newMockClient(t, reg)
			// GET, and the idempotent POSTs.
			reg.Register(httpmock.REST("GET", "contact/id:1"), tt.first)
			reg.Register(httpmock.REST("GET", "contact/id:1"), httpmock.StringResponse(`{"id":1}`))
			reg.Register(httpmock.REST("POST", "contact/id:1/conversation/status"), tt.first)
			reg.Register(httpmock.REST("POST", "contact/id:1/conversation/status"), httpmock.StringResponse(`{"contactId":1}`))
			reg.Register(httpmock.REST("POST", "contact/list"), tt.first)
			reg.Register(httpmock.REST("POST", "contact/list"), httpmock.StringResponse(`{"items":[]}`))
			if _, err := c.GetContact(context.Background(), "1"); err != nil {
				t.Fatal(err)
			}
			if err := c.SetConversationStatus(context.Background(), "1", StatusRequest{Status: "open"}); err != nil {
				t.Fatal(err)
			}
			if _, err := c.ListContacts(context.Background(), ContactListRequest{}, PageOptions{}); err != nil {
				t.Fatal(err)
			}
			sleepsEqual(t, clock.Sleeps(), tt.sleep, tt.sleep, tt.sleep)
		})
	}
}

func TestBackoffGrowsThenGivesUp(t *testing.T) {
	reg := &httpmock.Registry{}
	defer reg.Verify(t)
	c, clock := newMockClient(t, reg)
	for range 5 {
		reg.Register(httpmock.REST("GET", "space/user/7"), httpmock.APIErrorResponse(503, "Service Unavailable"))
	}
	_, err := c.GetUser(context.Background(), 7)
	var gu *GaveUpError
	if !errors.As(err, &gu) || gu.Attempts != 5 {
		t.Fatalf("err = %v", err)
	}
	if err.Error() != "gave up after 5 attempts: HTTP 503 Service Unavailable: Service Unavailable" {
		t.Errorf("message = %q", err)
	}
	ms := time.Millisecond
	sleepsEqual(t, clock.Sleeps(), 250*ms, 500*ms, 1000*ms, 2000*ms)
}

func TestBackoffJitterAndCap(t *testing.T) {
	c, _ := newMockClient(t, &httpmock.Registry{}, func(o *Options) { o.Rand = func() float64 { return 0.5 } })
	if d := c.backoff(1); d != 125*time.Millisecond {
		t.Errorf("backoff(1) = %v", d)
	}
	if d := c.backoff(9); d != 4*time.Second { // capped at 8s, half jitter
		t.Errorf("backoff(9) = %v", d)
	}
	if d := c.backoff(100); d != 4*time.Second {
		t.Errorf("backoff(100) = %v", d)
	}
}

func TestGiveUpOnRateLimitEndsAsRateLimited(t *testing.T) {
	reg := &httpmock.Registry{}
	defer reg.Verify(t)
	c, clock := newMockClient(t, reg, func(o *Options) { o.MaxRetries = 2 })
	for range 3 {
		reg.Register(httpmock.REST("POST", "contact/id:1/message"), httpmock.TooManyRequests(1))
	}
	_, err := c.SendMessage(context.Background(), "1", SendMessageRequest{Message: TextMessage("x")})
	var gu *GaveUpError
	if !errors.As(err, &gu) || gu.Attempts != 3 || !IsRateLimited(err) {
		t.Fatalf("err = %v", err)
	}
	sleepsEqual(t, clock.Sleeps(), time.Second, time.Second)
}

func TestRetryAfterTooLongGivesUpAtOnce(t *testing.T) {
	reg := &httpmock.Registry{}
	defer reg.Verify(t)
	c, clock := newMockClient(t, reg)
	reg.Register(httpmock.REST("GET", "contact/id:1"), httpmock.TooManyRequests(3600))
	_, err := c.GetContact(context.Background(), "1")
	var gu *GaveUpError
	if !errors.As(err, &gu) || gu.Attempts != 1 || len(clock.Sleeps()) != 0 {
		t.Fatalf("err = %v, sleeps %v", err, clock.Sleeps())
	}
}

func TestNonRetryableStatusesAreNotRetried(t *testing.T) {
	for _, status := range []int{400, 401, 403, 404, 409, 413, 501} {
		reg := &httpmock.Registry{}
		c, clock := newMockClient(t, reg)
		reg.Register(httpmock.REST("GET", "contact/id:1"), httpmock.APIErrorResponse(status, "no"))
		if status == 404 {
			registerGoodBase(reg)
		}
		_, err := c.GetContact(context.Background(), "1")
		var ae *APIError
		if !errors.As(err, &ae) || ae.Status != status || len(clock.Sleeps()) != 0 {
			t.Errorf("status %d: err = %v, sleeps %v", status, err, clock.Sleeps())
		}
		reg.Verify(t)
	}
}

// The exactly-once rules: a send is never repeated once it may have reached
// the server.
func TestSendNotRetriedWhenOutcomeUnknown(t *testing.T) {
	for _, tt := range []struct {
		name  string
		resp  httpmock.Responder
		cause string
	}{
		{"reset", httpmock.ConnectionReset(), "connection reset"},
		{"eof", httpmock.UnexpectedEOF(), "connection closed by server"},
		{"timeout", httpmock.Hang(), "no response within 50ms"},
		{"500", httpmock.APIErrorResponse(500, "Internal error"), "HTTP 500 Internal Server Error: Internal error"},
		{"502 html", httpmock.StatusStringResponse(502, "<html>"), "HTTP 502 Bad Gateway (non-JSON response from server)"},
		{"503", httpmock.APIErrorResponse(503, "down"), "HTTP 503 Service Unavailable: down"},
		{"504", httpmock.StatusStringResponse(504, ""), "HTTP 504 Gateway Timeout (empty response from server)"},
		// 449: queued by the platform, which may still process it — never resent at once.
		{"449 queued", httpmock.APIErrorResponse(449, "Request queued, retry later"), "HTTP 449: Request queued, retry later"},
		{"449 queued with Retry-After", httpmock.WithHeader(httpmock.APIErrorResponse(449, "queued"), "Retry-After", "120"), "HTTP 449: queued"},
		// 2xx: applied, but the result is unreadable — unknown, never "failed" (a resume would resend it).
		{"200 empty", httpmock.StatusStringResponse(200, ""), "answered 2xx with an unreadable body: empty body"},
		{"200 truncated", httpmock.StatusStringResponse(200, `{"messageId": 8`), "answered 2xx with an unreadable body: truncated JSON (15 bytes)"},
		{"200 wrong type", httpmock.StatusStringResponse(200, `{"messageId":"x","contactId":"y","text":5}`), "answered 2xx with an unreadable body: field \"messageId\": got string, want int64"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			reg := &httpmock.Registry{}
			defer reg.Verify(t) // a resend would find no stub
			c, clock := newMockClient(t, reg, func(o *Options) { o.Timeout = 50 * time.Millisecond })
			reg.Register(httpmock.REST("POST", "contact/id:5/message"), tt.resp)
			reg.Register(httpmock.REST("POST", "contact/id:5/comment"), tt.resp)
			_, err := c.SendMessage(context.Background(), ContactID(5), SendMessageRequest{Message: TextMessage("Hi")})
			var ou *OutcomeUnknownError
			if !errors.As(err, &ou) || !errors.Is(err, ErrOutcomeUnknown) {
				t.Fatalf("err = %v", err)
			}
			want := "outcome unknown: POST /contact/id:5/message may or may not have been applied (" + tt.cause + "); check the conversation before retrying"
			if err.Error() != want {
				t.Errorf("message = %q\nwant      %q", err, want)
			}
			if _, err := c.AddComment(context.Background(), ContactID(5), "note"); !errors.Is(err, ErrOutcomeUnknown) {
				t.Errorf("comment err = %v", err)
			}
			if len(clock.Sleeps()) != 0 {
				t.Errorf("slept %v", clock.Sleeps())
			}
		})
	}
}

func TestSendRetriedWhenCertainlyNotApplied(t *testing.T) {
	for _, tt := range []struct {
		name  string
		first httpmock.Responder
		sleep time.Duration
	}{
		{"dial refused", httpmock.ConnectionRefused(), 250 * time.Millisecond},
		{"dial timeout", httpmock.ErrorResponse(&net.OpError{Op: "dial", Net: "tcp", Err: os.ErrDeadlineExceeded}), 250 * time.Millisecond},
		{"429", httpmock.TooManyRequests(2), 2 * time.Second},
	} {
		t.Run(tt.name, func(t *testing.T) {
			reg := &httpmock.Registry{}
			defer reg.Verify(t)
			c, clock := newMockClient(t, reg)
			reg.Register(httpmock.REST("POST", "contact/id:5/message"), tt.first)
			reg.Register(httpmock.REST("POST", "contact/id:5/message"), httpmock.JSONResponse(map[string]any{"messageId": 9}))
			r, err := c.SendMessage(context.Background(), ContactID(5), SendMessageRequest{Message: TextMessage("Hi")})
			if err != nil || r.MessageID != 9 {
				t.Fatalf("send = %+v, %v", r, err)
			}
			sleepsEqual(t, clock.Sleeps(), tt.sleep)
		})
	}
}

func TestPermanentTransportErrorsNotRetried(t *testing.T) {
	reg := &httpmock.Registry{}
	defer reg.Verify(t)
	c, clock := newMockClient(t, reg)
	reg.Register(httpmock.REST("GET", "contact/id:1"), httpmock.ErrorResponse(&net.OpError{Op: "dial", Net: "tcp",
		Err: &net.DNSError{Err: "no such host", Name: "api.test", IsNotFound: true}}))
	_, err := c.GetContact(context.Background(), "1")
	var te *TransportError
	if !errors.As(err, &te) || err.Error() != "cannot reach https://api.test: no such host" || len(clock.Sleeps()) != 0 {
		t.Fatalf("err = %v, sleeps %v", err, clock.Sleeps())
	}
}

func TestTransportErrorsAfterRetries(t *testing.T) {
	reg := &httpmock.Registry{}
	defer reg.Verify(t)
	c, _ := newMockClient(t, reg, func(o *Options) { o.MaxRetries = 1 })
	for range 2 {
		reg.Register(httpmock.REST("GET", "contact/id:1"), httpmock.ConnectionRefused())
	}
	_, err := c.GetContact(context.Background(), "1")
	if err == nil || err.Error() != "gave up after 2 attempts: cannot reach https://api.test: connection refused" {
		t.Fatalf("err = %v", err)
	}
	if !errors.Is(err, syscall.ECONNREFUSED) {
		t.Error("cause not unwrappable")
	}
}

func TestContextCancellation(t *testing.T) {
	// Cancelled while waiting to retry: returned at once, wrapped.
	reg := &httpmock.Registry{}
	defer reg.Verify(t)
	ctx, cancel := context.WithCancel(context.Background())
	clock := &cancelOnSleepClock{FakeClock: httpmock.NewFakeClock(testStart), cancel: cancel}
	c, _ := newMockClient(t, reg, func(o *Options) { o.Clock = clock })
	reg.Register(httpmock.REST("POST", "contact/id:5/message"), httpmock.TooManyRequests(30))
	_, err := c.SendMessage(ctx, ContactID(5), SendMessageRequest{Message: TextMessage("Hi")})
	if !errors.Is(err, context.Canceled) || errors.Is(err, ErrOutcomeUnknown) {
		t.Fatalf("err = %v", err)
	}

	// Cancelled while a send is in flight: outcome unknown, still context.Canceled.
	reg2 := &httpmock.Registry{}
	defer reg2.Verify(t)
	ctx2, cancel2 := context.WithCancel(context.Background())
	c2, _ := newMockClient(t, reg2)
	reg2.Register(httpmock.REST("POST", "contact/id:5/message"), func(req *httpmockRequest) (*httpmockResponse, error) {
		cancel2()
		return httpmock.Hang()(req)
	})
	_, err = c2.SendMessage(ctx2, ContactID(5), SendMessageRequest{Message: TextMessage("Hi")})
	if !errors.Is(err, ErrOutcomeUnknown) || !errors.Is(err, context.Canceled) || !strings.Contains(err.Error(), "(interrupted)") {
		t.Fatalf("err = %v", err)
	}

	// Cancelled GET in flight: plain wrapped context error.
	reg3 := &httpmock.Registry{}
	defer reg3.Verify(t)
	ctx3, cancel3 := context.WithCancel(context.Background())
	c3, _ := newMockClient(t, reg3)
	reg3.Register(httpmock.REST("GET", "contact/id:5"), func(req *httpmockRequest) (*httpmockResponse, error) {
		cancel3()
		return httpmock.Hang()(req)
	})
	_, err = c3.GetContact(ctx3, ContactID(5))
	if !errors.Is(err, context.Canceled) || errors.Is(err, ErrOutcomeUnknown) {
		t.Fatalf("err = %v", err)
	}
}

type cancelOnSleepClock struct {
	*httpmock.FakeClock
	cancel context.CancelFunc
}

func (c *cancelOnSleepClock) Sleep(ctx context.Context, d time.Duration) error {
	c.cancel()
	return c.FakeClock.Sleep(ctx, d)
}
