package main

import (
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/respondctl/respondctl/commands"
	"github.com/respondctl/respondctl/commands/cmdutil"
	"github.com/respondctl/respondctl/commands/factory"
	"github.com/respondctl/respondctl/output"
)

// session runs several command lines against one home directory, as one user would.
type session struct {
	t    *testing.T
	vars map[string]string
}

func newSession(t *testing.T, env map[string]string) *session {
	dir := t.TempDir()
	vars := map[string]string{"HOME": dir, "XDG_CONFIG_HOME": filepath.Join(dir, "c"), "XDG_STATE_HOME": filepath.Join(dir, "s"), "XDG_CACHE_HOME": filepath.Join(dir, "k")}
	for k, v := range env {
		vars[k] = v
	}
	return &session{t: t, vars: vars}
}

func (s *session) run(stdin string, args ...string) runResult {
	s.t.Helper()
	ios, in, out, errOut := output.Test()
	in.WriteString(stdin)
	f := factory.NewWithDeps("test", factory.Deps{IOStreams: ios, Env: func(k string) (string, bool) { v, ok := s.vars[k]; return v, ok }})
	code := commands.Main(args, f)
	return runResult{code: code, stdout: out.String(), stderr: errOut.String()}
}

// TestTokenNeverInLoginFlowOutputs logs in with a token from stdin under
// --debug and greps every byte the CLI wrote, plus the config commands that
// show a profile, for the token.
func TestTokenNeverInLoginFlowOutputs(t *testing.T) {
	t.Parallel() // see TestMain
	srv := startSandbox(t)
	tok := srv.Token()
	s := newSession(t, map[string]string{"RESPOND_API_BASE": srv.URL()})
	steps := []struct {
		stdin string
		args  []string
		code  int
	}{
		{"not-the-token-" + tok[:4] + "\n", []string{"auth", "login", "--with-token", "--debug"}, cmdutil.ExitAuth},
		{tok + "\n", []string{"auth", "login", "--with-token", "--user", "nosuch@example.com", "--debug"}, cmdutil.ExitNotFound},
		{tok + "\n", []string{"auth", "login", "--with-token", "--user", "lee@example.com", "--debug"}, cmdutil.ExitOK},
		{"", []string{"auth", "status", "--debug"}, cmdutil.ExitOK},
		{"", []string{"auth", "status", "-o", "yaml"}, cmdutil.ExitOK},
		{"", []string{"config", "get", "token"}, cmdutil.ExitOK},
		{"", []string{"config", "list", "-o", "json"}, cmdutil.ExitOK},
		{"", []string{"config", "list"}, cmdutil.ExitOK},
		{"", []string{"api", "POST", "/contact/id:1/comment", "-f", "text=" + "hello", "--debug"}, cmdutil.ExitOK},
		{"", []string{"users", "list", "--debug", "-o", "jsonl"}, cmdutil.ExitOK},
		{"", []string{"config", "set", "token", tok}, cmdutil.ExitOK},
		{"", []string{"auth", "logout"}, cmdutil.ExitOK},
	}
	for _, st := range steps {
		r := s.run(st.stdin, st.args...)
		if r.code != st.code {
			t.Errorf("%v: exit %d, want %d; stderr %q", st.args, r.code, st.code, r.stderr)
		}
		if strings.Contains(r.stdout, tok) || strings.Contains(r.stderr, tok) {
			t.Errorf("%v leaked the token:\nstdout: %s\nstderr: %s", st.args, r.stdout, r.stderr)
		}
		if st.args[len(st.args)-1] == "--debug" && !strings.Contains(r.stderr, "Authorization: Bearer REDACTED") {
			t.Errorf("%v: no redacted trace on stderr: %q", st.args, r.stderr)
		}
	}
}

// TestServerEchoingTheTokenIsRedacted: a server (or proxy) that echoes the
// request into its error body or headers must not leak the token through the
// error line, the api command's body on stdout, or the debug trace.
func TestServerEchoingTheTokenIsRedacted(t *testing.T) {
	t.Parallel() // see TestMain
	const tok = "tok-echo-SECRET-0123456789"
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Echo", r.Header.Get("Authorization"))
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusBadRequest)
		_, _ = io.WriteString(w, `{"code":400,"message":"bad header `+r.Header.Get("Authorization")+`"}`)
	}))
	defer srv.Close()
	env := map[string]string{"RESPOND_API_BASE": srv.URL + "/v2", "RESPOND_TOKEN": tok}
	for _, args := range [][]string{
		{"users", "list", "--debug"},
		{"api", "GET", "/space/user", "--debug"},
		{"api", "GET", "/space/user", "-i"},
	} {
		r := runWith(t, env, args...)
		if r.code != cmdutil.ExitError {
			t.Errorf("%v: exit %d, want 1; stderr %q", args, r.code, r.stderr)
		}
		if strings.Contains(r.stdout+r.stderr, tok) {
			t.Errorf("%v leaked the token:\nstdout: %s\nstderr: %s", args, r.stdout, r.stderr)
		}
	}
}

// TestInterruptedSendSaysOutcomeUnknown: Ctrl-C while a POST is in flight
// exits 130 and still tells the user the request may have been applied.
// Not parallel: the SIGINT reaches every command running in the process (see TestMain).
func TestInterruptedSendSaysOutcomeUnknown(t *testing.T) {
	arrived := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		close(arrived)
		// The request reached us: now the user presses Ctrl-C. run() has
		// its signal handler installed, so the test process is not killed.
		_ = syscall.Kill(os.Getpid(), syscall.SIGINT)
		<-r.Context().Done()
	}))
	defer srv.Close()
	env := map[string]string{"RESPOND_API_BASE": srv.URL + "/v2", "RESPOND_TOKEN": "tok-1234567890"}
	r := runWith(t, env, "api", "POST", "/contact/id:1/comment", "-f", "text=hi")
	<-arrived
	if r.code != cmdutil.ExitInterrupted {
		t.Fatalf("exit %d, want 130; stderr %q", r.code, r.stderr)
	}
	if !strings.Contains(r.stderr, "interrupted") || !strings.Contains(r.stderr, "outcome unknown: POST /contact/id:1/comment may or may not have been applied") {
		t.Errorf("stderr = %q", r.stderr)
	}
}
