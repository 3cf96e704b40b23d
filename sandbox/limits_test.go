package sandbox

import (
	"net"
	"net/http"
	"strings"
	"testing"
	"time"
)

// TestIdleConnectionsCannotExhaustTheServer: connections beyond MaxConns wait
// to be accepted, and the server has read, write and idle timeouts, so idle
// keep-alive connections are closed rather than held forever.
func TestIdleConnectionsCannotExhaustTheServer(t *testing.T) {
	t.Parallel() // its own sandbox
	e := start(t, Options{Seed: "empty", MaxConns: 2})
	if h := e.srv.http; h.ReadTimeout == 0 || h.WriteTimeout == 0 || h.IdleTimeout == 0 {
		t.Fatalf("timeouts: read %v write %v idle %v", h.ReadTimeout, h.WriteTimeout, h.IdleTimeout)
	}
	addr := strings.TrimSuffix(strings.TrimPrefix(e.srv.URL(), "http://"), "/v2")
	var idle []net.Conn
	for range 2 {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		idle = append(idle, c)
	}
	get := func(timeout time.Duration) error {
		req, _ := http.NewRequest("GET", e.srv.URL()+"/space/user", nil)
		req.Header.Set("Authorization", "Bearer "+e.srv.Token())
		resp, err := (&http.Client{Timeout: timeout, Transport: &http.Transport{}}).Do(req)
		if err == nil {
			resp.Body.Close()
		}
		return err
	}
	if err := get(300 * time.Millisecond); err == nil {
		t.Fatal("a third connection was served while two idle ones held the limit")
	}
	idle[0].Close()
	if err := get(5 * time.Second); err != nil {
		t.Fatalf("after an idle connection closed: %v", err)
	}
}
