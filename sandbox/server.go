// Package sandbox is a stateful local emulator of the platform API
// (docs/platform-api.md, core and EXT) backed by SQLite: contacts,
// conversations, delivery simulation, messaging windows, events, audit,
// rate limits and fault injection. It knows nothing of the client.
package sandbox

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/respondctl/respondctl/sandbox/faults"
	"github.com/respondctl/respondctl/sandbox/ratelimit"
	"github.com/respondctl/respondctl/sandbox/store"
	"golang.org/x/net/netutil"
)

// Options configures a sandbox server.
type Options struct {
	Addr     string           // default "127.0.0.1:0"
	DBPath   string           // file path, or ":memory:" (default)
	Seed     string           // "demo" (default for a NEW database) | "empty" | "large:N"; demo and large:N take ",conversation:M"
	Rate     float64          // requests/s per token per endpoint; 0 = off (and no X-RateLimit-* headers, see README)
	Faults   string           // fault spec, see sandbox/faults; "" = none
	CoreOnly bool             // serve core endpoints and fields only
	Token    string           // "" = generate random
	Log      io.Writer        // one line per request; nil = no log
	Now      func() time.Time // sandbox clock; nil = time.Now
	// MaxConns caps open connections (0: DefaultMaxConns); more wait to be accepted.
	MaxConns int
	Webhook  WebhookOptions // outgoing webhooks; URL "" = none
}

// Server limits: a client that opens connections and never uses them (or
// trickles a request) must not exhaust the sandbox's descriptors.
const (
	DefaultMaxConns   = 256
	serverReadTimeout = 30 * time.Second
	// serverWriteTimeout bounds one response, above the longest injected delay.
	serverWriteTimeout = 2 * time.Minute
	serverIdleTimeout  = 60 * time.Second
)

// Server is a running sandbox.
type Server struct {
	opts     Options
	store    *store.Store
	listener net.Listener
	http     *http.Server
	url      string
	token    string
	now      func() time.Time
	logMu    sync.Mutex
	done     chan error
	stopped  chan struct{} // closed by Close, ends the ctx watcher
	closed   sync.Once
	closeErr error
	hooks    *webhooks // nil: no webhooks

	// fresh holds the connections that have not sent a request yet (http.StateNew): Close
	// cuts them at once, since http.Server.Shutdown counts such a connection as busy for
	// 5 s (a client's transport may have dialled one it then did not need).
	freshMu sync.Mutex
	fresh   map[net.Conn]struct{}
}

// trackConn keeps s.fresh: a connection is fresh from accept until its first request.
func (s *Server) trackConn(c net.Conn, st http.ConnState) {
	s.freshMu.Lock()
	defer s.freshMu.Unlock()
	if st == http.StateNew {
		if s.fresh == nil {
			s.fresh = map[net.Conn]struct{}{}
		}
		s.fresh[c] = struct{}{}
		return
	}
	delete(s.fresh, c)
}

// closeFresh closes the connections that never sent a request: nothing is lost.
func (s *Server) closeFresh() {
	s.freshMu.Lock()
	defer s.freshMu.Unlock()
	for c := range s.fresh {
		c.Close()
	}
}

