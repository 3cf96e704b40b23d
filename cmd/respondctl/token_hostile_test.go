package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/respondctl/respondctl/commands"
	"github.com/respondctl/respondctl/commands/cmdtest"
	"github.com/respondctl/respondctl/commands/cmdutil"
	"github.com/respondctl/respondctl/commands/factory"
	"github.com/respondctl/respondctl/output"
	"github.com/respondctl/respondctl/scrub"
)

// hostileToken has characters that JSON and URL encoding spell differently.
const hostileToken = "tok/SECRET-0123456789+abc"

// leaks reports whether s holds the token in any form (literal, JSON-escaped,
// URL-encoded, mixed).
func leaks(s string) bool { return scrub.String(s, hostileToken) != s }

// filesUnder returns the contents of every file under dir (config, journals, caches).
func filesUnder(t *testing.T, dir string) string {
	var b strings.Builder
	_ = filepath.Walk(dir, func(p string, info os.FileInfo, err error) error {
		if err == nil && info.Mode().IsRegular() {
			data, _ := os.ReadFile(p)
			b.Write(data)
		}
		return nil
	})
	return b.String()
}

// TestRedirectsNeverCarryTheToken: every redirect status, to another port of
// the same host, for reads, sends and raw calls: the other origin never sees
// the token, the error is one line naming both URLs, and nothing printed or
// written holds the token.
func TestRedirectsNeverCarryTheToken(t *testing.T) {
	t.Parallel() // see TestMain
	var leaked atomic.Int32
	trap := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "" {
			leaked.Add(1)
		}
		_, _ = io.WriteString(w, `{"messageId":5,"contactId":1,"items":[]}`)
	}))
	defer trap.Close()
	runs := 0
	for _, code := range []int{301, 302, 303, 307, 308} {
		base := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, trap.URL+r.URL.Path+"?access_token="+url.QueryEscape(hostileToken), code)
		}))
		h := newHostileRun(t, map[string]string{"RESPOND_API_BASE": base.URL + "/v2", "RESPOND_TOKEN": hostileToken})
		for _, args := range [][]string{
			{"contacts", "show", "1"},
			{"users", "list", "--debug"},
			{"send", "1", "2", "--text", "hi"},
			{"comment", "1", "--text", "note"},
			{"api", "GET", "/space/user"},
			{"api", "POST", "/contact/id:1/comment", "-f", "text=x", "--debug"},
		} {
			r := h.run(false, "", args...)
			runs++
			if r.code == 0 {
				t.Errorf("%d %q: exit 0", code, args)
			}
			if !strings.Contains(r.stderr, "refused redirect from "+base.URL+"/v2/") || !strings.Contains(r.stderr, " to "+trap.URL+"/v2/") {
				t.Errorf("%d %q: no refused-redirect error naming both URLs: %q", code, args, r.stderr)
			}
			if leaks(r.stdout + r.stderr) {
				t.Errorf("%d %q leaked the token: %q %q", code, args, r.stdout, r.stderr)
			}
		}
		if leaks(filesUnder(t, h.vars["HOME"])) {
			t.Errorf("%d: a file holds the token", code)
		}
		base.Close()
	}
	if leaked.Load() != 0 {
		t.Errorf("the token reached another origin %d times", leaked.Load())
	}
	t.Logf("%d runs, token leaks: %d", runs, leaked.Load())
}

// TestTokenEchoedInEveryFormNeverPrinted: a server that puts the token in
// redirect URLs (a loop), echoes it JSON-escaped in bodies and URL-encoded in
// headers: no output, journal or file ever holds it.
func TestTokenEchoedInEveryFormNeverPrinted(t *testing.T) {
	t.Parallel() // see TestMain
	jsonEscaped := ""
	for _, c := range []byte(hostileToken) {
		jsonEscaped += fmt.Sprintf(`\u%04x`, c)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Echo", url.QueryEscape(hostileToken))
		w.Header().Set("Content-Type", "application/json")
		switch {
		case strings.HasSuffix(r.URL.Path, "/message") || strings.HasSuffix(r.URL.Path, "/comment"):
			// Same origin, token in the query, forever.
			http.Redirect(w, r, r.URL.Path+"?token="+url.QueryEscape(hostileToken), http.StatusTemporaryRedirect)
		case r.URL.Path == "/v2/space/user":
			_, _ = io.WriteString(w, `{"items":[{"id":1,"firstName":"`+jsonEscaped+`","email":"a@example.com","role":"agent"}],"pagination":{}}`)
		default:
			w.WriteHeader(http.StatusBadRequest)
			_, _ = io.WriteString(w, `{"code":400,"message":"bad token `+jsonEscaped+` or `+url.QueryEscape(hostileToken)+`"}`)
		}
	}))
	defer srv.Close()
	h := newHostileRun(t, map[string]string{"RESPOND_API_BASE": srv.URL + "/v2", "RESPOND_TOKEN": hostileToken})
	for _, args := range [][]string{
		{"users", "list"}, {"users", "list", "-o", "json"}, {"users", "list", "--debug"},
		{"api", "GET", "/space/user"}, {"api", "GET", "/space/user", "-i", "--debug"},
		{"api", "GET", "/contact/id:1", "--debug"}, {"contacts", "show", "1"},
		{"send", "1", "2", "--text", "hi"}, {"comment", "1", "--text", "x", "--debug"},
	} {
		r := h.run(false, "", args...)
		if leaks(r.stdout + r.stderr) {
			t.Errorf("%q leaked the token:\n%s\n%s", args, r.stdout, r.stderr)
		}
	}
	if leaks(filesUnder(t, h.vars["HOME"])) {
		t.Error("a file (journal, cache, config) holds the token")
	}
}

