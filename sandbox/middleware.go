package sandbox

import (
	"context"
	"crypto/subtle"
	"fmt"
	"net/http"
	"runtime/debug"
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
	status int
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
			status := rec.status
			if status == 0 {
				status = http.StatusOK
			}
			s.logf("%s %s %d %s", r.Method, r.URL.EscapedPath(), status, time.Since(start).Round(time.Microsecond))
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

// resolve finds the endpoint template before the rate limiter runs and
// answers unknown paths with JSON 404/405.
func resolve(mux *http.ServeMux, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, pattern := mux.Handler(r)
		if pattern == "" {
			for _, m := range []string{http.MethodGet, http.MethodPost} {
				if m == r.Method {
					continue
				}
				probe := r.Clone(r.Context())
				probe.Method = m
				// Only exact paths count: POST /contact/count on a core server is
				// "not found", not "GET /contact/{identifier} with the wrong method".
				if _, p := mux.Handler(probe); p != "" && !strings.Contains(p, "{") {
					w.Header().Set("Allow", m)
					writeError(w, http.StatusMethodNotAllowed, "Method "+r.Method+" not allowed on "+r.URL.Path)
					return
				}
			}
			writeError(w, http.StatusNotFound, "Not found: "+r.URL.Path)
			return
		}
		tmpl := strings.Replace(pattern, " /v2/", " /", 1)
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), templateKey, tmpl)))
	})
}
