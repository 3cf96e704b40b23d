package sandbox

import (
	"bufio"
	"context"
	"crypto/subtle"
	"fmt"
	"net"
	"net/http"
	"runtime/debug"
	"strconv"
	"strings"
	"time"
)

// MaxBodyBytes is the largest request body accepted (larger: 413).
const MaxBodyBytes = 1 << 20

type ctxKey int

const templateKey ctxKey = 1

// EndpointTemplate returns the method and path template of the request's
// endpoint, e.g. "POST /contact/{identifier}/conversation/assignee" (without
// the /v2 prefix), or "" when no endpoint matches. The rate limiter keys on it.
func EndpointTemplate(r *http.Request) string {
	t, _ := r.Context().Value(templateKey).(string)
	return t
}

// statusRecorder remembers the status for the log line; Unwrap lets
// http.ResponseController reach Hijack/Flush of the real writer.
type statusRecorder struct {
	http.ResponseWriter
	status   int
	hijacked bool // a fault reset the connection instead of responding
}

// Hijack lets the fault injector reset the connection and tells the log.
func (w *statusRecorder) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	conn, rw, err := http.NewResponseController(w.ResponseWriter).Hijack()
	if err == nil {
		w.hijacked = true
	}
	return conn, rw, err
}

func (w *statusRecorder) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusRecorder) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

func (w *statusRecorder) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// recoverer turns a panic into a logged JSON 500 instead of a dropped connection.
func (s *Server) recoverer(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v) // deliberate abort (fault injection): let net/http drop the connection
				}
				s.logf("panic serving %s %s: %v\n%s", r.Method, r.URL.Path, v, debug.Stack())
				writeError(w, http.StatusInternalServerError, "Internal server error")
			}
		}()
		next.ServeHTTP(w, r)
	})
}

func (s *Server) logf(format string, args ...any) {
	if s.opts.Log == nil {
		return
	}
	s.logMu.Lock()
	defer s.logMu.Unlock()
	fmt.Fprintf(s.opts.Log, format+"\n", args...)
}

// logger writes one line per request: method, path, status, duration. The
// query string is left out on purpose and headers (the token) are never logged.
func (s *Server) logger(next http.Handler) http.Handler {
	if s.opts.Log == nil {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := &statusRecorder{ResponseWriter: w}
		defer func() {
			status := strconv.Itoa(rec.status)
			v := recover()
			switch {
			case rec.hijacked || v == http.ErrAbortHandler:
				status = "reset"
			case rec.status == 0:
				status = "200"
			}
			s.logf("%s %s %s %s", r.Method, r.URL.EscapedPath(), status, time.Since(start).Round(time.Microsecond))
			if v != nil {
				panic(v)
			}
		}()
		next.ServeHTTP(rec, r)
	})
}

// auth requires "Authorization: Bearer <token>" on every request.
func (s *Server) auth(next http.Handler) http.Handler {
	want := []byte("Bearer " + s.token)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got := []byte(strings.TrimSpace(r.Header.Get("Authorization")))
		if subtle.ConstantTimeCompare(got, want) != 1 {
			writeError(w, http.StatusUnauthorized, "Unauthorized")
			return
		}
		next.ServeHTTP(w, r)
	})
}

// limitBody rejects bodies over MaxBodyBytes with 413 (declared length) and
// caps reading for chunked bodies (decodeBody reports 413 then).
func limitBody(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.ContentLength > MaxBodyBytes {
			writeError(w, http.StatusRequestEntityTooLarge, fmt.Sprintf("Request body is larger than %d bytes", MaxBodyBytes))
			return
		}
		r.Body = http.MaxBytesReader(w, r.Body, MaxBodyBytes)
		next.ServeHTTP(w, r)
	})
}

// rejection is how an unmatched request will be answered (404, or 405 with Allow).
type rejection struct{ allow string }

const rejectKey ctxKey = 2

// resolve finds the endpoint template before the rate limiter runs; an
// unmatched request carries a rejection that routeOrReject answers, after
// the rate limiter (so it gets the headers too).
func resolve(mux *http.ServeMux, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, pattern := mux.Handler(r)
		if allow := otherMethod(mux, r, pattern); allow != "" || pattern == "" {
			next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), rejectKey, rejection{allow: allow})))
			return
		}
		tmpl := strings.Replace(pattern, " /v2/", " /", 1)
		if tmpl == contactActionPattern && strings.HasPrefix(r.URL.Path, "/v2/contact/create_or_update/") {
			tmpl = "POST /contact/create_or_update/{identifier}"
		}
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), templateKey, tmpl)))
	})
}

// otherMethod returns the method the path is served with when r's method is
// wrong. An exact path always counts (GET /contact/list is a wrong method,
// not a contact called "list"); a templated one only when its identifier
// looks like one (DELETE /contact/id:1), so POST /contact/count on a core
// server stays "not found".
func otherMethod(mux *http.ServeMux, r *http.Request, matched string) string {
	if matched != "" && !strings.Contains(matched, "{") {
		return ""
	}
	for _, m := range []string{http.MethodGet, http.MethodPost} {
		if m == r.Method {
			continue
		}
		probe := r.Clone(r.Context())
		probe.Method = m
		_, p := mux.Handler(probe)
		switch {
		case p == "":
		case !strings.Contains(p, "{"):
			return m
		case matched == "" && looksLikeIdentifierPath(r.URL.Path):
			return m
		}
	}
	return ""
}

// looksLikeIdentifierPath reports whether /v2/contact/<x>/… has a typed identifier.
func looksLikeIdentifierPath(path string) bool {
	rest, ok := strings.CutPrefix(path, "/v2/contact/")
	if !ok {
		rest, ok = strings.CutPrefix(path, "/v2/sandbox/contact/")
	}
	seg, _, _ := strings.Cut(rest, "/")
	return ok && strings.Contains(seg, ":")
}

// rateKey is the endpoint template, or the method alone for unmatched paths
// (which share one bucket per method, as a gateway would count them).
func rateKey(r *http.Request) string {
	if t := EndpointTemplate(r); t != "" {
		return t
	}
	return r.Method + " ?"
}

// routeOrReject serves matched requests and answers unmatched ones with JSON 404/405.
func routeOrReject(mux *http.ServeMux) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rej, rejected := r.Context().Value(rejectKey).(rejection)
		switch {
		case !rejected:
			mux.ServeHTTP(w, r)
		case rej.allow != "":
			w.Header().Set("Allow", rej.allow)
			writeError(w, http.StatusMethodNotAllowed, "Method "+r.Method+" not allowed on "+r.URL.Path)
		default:
			writeError(w, http.StatusNotFound, "Not found: "+r.URL.Path)
		}
	})
}
