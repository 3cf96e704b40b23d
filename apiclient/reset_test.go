package apiclient

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"

	"github.com/respondctl/respondctl/apiclient/httpmock"
)

// resetServer reads each request fully, then kills the connection without
// answering (SO_LINGER 0 turns the close into a TCP reset). It counts requests.
func resetServer(t *testing.T) (*httptest.Server, *atomic.Int64) {
	t.Helper()
	var count atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		count.Add(1)
		conn, _, err := w.(http.Hijacker).Hijack()
		if err != nil {
			t.Error(err)
			return
		}
		if tc, ok := conn.(*net.TCPConn); ok {
			_ = tc.SetLinger(0)
		}
		_ = conn.Close()
	}))
	t.Cleanup(srv.Close)
	return srv, &count
}

func TestRealResetSendIsNotRepeated(t *testing.T) {
	srv, count := resetServer(t)
	clock := httpmock.NewFakeClock(testStart)
	c, err := New(Options{BaseURL: srv.URL + "/v2", Token: testToken, Clock: clock})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.SendMessage(context.Background(), ContactID(5), SendMessageRequest{Message: TextMessage("Hi")})
	if !errors.Is(err, ErrOutcomeUnknown) {
		t.Fatalf("err = %v", err)
	}
	if n := count.Load(); n != 1 {
		t.Fatalf("server saw the send %d times, want exactly 1", n)
	}
	assertNoToken(t, "error", err.Error())
	t.Logf("send error: %v", err)

	// The same failure on a read is retried until the client gives up.
	count.Store(0)
	_, err = c.GetContact(context.Background(), ContactID(5))
	var gu *GaveUpError
	if !errors.As(err, &gu) || gu.Attempts != 5 {
		t.Fatalf("err = %v", err)
	}
	if n := count.Load(); n < 5 {
		t.Fatalf("server saw the read %d times, want at least 5", n)
	}
}

func TestRealRefusedSendIsRetried(t *testing.T) {
	// A port nothing listens on: every dial is refused, nothing is sent, so
	// even a send may be retried.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	_ = ln.Close()
	clock := httpmock.NewFakeClock(testStart)
	c, err := New(Options{BaseURL: "http://" + addr + "/v2", Token: testToken, Clock: clock, Rand: func() float64 { return 1 }})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.SendMessage(context.Background(), ContactID(5), SendMessageRequest{Message: TextMessage("Hi")})
	var gu *GaveUpError
	if !errors.As(err, &gu) || gu.Attempts != 5 || errors.Is(err, ErrOutcomeUnknown) {
		t.Fatalf("err = %v", err)
	}
	want := "gave up after 5 attempts: cannot reach http://" + addr + ": connection refused"
	if err.Error() != want {
		t.Errorf("err = %q, want %q", err, want)
	}
	if len(clock.Sleeps()) != 4 {
		t.Errorf("sleeps = %v", clock.Sleeps())
	}
}