// lockedBuffer is a stderr the net/http logger may write to after run returns.
type lockedBuffer = cmdtest.SyncBuffer

// TestUnsolicitedResponseLogIsScrubbed: a server that sends a second,
// unrequested answer (holding the token) on a keep-alive connection makes Go's
// transport log "Unsolicited response received on idle HTTP channel starting
// with …" through the standard logger; that line reaches stderr scrubbed.
// Not parallel: the standard logger is the process's, pointed at the stderr of whichever
// command started last (see TestMain).
func TestUnsolicitedResponseLogIsScrubbed(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer conn.Close()
				br := bufio.NewReader(conn)
				for {
					req, err := http.ReadRequest(br)
					if err != nil {
						return
					}
					_, _ = io.Copy(io.Discard, req.Body)
					body := `{"items":[],"pagination":{}}`
					extra := "HTTP/1.1 200 OK\r\nX-Token: " + hostileToken + "\r\n\r\n"
					// The answer and the unsolicited one in one write: the
					// client finds the second on its idle connection.
					_, _ = fmt.Fprintf(conn, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s%s", len(body), body, extra)
				}
			}()
		}
	}()
	ios, _, out, _ := output.Test()
	errOut := &lockedBuffer{}
	ios.ErrOut = errOut
	dir := t.TempDir()
	env := map[string]string{"HOME": dir, "XDG_CONFIG_HOME": filepath.Join(dir, "c"), "XDG_STATE_HOME": filepath.Join(dir, "s"), "XDG_CACHE_HOME": filepath.Join(dir, "k"),
		"RESPOND_API_BASE": "http://" + ln.Addr().String() + "/v2", "RESPOND_TOKEN": hostileToken}
	f := factory.NewWithDeps("test", factory.Deps{IOStreams: ios, Env: func(k string) (string, bool) { v, ok := env[k]; return v, ok }})
	code := commands.Main([]string{"api", "GET", "/space/user"}, f)
	deadline := time.Now().Add(3 * time.Second)
	for !strings.Contains(errOut.String(), "Unsolicited response") && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond) // the transport logs from its own goroutine; no signal to wait on
	}
	if code != cmdutil.ExitOK {
		t.Errorf("exit %d: %s", code, errOut.String())
	}
	if !strings.Contains(errOut.String(), "Unsolicited response") {
		t.Fatalf("net/http's log line did not reach respondctl's stderr (stderr %q)", errOut.String())
	}
	if leaks(out.String() + errOut.String()) {
		t.Errorf("the net/http log line leaked the token: %q", errOut.String())
	}
}

