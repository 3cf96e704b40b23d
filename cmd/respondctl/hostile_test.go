package main

// The hostile-server suite: a loopback proxy in front of the sandbox (or a
// bare hostile server) with one mode per attack, and the real command runner.
// Every case asserts what reached the user's streams and files, never how.

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/respondctl/respondctl/commands"
	"github.com/respondctl/respondctl/commands/factory"
	"github.com/respondctl/respondctl/internal/hostile"
	"github.com/respondctl/respondctl/output"
)

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
	code := commands.Main(args, f)
	return runResult{code: code, stdout: out.String(), stderr: errOut.String()}
}

// TestHostileTextNeverReachesTheTerminalRaw sends the escape corpus through
// every human output path, piped and on a terminal.
func TestHostileTextNeverReachesTheTerminalRaw(t *testing.T) {
	t.Parallel() // see TestMain
	srv := startSandbox(t)
	base := hostile.PoisonProxy(t, srv.URL())
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
		{"contacts", "merge", "1", "2", "--dry-run"},
		{"contacts", "create", "--first-name", "Ann", "--email", "ann.hostile@example.com"},
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
			if bad := hostile.Unsafe(r.stdout, false); bad != "" && (tty || !filtered) {
				t.Errorf("tty=%v %q: raw %s on stdout:\n%.400q", tty, args, bad, r.stdout)
			}
			if bad := hostile.Unsafe(r.stderr, false); bad != "" {
				t.Errorf("tty=%v %q: raw %s on stderr:\n%.400q", tty, args, bad, r.stderr)
			}
			// The hostile text did reach these paths, made visible.
			shows := map[string]bool{"contacts list": true, "contacts show 1": true, "conversation show 1": true,
				"conversation show 1 --details": true, "message show 1 " + msgID: true, "users list": true, "auth status": true}
			if shows[strings.Join(args, " ")] && !strings.Contains(r.stdout+r.stderr, hostile.Shown) { // terminal tables cut the rest
				t.Errorf("tty=%v %q: the hostile text is not shown escaped:\n%.400q", tty, args, r.stdout+r.stderr)
			}
			if r.code != 0 && !strings.Contains(strings.Join(args, " "), "nosuch") {
				t.Logf("tty=%v %q: exit %d: %s", tty, args, r.code, r.stderr)
			}
		}
	}
	t.Logf("%d command runs over %d hostile strings", tried, len(hostile.Corpus))
}

func mustJSON(v any) []byte { b, _ := json.Marshal(v); return b }

// TestHostileServerErrorLinesAreSafe: an error message built from the server's
// words is one safe line.
func TestHostileServerErrorLinesAreSafe(t *testing.T) {
	t.Parallel() // see TestMain
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusBadRequest)
		_ = json.NewEncoder(w).Encode(map[string]any{"code": 400, "message": hostile.Text()})
	}))
	defer srv.Close()
	h := newHostileRun(t, map[string]string{"RESPOND_API_BASE": srv.URL + "/v2", "RESPOND_TOKEN": "tok-hostile-0123456789"})
	for _, args := range [][]string{{"contacts", "show", "1"}, {"send", "1", "--text", "hi"}, {"users", "list", "--debug"}, {"api", "GET", "/space/user"}} {
		r := h.run(true, "", args...)
		if r.code == 0 {
			t.Errorf("%q: exit 0", args)
		}
		if bad := hostile.Unsafe(r.stdout+r.stderr, false); bad != "" {
			t.Errorf("%q: raw %s:\nstdout: %.400q\nstderr: %.400q", args, bad, r.stdout, r.stderr)
		}
	}
}
