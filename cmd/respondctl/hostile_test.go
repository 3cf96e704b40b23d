package main

// The hostile-server suite: a loopback proxy in front of the sandbox (or a
// bare hostile server) with one mode per attack, and the real command runner.
// Every case asserts what reached the user's streams and files, never how.

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"unicode/utf8"

	"github.com/respondctl/respondctl/commands/cmdutil"
	"github.com/respondctl/respondctl/commands/factory"
	"github.com/respondctl/respondctl/output"
)

// hostileCorpus is what end customers and broken servers put in text fields:
// screen clearing, a fake line, window title, clipboard write (OSC 52), a
// hidden link (OSC 8), 8-bit CSI, bidi overrides and isolates, bell,
// backspace, DEL and a bare carriage return.
var hostileCorpus = []string{
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

func hostileText() string { return "Ann " + strings.Join(hostileCorpus, " ") }

// poisonedKeys are the JSON fields whose string values the proxy replaces.
var poisonedKeys = map[string]bool{"firstName": true, "lastName": true, "text": true, "name": true,
	"failureReason": true, "message": true, "description": true, "title": true, "lifecycle": true}

// poison rewrites a JSON document's text fields to the hostile corpus.
func poison(v any) any {
	switch t := v.(type) {
	case map[string]any:
		for k, x := range t {
			if _, isStr := x.(string); isStr && poisonedKeys[k] {
				t[k] = hostileText()
				continue
			}
			t[k] = poison(x)
		}
	case []any:
		for i := range t {
			t[i] = poison(t[i])
		}
	}
	return v
}

// hostileTextProxy forwards to target and poisons every JSON answer.
func hostileTextProxy(t *testing.T, target string) string {
	u, _ := url.Parse(target)
	rp := httputil.NewSingleHostReverseProxy(&url.URL{Scheme: u.Scheme, Host: u.Host})
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
			if b, err := json.Marshal(poison(doc)); err == nil {
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
	return srv.URL + "/v2"
}

// unsafeOutput returns the first character a terminal would act on, or "".
func unsafeOutput(s string) string {
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

// hostileRun runs one command line with stdout optionally on a "terminal".
type hostileRun struct {
	t    *testing.T
	vars map[string]string
}

func newHostileRun(t *testing.T, env map[string]string) *hostileRun {
	dir := t.TempDir()
	vars := map[string]string{"HOME": dir, "XDG_CONFIG_HOME": filepath.Join(dir, "c"), "XDG_STATE_HOME": filepath.Join(dir, "s"), "XDG_CACHE_HOME": filepath.Join(dir, "k")}
	for k, v := range env {
		vars[k] = v
	}
	return &hostileRun{t: t, vars: vars}
}

func (h *hostileRun) run(tty bool, stdin string, args ...string) runResult {
	ios, in, out, errOut := output.Test()
	in.WriteString(stdin)
	ios.SetStdoutTTY(tty)
	ios.SetColorEnabled(false) // our own colour codes would hide a missed raw ESC
	ios.SetPager("")
	f := factory.NewWithDeps("test", factory.Deps{IOStreams: ios, Env: func(k string) (string, bool) { v, ok := h.vars[k]; return v, ok }})
	code := run(args, f)
	return runResult{code: code, stdout: out.String(), stderr: errOut.String()}
}

// TestHostileTextNeverReachesTheTerminalRaw sends the escape corpus through
// every human output path, piped and on a terminal.
func TestHostileTextNeverReachesTheTerminalRaw(t *testing.T) {
	srv := startSandbox(t)
	base := hostileTextProxy(t, srv.URL())
	h := newHostileRun(t, map[string]string{"RESPOND_API_BASE": base, "RESPOND_TOKEN": srv.Token()})
	// A real message id for message show, read through the proxy (its text is poisoned too).
	r := h.run(false, "", "conversation", "show", "1", "-o", "json")
	var items []map[string]any
	_ = json.Unmarshal([]byte(r.stdout), &items)
	msgID := ""
	for _, it := range items {
		if m, ok := it["message"].(map[string]any); ok {
			it = m
		}
		if id, ok := it["id"].(float64); ok && msgID == "" && it["kind"] != "event" {
			msgID = strconv.FormatInt(int64(id), 10)
		}
	}
	if msgID == "" {
		t.Fatalf("no message in conversation 1: %.300s", r.stdout)
	}
	h.run(false, "", "config", "set", "me", "lee@example.com")
	lines := [][]string{
		{"contacts", "list"},
		{"contacts", "list", "-o", "json"},
		{"contacts", "list", "-o", "yaml"},
		{"contacts", "list", "--jq", ".[].firstName"},
		{"contacts", "list", "--template", "{{range .}}{{.firstName}} {{color \"red\" .lastName}}\n{{end}}"},
		{"contacts", "show", "1"},
		{"contacts", "show", "1", "--debug"},
		{"conversation", "show", "1"},
		{"conversation", "show", "1", "--details"},
		{"message", "show", "1", msgID},
		{"auth", "status"},
		{"users", "list"},
		{"channels", "list"},
		{"views"},
		{"views", "--view", "nosuch\x1b]0;t\x07"},
		{"assign", "1", "--to", "lee@example.com"},
		{"send", "1", "--text", "hi"},
		{"comment", "1", "--text", "note"},
		{"api", "GET", "/contact/1"},
		{"api", "GET", "/contact/id:1"},
		{"api", "GET", "/contact/id:1", "-i"},
	}
	tried := 0
	for _, tty := range []bool{false, true} {
		for _, args := range lines {
			r := h.run(tty, "", args...)
			tried++
			// Piped --jq and --template output is data for a script, kept as is.
			filtered := slices.Contains(args, "--jq") || slices.Contains(args, "--template")
			if bad := unsafeOutput(r.stdout); bad != "" && (tty || !filtered) {
				t.Errorf("tty=%v %q: raw %s on stdout:\n%.400q", tty, args, bad, r.stdout)
			}
			if bad := unsafeOutput(r.stderr); bad != "" {
				t.Errorf("tty=%v %q: raw %s on stderr:\n%.400q", tty, args, bad, r.stderr)
			}
			// The hostile text did reach these paths, made visible.
			shows := map[string]bool{"contacts list": true, "contacts show 1": true, "conversation show 1": true,
				"conversation show 1 --details": true, "message show 1 " + msgID: true, "users list": true, "auth status": true}
			if shows[strings.Join(args, " ")] && !strings.Contains(r.stdout+r.stderr, `\x1b[2J`) { // terminal tables cut the rest
				t.Errorf("tty=%v %q: the hostile text is not shown escaped:\n%.400q", tty, args, r.stdout+r.stderr)
			}
			if r.code != 0 && !strings.Contains(strings.Join(args, " "), "nosuch") {
				t.Logf("tty=%v %q: exit %d: %s", tty, args, r.code, r.stderr)
			}
		}
	}
	t.Logf("%d command runs over %d hostile strings", tried, len(hostileCorpus))
}

func mustJSON(v any) []byte { b, _ := json.Marshal(v); return b }

// TestHostileServerErrorLinesAreSafe: an error message built from the server's
// words is one safe line.
func TestHostileServerErrorLinesAreSafe(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusBadRequest)
		_ = json.NewEncoder(w).Encode(map[string]any{"code": 400, "message": hostileText()})
	}))
	defer srv.Close()
	h := newHostileRun(t, map[string]string{"RESPOND_API_BASE": srv.URL + "/v2", "RESPOND_TOKEN": "tok-hostile-0123456789"})
	for _, args := range [][]string{{"contacts", "show", "1"}, {"send", "1", "--text", "hi"}, {"users", "list", "--debug"}, {"api", "GET", "/space/user"}} {
		r := h.run(true, "", args...)
		if r.code == 0 {
			t.Errorf("%q: exit 0", args)
		}
		if bad := unsafeOutput(r.stdout + r.stderr); bad != "" {
			t.Errorf("%q: raw %s:\nstdout: %.400q\nstderr: %.400q", args, bad, r.stdout, r.stderr)
		}
	}
}

var _ = os.Getenv
var _ sync.Mutex
var _ atomic.Int32
var _ = cmdutil.ExitOK
