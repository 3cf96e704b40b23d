// Package faults is the sandbox's deterministic fault injector, exposed as
// HTTP middleware.
//
// # Spec grammar
//
// A spec is a comma-separated list of key=value entries, for example
//
//	500=0.05,502=0.02,503=0.01,429=0.05,reset=0.02,latency=20ms..300ms,seed=42
//
//	500=P      probability of a JSON 500 {"code":500,"message":"Internal server error"}
//	502=P      probability of an nginx-style HTML 502 Bad Gateway page (Content-Type text/html)
//	503=P      probability of a JSON 503 {"code":503,"message":"Service unavailable"}
//	429=P      probability of a JSON 429 {"code":429,"message":"Too many requests"} with Retry-After: 1
//	449=P      probability of the platform's JSON 449 {"code":449,"message":"Request queued, retry later"} with Retry-After: 1
//	reset=P    probability of a TCP connection reset after the request was read
//	latency=D  delay added to every request: a Go duration (50ms) or a uniform range (20ms..300ms)
//	errshape=P probability that an error answer (a fault above, or the handler's own 4xx/5xx)
//	           comes in one of the other shapes respond.io's clients show: "code" as a string
//	           ("400"), "message" as an object ({"error": ["…"]}), or both
//	nov2=P     probability that a list answer's pagination links lack the /v2 prefix
//	           (https://host/contact/list?cursorId=10), as the platform's sometimes do
//	seed=N     int64 seed of the decision sequence (default 1)
//
// Probabilities are numbers from 0 to 1; those of the faults (500 … reset)
// must add up to at most 1, while errshape and nov2 are drawn on their own and
// combine with any fault. Each key may appear once. An empty spec injects
// nothing.
//
// # Behaviour
//
// Every request draws its decision (which fault, if any; how much latency;
// for a reset, whether before or after applying) from one math/rand source
// seeded with seed and guarded by a mutex, so a given seed yields the same
// sequence of decisions in request arrival order.
//
// The latency is slept first (cut short, without a response, if the client
// goes away). Then, for 500, 502, 503, 429 and 449 the canned response is written
// and the wrapped handler is NOT called: the change is not applied. For a
// reset the request body is read in full (so the client has finished
// sending), then:
//
//   - half the time (reset before) the wrapped handler is not called;
//   - half the time (reset after) the handler runs into a buffer that is
//     thrown away, so the change IS applied but its response is never sent;
//
// and the connection is hijacked and closed with SO_LINGER 0, so the client
// sees "connection reset by peer" (or EOF) instead of a response. Where the
// connection cannot be hijacked (HTTP/2, or a wrapping ResponseWriter without
// Unwrap) the handler panics with http.ErrAbortHandler, which makes net/http
// drop the connection; middleware around this one must let that panic
// through. Note that Go's http.Transport silently retries an idempotent
// request (GET, or one with an Idempotency-Key header) that fails this way on
// a reused connection.
package faults

import (
	"context"
	"math/rand/v2"
	"net/http"
	"strconv"
	"sync"
	"time"
)

// Fault is what the injector does to one request.
type Fault int

// The faults, in the order a random draw is mapped onto them.
const (
	None            Fault = iota // pass the request to the wrapped handler
	InternalError                // 500
	BadGateway                   // 502
	Unavailable                  // 503
	TooManyRequests              // 429
	ResetBefore                  // reset without applying the request
	ResetAfter                   // apply the request, then reset instead of responding
	Queued                       // 449 "request queued, retry later" (not applied)
)

var faultNames = [...]string{"none", "500", "502", "503", "429", "reset-before", "reset-after", "449"}

// drawOrder maps the cumulative probabilities of a draw onto faults. 449 comes
// last so that adding it left the decision sequence of older specs unchanged.
var drawOrder = [...]Fault{InternalError, BadGateway, Unavailable, TooManyRequests, ResetBefore, Queued}

// String names the fault as it appears in logs: none, 500, 502, 503, 429,
// reset-before, reset-after, 449.
func (f Fault) String() string {
	if f < 0 || int(f) >= len(faultNames) {
		return "fault(" + strconv.Itoa(int(f)) + ")"
	}
	return faultNames[f]
}

// Decision is what the injector decided for one request.
type Decision struct {
	Fault   Fault
	Latency time.Duration
	// ErrShape is 0 for the usual error body, else the variant (1–3) an
	// error answer takes; BareNext drops /v2 from pagination links.
	ErrShape int
	BareNext bool
}

// Stats counts what an Injector has done since it was created.
type Stats struct {
	Requests        int64 // requests seen
	Delayed         int64 // requests given a latency above zero
	Passed          int64 // requests handed to the wrapped handler with no fault
	InternalError   int64
	BadGateway      int64
	Unavailable     int64
	TooManyRequests int64
	ResetBefore     int64
	ResetAfter      int64
	Queued          int64
	ErrShaped       int64 // requests whose error answers were given another shape
	BareNext        int64 // requests whose pagination links lacked /v2
}

// Injected is the number of requests that got a fault (latency aside).
func (s Stats) Injected() int64 {
	return s.InternalError + s.BadGateway + s.Unavailable + s.TooManyRequests + s.ResetBefore + s.ResetAfter + s.Queued
}

// SleepFunc waits for d or until ctx is done, returning ctx.Err() in the
// latter case.
type SleepFunc func(ctx context.Context, d time.Duration) error

// Option configures an Injector.
type Option func(*Injector)

