package main

import (
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"strings"
	"sync"
	"time"
)

// countingProxy sits between a client and the sandbox and counts the answers to one
// endpoint, so the three ways of assigning are measured by the same yardstick and the
// sandbox needs no instrumentation.
type countingProxy struct {
	srv    *http.Server
	ln     net.Listener
	suffix string // path suffix of the counted endpoint, e.g. "/conversation/assignee"

	mu        sync.Mutex
	first     time.Time // first counted request arrived
	lastOK    time.Time // last accepted (2xx) answer left
	total     int
	accepted  int
	tooMany   int
	budget429 int
	other     int
}

// proxyCounts is a snapshot of one measurement window.
type proxyCounts struct {
	Total, Accepted, TooMany, Other int
	Budget429                       int // 429s with X-RateLimit-Remaining 0 (or none): the limiter's
	// AcceptedRate is accepted requests/s from the first request to the last accepted answer.
	AcceptedRate float64
}

func startCountingProxy(target, suffix string) (*countingProxy, error) {
	u, err := url.Parse(target)
	if err != nil {
		return nil, err
	}
	rp := httputil.NewSingleHostReverseProxy(&url.URL{Scheme: u.Scheme, Host: u.Host})
	// A reset injected by the sandbox's fault mix reaches the client as a 502 from the proxy
	// (retried like the sandbox's own 502s); its log line would only be noise.
	rp.ErrorLog = log.New(io.Discard, "", 0)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	p := &countingProxy{ln: ln, suffix: suffix}
	p.srv = &http.Server{Handler: p.wrap(rp), ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = p.srv.Serve(ln) }()
	return p, nil
}

// URL is the proxy's base URL with the sandbox's path prefix.
func (p *countingProxy) URL(sandboxURL string) string {
	u, _ := url.Parse(sandboxURL)
	return "http://" + p.ln.Addr().String() + u.Path
}

func (p *countingProxy) Close() error { return p.srv.Close() }

func (p *countingProxy) wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !strings.HasSuffix(r.URL.Path, p.suffix) {
			next.ServeHTTP(w, r)
			return
		}
		p.mu.Lock()
		if p.total == 0 {
			p.first = time.Now()
		}
		p.total++
		p.mu.Unlock()
		rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
		next.ServeHTTP(rec, r)
		p.mu.Lock()
		defer p.mu.Unlock()
		switch {
		case rec.status >= 200 && rec.status < 300:
			p.accepted++
			p.lastOK = time.Now()
		case rec.status == http.StatusTooManyRequests:
			p.tooMany++
			if rem := rec.Header().Get("X-RateLimit-Remaining"); rem == "" || rem == "0" {
				p.budget429++ // the rate limiter's refusal, not a fault injected with budget left
			}
		default:
			p.other++
		}
	})
}

// take returns the counts since the last take and starts a new window.
func (p *countingProxy) take() proxyCounts {
	p.mu.Lock()
	defer p.mu.Unlock()
	c := proxyCounts{Total: p.total, Accepted: p.accepted, TooMany: p.tooMany, Other: p.other, Budget429: p.budget429}
	if span := p.lastOK.Sub(p.first).Seconds(); p.accepted > 1 && span > 0 {
		// n accepted answers span n-1 intervals of the limiter.
		c.AcceptedRate = float64(p.accepted-1) / span
	}
	p.total, p.accepted, p.tooMany, p.other, p.budget429 = 0, 0, 0, 0, 0
	p.first, p.lastOK = time.Time{}, time.Time{}
	return c
}

type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (s *statusRecorder) WriteHeader(code int) {
	s.status = code
	s.ResponseWriter.WriteHeader(code)
}