// TestSendAnsweredWithoutAnIDIsUnknownAndJournaled: a 2xx answer without a
// message id is never "sent message 0". The proxy swallows the send (the
// platform never gets it) and answers 2xx with body: the send is outcome
// unknown (exit 7 alone, exit 3 in a journaled run, journaled unknown). Where
// the build reconciles unknown sends (--reconcile-after), the lookup finds no
// message, sends again into the same proxy and still ends unknown.
func TestSendAnsweredWithoutAnIDIsUnknownAndJournaled(t *testing.T) {
	t.Parallel() // see TestMain
	srv := startSandbox(t)
	bodies := []string{`{}`, `null`, `{"messageId":0}`, `{"error":"queue full"}`}
	if testing.Short() {
		bodies = bodies[:2]
	}
	for _, body := range bodies {
		base := answerSends(t, srv.URL(), body, false)
		h := newHostileRun(t, map[string]string{"RESPOND_API_BASE": base, "RESPOND_TOKEN": srv.Token()})
		reconcile := reconcileFlag(h)
		r := h.run(false, "", append([]string{"send", "1", "--text", "hi"}, reconcile...)...)
		if r.code != cmdutil.ExitUnknown || !strings.Contains(r.stderr, "outcome unknown") {
			t.Errorf("answer %s: exit %d, want 7; stdout %q stderr %q", body, r.code, r.stdout, r.stderr)
		}
		journal := filepath.Join(h.vars["XDG_STATE_HOME"], "respondctl", "journals", "send.jsonl")
		r = h.run(false, "", append([]string{"send", "1", "--text", "hi", "--journal", journal}, reconcile...)...)
		if r.code != cmdutil.ExitPartial {
			t.Errorf("answer %s with a journal: exit %d, want 3; stdout %q stderr %q", body, r.code, r.stdout, r.stderr)
		}
		for _, out := range []string{r.stdout, r.stderr} {
			if strings.Contains(out, "message 0") {
				t.Errorf("answer %s reported as sent: %q", body, out)
			}
		}
		// The last record of the target settles it (a reconciling build journals each round).
		if outcomes := journaledOutcomes(t, journal); len(outcomes) == 0 || outcomes[len(outcomes)-1] != "unknown" {
			t.Errorf("answer %s journaled %v, want it to end unknown", body, outcomes)
		}
		r = h.run(false, "", "comment", "1", "--text", "note")
		if r.code != cmdutil.ExitUnknown {
			t.Errorf("comment answered %s: exit %d, want 7: %q", body, r.code, r.stderr)
		}
	}
	// Applied but answered {}: unknown, or (with reconciliation) found with its real id.
	base := answerSends(t, srv.URL(), `{}`, true)
	h := newHostileRun(t, map[string]string{"RESPOND_API_BASE": base, "RESPOND_TOKEN": srv.Token()})
	journal := filepath.Join(h.vars["XDG_STATE_HOME"], "respondctl", "journals", "applied.jsonl")
	r := h.run(false, "", append([]string{"send", "1", "--text", "applied", "--journal", journal}, reconcileFlag(h)...)...)
	outcomes := journaledOutcomes(t, journal)
	last := ""
	if len(outcomes) > 0 {
		last = outcomes[len(outcomes)-1]
	}
	switch {
	case strings.Contains(r.stdout+r.stderr, "message 0"):
		t.Errorf("reported as sent message 0: %q %q", r.stdout, r.stderr)
	case last == "unknown" && r.code == cmdutil.ExitPartial:
	case last == "done" && r.code == 0 && strings.Contains(r.stdout, "found on the platform"):
	default:
		t.Errorf("applied send answered {}: exit %d, journaled %v: %q %q", r.code, outcomes, r.stdout, r.stderr)
	}
}

// reconcileFlag shortens the reconciliation wait where the build has one.
func reconcileFlag(h *hostileRun) []string {
	if r := h.run(false, "", "send", "--help"); strings.Contains(r.stdout, "--reconcile-after") {
		return []string{"--reconcile-after", "1ms"}
	}
	return nil
}

// rateHeaders gives an answer made up by answerSends the sandbox's rate headers (those of
// resp, or the sandbox's advertised 500/s): without them the client would pace the sends
// the reconciliation makes again at the platform default of 5/s, which only costs time.
func rateHeaders(w http.ResponseWriter, resp *http.Response) {
	if resp != nil && resp.Header.Get("X-RateLimit-Limit") != "" {
		for _, k := range []string{"X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset"} {
			if v := resp.Header.Get(k); v != "" {
				w.Header().Set(k, v)
			}
		}
		return
	}
	w.Header().Set("X-RateLimit-Limit", "500")
	w.Header().Set("X-RateLimit-Remaining", "499")
}

// journaledOutcomes lists the outcomes of a journal's result records.
func journaledOutcomes(t *testing.T, path string) []string {
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("journal: %v", err)
	}
	var outcomes []string
	for _, line := range strings.Split(string(data), "\n") {
		var rec struct{ Kind, Outcome string }
		if json.Unmarshal([]byte(line), &rec) == nil && rec.Kind == "result" {
			outcomes = append(outcomes, rec.Outcome)
		}
	}
	return outcomes
}

// answerSends forwards to the sandbox and answers every send and comment with
// body; apply says whether the sandbox gets the send first.
func answerSends(t *testing.T, target, body string, apply bool) string {
	u, _ := url.Parse(target)
	client := &http.Client{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		isSend := r.Method == http.MethodPost && (strings.HasSuffix(r.URL.Path, "/message") || strings.HasSuffix(r.URL.Path, "/comment"))
		if isSend && !apply {
			_, _ = io.Copy(io.Discard, r.Body)
			rateHeaders(w, nil)
			w.Header().Set("Content-Type", "application/json")
			_, _ = io.WriteString(w, body)
			return
		}
		fwd, _ := http.NewRequest(r.Method, u.Scheme+"://"+u.Host+r.URL.RequestURI(), r.Body)
		fwd.Header = r.Header.Clone()
		resp, err := client.Do(fwd)
		if err != nil {
			w.WriteHeader(http.StatusBadGateway)
			return
		}
		defer resp.Body.Close()
		if isSend {
			_, _ = io.Copy(io.Discard, resp.Body)
			rateHeaders(w, resp)
			w.Header().Set("Content-Type", "application/json")
			_, _ = io.WriteString(w, body)
			return
		}
		for k, vs := range resp.Header {
			w.Header()[k] = vs
		}
		w.WriteHeader(resp.StatusCode)
		_, _ = io.Copy(w, resp.Body)
	}))
	t.Cleanup(srv.Close)
	return srv.URL + u.Path
}
