package apiclient

import (
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode/utf8"
)

// traceBodyLimit truncates bodies in the debug trace.
const traceBodyLimit = 2048

// tracer writes the --debug HTTP trace. Concurrent workers share it, so each
// block is written under a lock; every line is scrubbed of the token.
type tracer struct {
	w     io.Writer
	token string
	mu    sync.Mutex
}

// sensitiveHeaders never show their values.
var sensitiveHeaders = []string{"Authorization", "Cookie", "Set-Cookie", "Proxy-Authorization"}

func (t *tracer) write(lines []string) {
	if t == nil {
		return
	}
	text := redact(strings.Join(lines, "\n")+"\n", t.token)
	t.mu.Lock()
	defer t.mu.Unlock()
	_, _ = io.WriteString(t.w, text)
}

func headerLines(prefix string, h http.Header) []string {
	keys := make([]string, 0, len(h))
	for k := range h {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	var out []string
	for _, k := range keys {
		for _, v := range h[k] {
			if slices.Contains(sensitiveHeaders, http.CanonicalHeaderKey(k)) {
				v = redactedHeaderValue(v)
			}
			out = append(out, fmt.Sprintf("%s%s: %s", prefix, k, v))
		}
	}
	return out
}

// redactedHeaderValue keeps the scheme ("Bearer") so the trace still shows
// that a token was sent.
func redactedHeaderValue(v string) string {
	if scheme, _, ok := strings.Cut(v, " "); ok {
		return scheme + " REDACTED"
	}
	return "REDACTED"
}

// bodyLines redacts before it truncates: cutting first could leave the
// head of a token that straddles the limit, which redact no longer matches.
func (t *tracer) bodyLines(prefix string, body []byte) []string {
	if len(body) == 0 {
		return nil
	}
	s := redact(string(body), t.token)
	suffix := ""
	if len(s) > traceBodyLimit {
		suffix = fmt.Sprintf(" … (%d bytes, truncated)", len(body))
		cut := traceBodyLimit
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut-- // never split a character
		}
		s = s[:cut]
	}
	return []string{prefix + strings.ReplaceAll(s, "\n", "\n"+prefix) + suffix}
}

func (t *tracer) request(cl *call, url string, h http.Header, attempt int) {
	if t == nil {
		return
	}
	first := fmt.Sprintf("> %s %s", cl.method, url)
	if len(cl.query) > 0 {
		first += "?" + cl.query.Encode()
	}
	if attempt > 1 {
		first += fmt.Sprintf("  (attempt %d)", attempt)
	}
	lines := append([]string{first}, headerLines("> ", h)...)
	t.write(append(lines, t.bodyLines("> ", cl.body)...))
}

func (t *tracer) response(r *response, status string, elapsed time.Duration) {
	if t == nil {
		return
	}
	lines := []string{fmt.Sprintf("< %s (%s)", status, elapsed.Round(time.Millisecond))}
	lines = append(lines, headerLines("< ", r.header)...)
	t.write(append(lines, t.bodyLines("< ", r.body)...))
}

func (t *tracer) failure(elapsed time.Duration, err error) {
	if t == nil {
		return
	}
	t.write([]string{fmt.Sprintf("< error after %s: %v", elapsed.Round(time.Millisecond), err)})
}

func (t *tracer) retry(next, of int, wait time.Duration, cause error) {
	if t == nil {
		return
	}
	t.write([]string{fmt.Sprintf("* retrying in %s (attempt %d of %d): %v", wait.Round(time.Millisecond), next, of, cause)})
}

// note writes a "* " line about a decision the client made (an ignored header).
func (t *tracer) note(msg string) {
	if t == nil {
		return
	}
	t.write([]string{"* " + msg})
}
