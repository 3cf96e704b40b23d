// Package hostile is the test kit of the hostile-server suite: the corpus of
// strings end customers and broken servers send, a loopback proxy that puts
// them in every text field of a real server's answers, and the check that no
// character a terminal would act on reached an output. Tests only.
package hostile

import (
	"bytes"
	"encoding/json"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"
)

// Corpus: screen clearing, a fake line, window title, clipboard write
// (OSC 52), a hidden link (OSC 8), 8-bit CSI and NEL, bidi overrides and
// isolates, bell, backspace, DEL, NUL, a DCS query.
var Corpus = []string{
	"\x1b[2J\x1b[Hcleared",
	"\r\x1b[Kerror: fake line",
	"\x1b]0;pwned title\x07",
	"\x1b]52;c;ZWNobyBwd25lZA==\x07",
	"\x1b]8;;https://evil.example\x1b\\click\x1b]8;;\x1b\\",
	"\u009b31mc1 csi\u0085nel",
	"invoice\u202eexe.pdf",
	"\u2066isolated\u2069\u200e\u200f\u061c\u202a\u202b\u202c\u202d",
	"bell\x07 bs\x08 del\x7f nul\x00",
	"\x1bP+q544e\x1b\\dcs",
}

// Text is the whole corpus as one customer-supplied string.
func Text() string { return "Ann " + strings.Join(Corpus, " ") }

// Shown is how the start of Text looks once made visible.
const Shown = `\x1b[2J`

// PoisonedKeys are the JSON fields whose string values PoisonProxy replaces.
var PoisonedKeys = map[string]bool{"firstName": true, "lastName": true, "text": true, "name": true,
	"failureReason": true, "message": true, "description": true, "title": true, "lifecycle": true}

// Poison rewrites a decoded JSON document's text fields to Text().
func Poison(v any) any {
	switch t := v.(type) {
	case map[string]any:
		for k, x := range t {
			if _, isStr := x.(string); isStr && PoisonedKeys[k] {
				t[k] = Text()
				continue
			}
			t[k] = Poison(x)
		}
	case []any:
		for i := range t {
			t[i] = Poison(t[i])
		}
	}
	return v
}

// PoisonProxy forwards to target (a base URL such as http://127.0.0.1:N/v2)
// and poisons every JSON answer; it returns the proxy's base URL.
func PoisonProxy(t testing.TB, target string) string {
	t.Helper()
	u, err := url.Parse(target)
	if err != nil {
		t.Fatal(err)
	}
	rp := httputil.NewSingleHostReverseProxy(&url.URL{Scheme: u.Scheme, Host: u.Host})
	// Not the standard logger: a command running in-process (commands.Execute) points it at its
	// own stderr, and the tests using this proxy run in parallel with others.
	rp.ErrorLog = log.New(io.Discard, "", 0)
	rp.ModifyResponse = func(r *http.Response) error {
		body, err := io.ReadAll(r.Body)
		r.Body.Close()
		if err != nil {
			return err
		}
		dec := json.NewDecoder(bytes.NewReader(body))
		dec.UseNumber()
		var doc any
		if dec.Decode(&doc) == nil {
			if b, err := json.Marshal(Poison(doc)); err == nil {
				body = b
			}
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		r.ContentLength = int64(len(body))
		r.Header.Set("Content-Length", strconv.Itoa(len(body)))
		return nil
	}
	srv := httptest.NewServer(rp)
	t.Cleanup(srv.Close)
	return srv.URL + u.Path
}

// ourSGR matches the colour codes respondctl itself emits.
var ourSGR = regexp.MustCompile(`\x1b\[(0|1|2|3[1-6]|90)m`)

// Unsafe returns the first character of s a terminal would act on (quoted),
// or "". On a pty, pass pty=true: respondctl's own colours and the terminal's
// \r\n line endings are allowed.
func Unsafe(s string, pty bool) string {
	if pty {
		s = ourSGR.ReplaceAllString(s, "")
		s = strings.ReplaceAll(s, "\r\n", "\n")
	}
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			return strconv.Quote(s[i : i+1])
		case r < 0x20 && r != '\n' && r != '\t', r == 0x7f, r >= 0x80 && r <= 0x9f,
			r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069, r == 0x200e, r == 0x200f, r == 0x061c:
			return strconv.QuoteRune(r)
		}
		i += size
	}
	return ""
}
