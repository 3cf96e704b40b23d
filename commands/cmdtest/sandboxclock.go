package cmdtest

import (
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strings"
	"sync/atomic"
	"time"
)

// SandboxClock is a sandbox clock (sandbox.Options.Now) that follows real time plus an
// offset the test moves forward: simulated delivery ("delivered" 3 s after the send, "read"
// 10 s, a failure 1 s) happens when the test says so instead of seconds of real time later.
// Time only moves forward, so the sandbox's rate limits and windows stay consistent.
type SandboxClock struct{ offset atomic.Int64 }

// Now is the sandbox's time.
func (c *SandboxClock) Now() time.Time { return time.Now().Add(time.Duration(c.offset.Load())) }

// Advance moves the sandbox's time forward by d.
func (c *SandboxClock) Advance(d time.Duration) { c.offset.Add(int64(d)) }

// AfterSend calls fn after the sandbox answered each message send (POST /contact/…/message)
// of the commands run through Env.Run, before the command sees the answer: the place to
// Advance a SandboxClock so that a --wait finds the status it waits for on its first poll.
// It puts a proxy in front of the sandbox (Env.APIBase).
func (e *Env) AfterSend(fn func()) {
	srv, base, err := AfterSendProxy(e.Server.URL(), fn)
	if err != nil {
		e.T.Fatal(err)
	}
	e.T.Cleanup(srv.Close)
	e.APIBase = base
}

// AfterSendProxy is AfterSend's proxy in front of the sandbox at sandboxURL, for callers
// without an Env (the testscripts): base is the API base URL to use instead of sandboxURL;
// close srv when done.
func AfterSendProxy(sandboxURL string, fn func()) (srv *httptest.Server, base string, err error) {
	target, err := url.Parse(sandboxURL)
	if err != nil {
		return nil, "", err
	}
	proxy := httputil.NewSingleHostReverseProxy(&url.URL{Scheme: target.Scheme, Host: target.Host})
	// Not the standard logger: a command running in-process (commands.Execute) points it at
	// its own stderr, and these tests run in parallel; a client hanging up is expected here.
	proxy.ErrorLog = log.New(io.Discard, "", 0)
	proxy.ModifyResponse = func(resp *http.Response) error {
		r := resp.Request
		if r.Method == http.MethodPost && strings.HasSuffix(r.URL.Path, "/message") && resp.StatusCode/100 == 2 {
			fn()
		}
		return nil
	}
	srv = httptest.NewServer(proxy)
	return srv, srv.URL + target.Path, nil
}
