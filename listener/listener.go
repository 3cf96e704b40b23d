// Package listener is the webhook receiver behind `respondctl listen`: it verifies each
// POST's signature against the raw body, stores the event durably in the mirror before
// answering 200, prints one line per event, and optionally forwards the verified body to
// a local URL. It knows nothing of cobra; the command wires flags to Options.
package listener

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/respondctl/respondctl/mirror"
	"github.com/respondctl/respondctl/output"
	"github.com/respondctl/respondctl/webhook"
)

// Options configures a listener.
type Options struct {
	Mirror *mirror.Mirror
	Keys   webhook.Keys
	Path   string // the path webhooks are POSTed to; default "/"
	// Log gets one human line per request (stderr); nil: none.
	Log io.Writer
	// JSONL gets each stored event's raw body as one line (stdout with -o jsonl); nil: none.
	JSONL io.Writer
	// ForwardTo re-posts each verified event, same body and signature ("" = off).
	ForwardTo      string
	ForwardClient  *http.Client
	ForwardRetries int // attempts after the first; default 5
	// HeartbeatEvery is how often the mirror is told the listener is alive; default 5s.
	HeartbeatEvery time.Duration
	Now            func() time.Time
}

// Listener is a running receiver.
type Listener struct {
	opts    Options
	batch   chan *job
	fwd     chan forward
	fwdDone chan struct{}
	logMu   sync.Mutex
	stats   Stats
	statsMu sync.Mutex
	addr    string
	ready   chan struct{}
}

// Ready is closed once Serve has recorded its heartbeat and accepts webhooks.
func (l *Listener) Ready() <-chan struct{} { return l.ready }

// Stats counts what the listener did.
type Stats struct {
	Stored, Duplicates, Pings, Refused, Forwarded, ForwardFailed int
}

type job struct {
	ev   *webhook.Event
	raw  []byte
	done chan jobResult
}

type jobResult struct {
	res mirror.Result
	err error
}

type forward struct {
	body []byte
	sig  string
}