// WithSleep replaces the latency sleep (tests use it to record delays
// instead of waiting them out).
func WithSleep(sleep SleepFunc) Option {
	return func(in *Injector) { in.sleep = sleep }
}

// WithObserver calls observe with every request's decision, before it is
// acted upon (for the sandbox's request log). observe must be quick and
// safe for concurrent use.
func WithObserver(observe func(r *http.Request, d Decision)) Option {
	return func(in *Injector) { in.observe = observe }
}

// Injector is fault-injecting middleware with counters. It is safe for
// concurrent use.
type Injector struct {
	spec    Spec
	next    http.Handler
	sleep   SleepFunc
	observe func(*http.Request, Decision)

	mu    sync.Mutex // guards rng and stats
	rng   *rand.Rand
	stats Stats
}

// New wraps next with the faults of spec.
func New(spec Spec, next http.Handler, opts ...Option) *Injector {
	in := &Injector{
		spec:  spec,
		next:  next,
		sleep: sleepContext,
		// PCG's output is fixed by its definition, so a seed means the same
		// sequence on every Go version.
		rng: rand.New(rand.NewPCG(uint64(spec.Seed), 0x5eed_fa17_5eed_fa17)),
	}
	for _, opt := range opts {
		opt(in)
	}
	return in
}

// Middleware wraps next with the faults of spec. A spec that injects
// nothing returns next itself.
func Middleware(spec Spec, next http.Handler) http.Handler {
	if !spec.Enabled() {
		return next
	}
	return New(spec, next)
}

// Stats returns a snapshot of the counters.
func (in *Injector) Stats() Stats {
	in.mu.Lock()
	defer in.mu.Unlock()
	return in.stats
}

// decide draws the next decision. It always consumes exactly three draws so
// the sequence for a seed does not depend on which faults a request got.
func (in *Injector) decide() Decision {
	in.mu.Lock()
	defer in.mu.Unlock()
	faultDraw, latencyDraw, halfDraw := in.rng.Float64(), in.rng.Float64(), in.rng.Float64()

	d := Decision{Fault: None, Latency: in.spec.LatencyMin}
	if span := in.spec.LatencyMax - in.spec.LatencyMin; span > 0 {
		d.Latency += time.Duration(latencyDraw * float64(span+1))
		d.Latency = min(d.Latency, in.spec.LatencyMax)
	}
	cumulative := 0.0
	for i, p := range []float64{in.spec.InternalError, in.spec.BadGateway, in.spec.Unavailable, in.spec.TooManyRequests, in.spec.Reset, in.spec.Queued} {
		cumulative += p
		if p > 0 && faultDraw < cumulative {
			d.Fault = drawOrder[i]
			break
		}
	}
	if d.Fault == ResetBefore && halfDraw >= 0.5 {
		d.Fault = ResetAfter
	}
	if in.spec.shapes() {
		// Drawn only when asked for, so older specs keep their sequences.
		shapeDraw, nextDraw := in.rng.Float64(), in.rng.Float64()
		if shapeDraw < in.spec.ErrShape {
			d.ErrShape = 1 + int(shapeDraw/in.spec.ErrShape*3)%3
		}
		d.BareNext = nextDraw < in.spec.BareNext
	}

	in.count(d)
	return d
}

// count records d. Callers hold in.mu.
func (in *Injector) count(d Decision) {
	s := &in.stats
	s.Requests++
	if d.Latency > 0 {
		s.Delayed++
	}
	if d.ErrShape > 0 {
		s.ErrShaped++
	}
	if d.BareNext {
		s.BareNext++
	}
	switch d.Fault {
	case None:
		s.Passed++
	case InternalError:
		s.InternalError++
	case BadGateway:
		s.BadGateway++
	case Unavailable:
		s.Unavailable++
	case TooManyRequests:
		s.TooManyRequests++
	case ResetBefore:
		s.ResetBefore++
	case ResetAfter:
		s.ResetAfter++
	case Queued:
		s.Queued++
	}
}

// ServeHTTP applies the next decision to the request.
func (in *Injector) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	d := in.decide()
	if in.observe != nil {
		in.observe(r, d)
	}
	if d.Latency > 0 {
		if err := in.sleep(r.Context(), d.Latency); err != nil {
			return // the client is gone; nobody would read a response
		}
	}
	if d.BareNext {
		r = r.WithContext(context.WithValue(r.Context(), bareNextKey{}, true))
	}
	if d.ErrShape > 0 && d.Fault != ResetBefore && d.Fault != ResetAfter {
		sw := &shapingWriter{ResponseWriter: w, variant: d.ErrShape}
		defer sw.finish()
		w = sw
	}
	switch d.Fault {
	case None:
		in.next.ServeHTTP(w, r)
	case InternalError:
		writeJSONError(w, http.StatusInternalServerError, "Internal server error")
	case BadGateway:
		writeBadGateway(w)
	case Unavailable:
		writeJSONError(w, http.StatusServiceUnavailable, "Service unavailable")
	case TooManyRequests:
		w.Header().Set("Retry-After", "1")
		writeJSONError(w, http.StatusTooManyRequests, "Too many requests")
	case Queued:
		w.Header().Set("Retry-After", "1")
		writeJSONError(w, StatusQueued, "Request queued, retry later")
	case ResetBefore:
		resetConnection(w, r)
	case ResetAfter:
		in.next.ServeHTTP(&discardingWriter{header: http.Header{}}, r)
		resetConnection(w, r)
	}
}

func sleepContext(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