// Start opens the store (seeding a new database), binds the address and
// serves in the background until Close or ctx is done.
func Start(ctx context.Context, opts Options) (*Server, error) {
	if opts.Addr == "" {
		opts.Addr = "127.0.0.1:0"
	}
	if opts.DBPath == "" {
		opts.DBPath = ":memory:"
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Rate < 0 {
		return nil, fmt.Errorf("rate must be >= 0, got %v", opts.Rate)
	}
	spec, err := faults.Parse(opts.Faults) // its errors already start with "faults:"
	if err != nil {
		return nil, err
	}
	token := opts.Token
	if token == "" {
		b := make([]byte, 20)
		if _, err := rand.Read(b); err != nil {
			return nil, err
		}
		token = "sbx_" + hex.EncodeToString(b)
	}
	st, err := store.Open(ctx, opts.DBPath, opts.Seed, opts.Now)
	if err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", opts.Addr)
	if err != nil {
		st.Close()
		var oe *net.OpError
		if errors.As(err, &oe) {
			err = oe.Err // "listen tcp ADDR:" would repeat the address
		}
		return nil, fmt.Errorf("listen on %s: %w", opts.Addr, err)
	}
	maxConns := opts.MaxConns
	if maxConns <= 0 {
		maxConns = DefaultMaxConns
	}
	s := &Server{opts: opts, store: st, listener: ln, token: token, now: opts.Now, done: make(chan error, 1), stopped: make(chan struct{})}
	s.url = "http://" + ln.Addr().String() + "/v2"
	if opts.Webhook.URL != "" {
		if s.opts.Webhook.Key == "" {
			s.opts.Webhook.Key = GenerateWebhookKey()
		}
		if s.hooks, err = newWebhooks(s.opts.Webhook, s.logf); err != nil {
			ln.Close()
			st.Close()
			return nil, err
		}
	}
	ln = netutil.LimitListener(ln, maxConns)
	s.http = &http.Server{
		Handler:           s.handler(spec),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       serverReadTimeout,
		WriteTimeout:      serverWriteTimeout,
		IdleTimeout:       serverIdleTimeout,
		BaseContext:       func(net.Listener) context.Context { return context.WithoutCancel(ctx) },
		ConnState:         s.trackConn,
	}
	go func() {
		err := s.http.Serve(ln)
		if errors.Is(err, http.ErrServerClosed) {
			err = nil
		}
		s.done <- err
	}()
	go func() {
		select {
		case <-ctx.Done():
			s.Close()
		case <-s.stopped:
		}
	}()
	return s, nil
}

// URL is the base URL including "/v2", e.g. "http://127.0.0.1:43123/v2".
func (s *Server) URL() string { return s.url }

// Token is the bearer token the server accepts.
func (s *Server) Token() string { return s.token }

// Store exposes the state for tests in this module.
func (s *Server) Store() *store.Store { return s.store }

// Close shuts the server down gracefully and closes the database.
func (s *Server) Close() error {
	s.closed.Do(func() {
		close(s.stopped)
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		s.closeFresh()
		err := s.http.Shutdown(ctx)
		if errors.Is(err, context.DeadlineExceeded) {
			// Still open after the grace period (a client's connection that never sent a
			// request counts as busy for 5s): cut it rather than fail the close.
			err = s.http.Close()
		}
		if serveErr := <-s.done; err == nil {
			err = serveErr
		}
		if s.hooks != nil {
			s.hooks.close(5 * time.Second) // deliveries already queued get a moment
		}
		if cerr := s.store.Close(); err == nil {
			err = cerr
		}
		s.closeErr = err
	})
	return s.closeErr
}

// handler assembles the middleware chain: recover, log, auth, route
// resolution, then for API requests rate limit (so X-RateLimit-* headers are
// on every API response, unknown paths and 413s included), body limit, faults
// and the routes. Sandbox-only endpoints skip rate limits and faults so tests
// can always inspect state.
func (s *Server) handler(spec faults.Spec) http.Handler {
	mux := s.routes()
	routed := routeOrReject(mux)
	api := ratelimit.New(s.opts.Rate, s.now).Middleware(func(r *http.Request) string {
		return s.token + " " + rateKey(r)
	}, limitBody(faults.Middleware(spec, routed)))
	sandboxOnly := limitBody(routed)
	dispatch := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, "/v2/sandbox/") && EndpointTemplate(r) != "" {
			sandboxOnly.ServeHTTP(w, r)
			return
		}
		api.ServeHTTP(w, r)
	})
	return s.recoverer(s.logger(s.auth(resolve(mux, dispatch))))
}
