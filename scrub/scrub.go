// Package scrub removes secrets (API tokens) from text on its way to a sink:
// stdout, stderr, journals, logs, errors. A secret is matched literally and
// in the forms a server or a library may echo it in: JSON-escaped
// ("\u0073…", "\/"), URL-encoded ("%73…") and any mix of the three.
//
// It is a leaf package: apiclient, bulk, config and the command layer all
// scrub through it, so one matcher decides what counts as the token.
package scrub

import (
	"bytes"
	"io"
	"strings"
	"sync"
)

// Replacement is what a secret turns into.
const Replacement = "REDACTED"

// MinLength: shorter secrets are not scrubbed (a one-letter "token" would
// redact every word containing that letter; such a token is not a secret).
const MinLength = 4

// Set is the secrets known to one process (the factory adds the token it
// resolves). The zero value is empty and ready; a nil *Set scrubs nothing.
type Set struct {
	mu      sync.RWMutex
	secrets []string
}

// Add registers a secret; blanks and short values are ignored.
func (s *Set) Add(secret string) {
	secret = strings.TrimSpace(secret)
	if s == nil || len(secret) < MinLength {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, have := range s.secrets {
		if have == secret {
			return
		}
	}
	s.secrets = append(s.secrets, secret)
}

func (s *Set) list() []string {
	if s == nil {
		return nil
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.secrets
}

// String scrubs every registered secret from text.
func (s *Set) String(text string) string {
	for _, sec := range s.list() {
		text = String(text, sec)
	}
	return text
}

// String replaces secret in text, in every form Match recognises.
func String(text, secret string) string {
	if len(secret) < MinLength || text == "" {
		return text
	}
	if !mayContain(text, secret) {
		return text
	}
	return string(replaceAll([]byte(text), secret))
}

// Bytes is String for byte slices; b is returned unchanged (not copied)
// when it holds no secret.
func Bytes(b []byte, secret string) []byte {
	if len(secret) < MinLength || len(b) == 0 || !mayContain(string(b), secret) {
		return b
	}
	return replaceAll(b, secret)
}

// mayContain is the fast path: literal secrets are found by strings.Contains,
// encoded ones need a backslash or a percent sign somewhere.
func mayContain(text, secret string) bool {
	return strings.Contains(text, secret) || strings.ContainsAny(text, `\%`)
}

func replaceAll(b []byte, secret string) []byte {
	var out []byte
	last := 0
	first := secret[0]
	for i := 0; i < len(b); {
		if c := b[i]; c != first && c != '\\' && c != '%' {
			i++ // cannot start a match: skip without the call
			continue
		}
		n, full := matchAt(b[i:], secret)
		if !full {
			i++
			continue
		}
		if out == nil {
			out = make([]byte, 0, len(b))
		}
		out = append(out, b[last:i]...)
		out = append(out, Replacement...)
		i += n
		last = i
	}
	if out == nil {
		return b
	}
	return append(out, b[last:]...)
}

// matchAt matches secret at the start of b, each character either literal,
// \uXXXX (JSON), \/ (JSON, for '/') or %XX (URL). It returns the bytes
// consumed and whether the whole secret matched; (k, false) with k == len(b)
// means b ends in the middle of a possible match (see Writer).
func matchAt(b []byte, secret string) (n int, full bool) {
	p := 0
	for i := 0; i < len(secret); i++ {
		c := secret[i]
		if p == len(b) {
			return p, false // partial: input ended inside a match
		}
		switch {
		case b[p] == c:
			p++
		case b[p] == '\\':
			k, ok, partial := matchJSONEscape(b[p:], c)
			if partial {
				return len(b), false
			}
			if !ok {
				return 0, false
			}
			p += k
		case b[p] == '%':
			k, ok, partial := matchHexByte(b[p+1:], c)
			if partial {
				return len(b), false
			}
			if !ok {
				return 0, false
			}
			p += 1 + k
		default:
			return 0, false
		}
	}
	return p, true
}

// matchJSONEscape matches "\/" or "\u00XX" for the byte c at the start of b.
func matchJSONEscape(b []byte, c byte) (n int, ok, partial bool) {
	if len(b) < 2 {
		return 0, false, true
	}
	if b[1] == '/' && c == '/' {
		return 2, true, false
	}
	if b[1] != 'u' && b[1] != 'U' {
		return 0, false, false
	}
	rest := b[2:]
	for i, want := range []byte("00") {
		if i == len(rest) {
			return 0, false, true
		}
		if rest[i] != want {
			return 0, false, false
		}
	}
	k, ok, partial := matchHexByte(rest[2:], c)
	return 4 + k, ok, partial
}

// matchHexByte matches two hex digits (either case) encoding c.
func matchHexByte(b []byte, c byte) (n int, ok, partial bool) {
	const hex = "0123456789abcdef"
	for i, want := range []byte{hex[c>>4], hex[c&0xf]} {
		if i == len(b) {
			return 0, false, true
		}
		if b[i] != want && b[i] != want-('a'-'A') {
			return 0, false, false
		}
	}
	return 2, true, false
}

// Writer scrubs a stream. A secret split across two Write calls is still
// caught: a tail that could be the start of a secret is held back until the
// next Write or Flush.
type Writer struct {
	set *Set
	w   io.Writer

	mu   sync.Mutex
	held []byte
}

// NewWriter returns a scrubbing writer over w for the secrets in set (which
// may grow after the writer is made).
func NewWriter(w io.Writer, set *Set) *Writer { return &Writer{set: set, w: w} }

// Unwrap returns the writer underneath.
func (sw *Writer) Unwrap() io.Writer { return sw.w }

func (sw *Writer) Write(p []byte) (int, error) {
	secrets := sw.set.list()
	sw.mu.Lock()
	defer sw.mu.Unlock()
	if len(secrets) == 0 && len(sw.held) == 0 {
		_, err := sw.w.Write(p)
		return len(p), err
	}
	buf := p
	if len(sw.held) > 0 {
		buf = append(sw.held, p...)
		sw.held = nil
	}
	for _, sec := range secrets {
		if bytes.Contains(buf, []byte(sec)) || bytes.ContainsAny(buf, `\%`) {
			buf = replaceAll(buf, sec)
		}
	}
	// Hold back the longest tail that could still grow into a secret. Only a
	// byte that can occur in some spelling of a secret can end such a tail
	// (most writes end in a newline and skip the search).
	hold := len(buf)
	for _, sec := range secrets {
		if len(buf) == 0 || !canSpell(sec, buf[len(buf)-1]) {
			continue
		}
		for i := max(0, len(buf)-6*len(sec)); i < len(buf); i++ {
			if c := buf[i]; c != sec[0] && c != '\\' && c != '%' {
				continue
			}
			if n, full := matchAt(buf[i:], sec); !full && n == len(buf)-i && n > 0 {
				hold = min(hold, i)
				break
			}
		}
	}
	if hold < len(buf) {
		sw.held = bytes.Clone(buf[hold:])
		buf = buf[:hold]
	}
	if len(buf) > 0 {
		if _, err := sw.w.Write(buf); err != nil {
			return 0, err
		}
	}
	return len(p), nil
}

// canSpell reports whether c occurs in some spelling of secret (literal,
// \uXXXX, \/, %XX).
func canSpell(secret string, c byte) bool {
	switch {
	case c == '\\', c == '%', c == 'u', c == 'U', c == '/',
		c >= '0' && c <= '9', c >= 'a' && c <= 'f', c >= 'A' && c <= 'F':
		return true
	}
	return strings.IndexByte(secret, c) >= 0
}

// Flush writes what was held back (it was not a secret after all).
func (sw *Writer) Flush() error {
	sw.mu.Lock()
	defer sw.mu.Unlock()
	if len(sw.held) == 0 {
		return nil
	}
	held := sw.held
	sw.held = nil
	_, err := sw.w.Write(held)
	return err
}