// New builds a listener; call Serve.
func New(opts Options) (*Listener, error) {
	if opts.Mirror == nil {
		return nil, errors.New("listener: no mirror")
	}
	if opts.Keys.Len() == 0 {
		return nil, webhook.ErrNoKeys
	}
	if opts.Path == "" {
		opts.Path = "/"
	}
	if !strings.HasPrefix(opts.Path, "/") {
		opts.Path = "/" + opts.Path
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.HeartbeatEvery <= 0 {
		opts.HeartbeatEvery = 5 * time.Second
	}
	if opts.ForwardRetries == 0 {
		opts.ForwardRetries = 5
	}
	if opts.ForwardClient == nil {
		opts.ForwardClient = &http.Client{Timeout: 10 * time.Second}
	}
	return &Listener{opts: opts, batch: make(chan *job, 1024), fwd: make(chan forward, 4096), fwdDone: make(chan struct{}),
		ready: make(chan struct{})}, nil
}

// Stats returns the counters so far.
func (l *Listener) Stats() Stats {
	l.statsMu.Lock()
	defer l.statsMu.Unlock()
	return l.stats
}

func (l *Listener) count(fn func(*Stats)) {
	l.statsMu.Lock()
	fn(&l.stats)
	l.statsMu.Unlock()
}

// Serve answers webhooks on ln until ctx is done, then stops accepting, lets the requests
// in flight finish (each stored and answered), flushes the forward queue (bounded by
// drain), marks the mirror's heartbeat stopped and returns.
func (l *Listener) Serve(ctx context.Context, ln net.Listener, drain time.Duration) error {
	l.addr = ln.Addr().String()
	if drain <= 0 {
		drain = 10 * time.Second
	}
	bg := context.WithoutCancel(ctx)
	if err := l.opts.Mirror.Heartbeat(bg, l.addr); err != nil {
		return fmt.Errorf("mirror: %w", err)
	}
	writerDone := make(chan struct{})
	go func() { l.writer(bg); close(writerDone) }()
	go l.forwarder(bg)
	srv := &http.Server{Handler: l, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 30 * time.Second,
		BaseContext: func(net.Listener) context.Context { return bg }}
	serveErr := make(chan error, 1)
	go func() { serveErr <- srv.Serve(ln) }()
	close(l.ready)
	tick := time.NewTicker(l.opts.HeartbeatEvery)
	defer tick.Stop()
	var err error
loop:
	for {
		select {
		case <-ctx.Done():
			break loop
		case err = <-serveErr:
			break loop
		case <-tick.C:
			if herr := l.opts.Mirror.Heartbeat(bg, l.addr); herr != nil {
				l.logf("heartbeat: %v", herr)
			}
		}
	}
	sctx, cancel := context.WithTimeout(bg, drain)
	defer cancel()
	if serr := srv.Shutdown(sctx); serr != nil && err == nil {
		err = serr
	}
	close(l.batch)
	<-writerDone
	close(l.fwd)
	select {
	case <-l.fwdDone:
	case <-sctx.Done():
		l.logf("forward queue not flushed: %d events left", len(l.fwd))
	}
	if herr := l.opts.Mirror.StopHeartbeat(bg); herr != nil && err == nil {
		err = herr
	}
	if errors.Is(err, http.ErrServerClosed) {
		err = nil
	}
	return err
}

// writer commits queued events in batches: every request waiting when a commit starts
// shares it (group commit), so concurrent deliveries cost one transaction, not one each.
func (l *Listener) writer(ctx context.Context) {
	for first := range l.batch {
		jobs := []*job{first}
	more:
		for len(jobs) < 256 {
			select {
			case j, ok := <-l.batch:
				if !ok {
					break more
				}
				jobs = append(jobs, j)
			default:
				break more
			}
		}
		evs := make([]*webhook.Event, len(jobs))
		raws := make([][]byte, len(jobs))
		for i, j := range jobs {
			evs[i], raws[i] = j.ev, j.raw
		}
		res, err := l.opts.Mirror.IngestBatch(ctx, evs, raws, l.opts.Now().UnixMilli())
		for i, j := range jobs {
			if err != nil {
				j.done <- jobResult{err: err}
			} else {
				j.done <- jobResult{res: res[i]}
			}
		}
	}
}

func (l *Listener) logf(format string, args ...any) {
	if l.opts.Log == nil {
		return
	}
	l.logMu.Lock()
	defer l.logMu.Unlock()
	fmt.Fprintf(l.opts.Log, format+"\n", args...)
}

func (l *Listener) line(status int, what string) {
	l.logf("%s  [%d] %s", l.opts.Now().Format("2006-01-02 15:04:05"), status, what)
}

func reply(w http.ResponseWriter, status int, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	b, _ := json.Marshal(map[string]any{"code": status, "message": msg})
	w.Write(append(b, '\n'))
}

// ServeHTTP handles one delivery.
func (l *Listener) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path != l.opts.Path {
		reply(w, http.StatusNotFound, "not found")
		return
	}
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		reply(w, http.StatusMethodNotAllowed, "POST only")
		return
	}
	refuse := func(status int, why string) {
		l.count(func(s *Stats) { s.Refused++ })
		l.line(status, "refused: "+why)
		reply(w, status, why)
	}
	if r.ContentLength > webhook.MaxBodyBytes {
		refuse(http.StatusRequestEntityTooLarge, fmt.Sprintf("body larger than %d bytes", webhook.MaxBodyBytes))
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, webhook.MaxBodyBytes))
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			refuse(http.StatusRequestEntityTooLarge, fmt.Sprintf("body larger than %d bytes", webhook.MaxBodyBytes))
			return
		}
		refuse(http.StatusBadRequest, "could not read the body")
		return
	}
	sig := r.Header.Get(webhook.SignatureHeader)
	if sig == "" {
		refuse(http.StatusUnauthorized, "unsigned ("+webhook.SignatureHeader+" missing)")
		return
	}
	if !l.opts.Keys.Verify(body, sig) {
		refuse(http.StatusUnauthorized, "bad signature")
		return
	}
	ev, err := webhook.Parse(body)
	if err != nil {
		refuse(http.StatusBadRequest, "signed body is not a webhook: "+err.Error())
		return
	}
	if ev.Ping() {
		l.count(func(s *Stats) { s.Pings++ })
		l.line(http.StatusOK, "test ping")
		reply(w, http.StatusOK, "ok")
		return
	}
	j := &job{ev: ev, raw: body, done: make(chan jobResult, 1)}
	l.batch <- j
	res := <-j.done
	if res.err != nil {
		l.line(http.StatusInternalServerError, "not stored: "+res.err.Error())
		reply(w, http.StatusInternalServerError, "not stored")
		return
	}
	reply(w, http.StatusOK, "ok")
	if res.res.Duplicate {
		l.count(func(s *Stats) { s.Duplicates++ })
		l.line(http.StatusOK, safe(ev.Summary())+"  duplicate "+safe(ev.ID))
		return
	}
	l.count(func(s *Stats) { s.Stored++ })
	if l.opts.JSONL != nil {
		var buf bytes.Buffer
		if json.Compact(&buf, body) == nil {
			line := append(output.EscapeStructured(buf.Bytes()), '\n') // C1 and bidi as \uXXXX: faithful data, inert on a terminal
			l.logMu.Lock()
			l.opts.JSONL.Write(line)
			l.logMu.Unlock()
		}
	} else {
		l.line(http.StatusOK, safe(ev.Summary())+"  "+safe(ev.ID))
	}
	if l.opts.ForwardTo != "" {
		select {
		case l.fwd <- forward{body: body, sig: sig}:
		default:
			l.count(func(s *Stats) { s.ForwardFailed++ })
			l.logf("forward queue full: event %s not forwarded", safe(ev.ID))
		}
	}
}

// safe makes text from a webhook body printable on one line (output.SafeLine: controls and
// bidi overrides made visible).
func safe(s string) string { return output.SafeLine(s) }

// forwarder re-posts verified events in arrival order, retrying with backoff.
func (l *Listener) forwarder(ctx context.Context) {
	defer close(l.fwdDone)
	for f := range l.fwd {
		var lastErr string
		ok := false
		for attempt := 0; attempt <= l.opts.ForwardRetries; attempt++ {
			if attempt > 0 {
				time.Sleep(time.Duration(100<<min(attempt-1, 5)) * time.Millisecond)
			}
			req, err := http.NewRequestWithContext(ctx, http.MethodPost, l.opts.ForwardTo, bytes.NewReader(f.body))
			if err != nil {
				lastErr = err.Error()
				break
			}
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set(webhook.SignatureHeader, f.sig)
			resp, err := l.opts.ForwardClient.Do(req)
			if err != nil {
				lastErr = "connection failed"
				continue
			}
			io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<16))
			resp.Body.Close()
			if resp.StatusCode >= 200 && resp.StatusCode < 300 {
				ok = true
				break
			}
			lastErr = fmt.Sprintf("status %d", resp.StatusCode)
		}
		if ok {
			l.count(func(s *Stats) { s.Forwarded++ })
		} else {
			l.count(func(s *Stats) { s.ForwardFailed++ })
			l.logf("forward to %s failed after %d attempts: %s", l.opts.ForwardTo, l.opts.ForwardRetries+1, lastErr)
		}
	}
}
