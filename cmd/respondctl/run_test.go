package main

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/respondctl/respondctl/commands"
	"github.com/respondctl/respondctl/commands/cmdtest"
	"github.com/respondctl/respondctl/commands/cmdutil"
	"github.com/respondctl/respondctl/commands/factory"
	"github.com/respondctl/respondctl/output"
	"github.com/respondctl/respondctl/sandbox"
)

type runResult struct {
	code   int
	stdout string
	stderr string
}

func runWith(t *testing.T, env map[string]string, args ...string) runResult {
	t.Helper()
	dir := t.TempDir()
	vars := map[string]string{"HOME": dir, "XDG_CONFIG_HOME": filepath.Join(dir, "c"), "XDG_STATE_HOME": filepath.Join(dir, "s"), "XDG_CACHE_HOME": filepath.Join(dir, "k")}
	for k, v := range env {
		vars[k] = v
	}
	ios, _, out, errOut := output.Test()
	f := factory.NewWithDeps("test", factory.Deps{IOStreams: ios, Env: func(k string) (string, bool) { v, ok := vars[k]; return v, ok }})
	code := commands.Main(args, f)
	return runResult{code: code, stdout: out.String(), stderr: errOut.String()}
}

func startSandbox(t *testing.T) *sandbox.Server {
	t.Helper()
	return cmdtest.Start(t, sandbox.Options{Rate: 500}).Server
}

func assertOneLineError(t *testing.T, r runResult) {
	t.Helper()
	lines := strings.Split(strings.TrimRight(r.stderr, "\n"), "\n")
	if !strings.HasPrefix(lines[0], "error: ") {
		t.Errorf("stderr does not start with 'error: ': %q", r.stderr)
	}
	if len(lines) > 2 || (len(lines) == 2 && !strings.HasPrefix(lines[1], "Run '")) {
		t.Errorf("more than one error line: %q", r.stderr)
	}
	if strings.Contains(r.stderr, "goroutine") || strings.Contains(r.stderr, ".go:") {
		t.Errorf("stack trace in stderr: %q", r.stderr)
	}
}

func TestRunExitCodesAndOneLineErrors(t *testing.T) {
	t.Parallel() // see TestMain
	srv := startSandbox(t)
	api := map[string]string{"RESPOND_API_BASE": srv.URL(), "RESPOND_TOKEN": srv.Token()}
	cases := []struct {
		name string
		env  map[string]string
		args []string
		code int
	}{
		{"unknown command", nil, []string{"nope"}, cmdutil.ExitUsage},
		{"bad flag", nil, []string{"--nope"}, cmdutil.ExitUsage},
		{"bad output", api, []string{"api", "GET", "/space/user", "-o", "xml"}, cmdutil.ExitUsage},
		{"no token", map[string]string{"RESPOND_API_BASE": srv.URL()}, []string{"api", "GET", "/space/user"}, cmdutil.ExitAuth},
		{"wrong token", map[string]string{"RESPOND_API_BASE": srv.URL(), "RESPOND_TOKEN": "wrong-1234567890"}, []string{"api", "GET", "/space/user"}, cmdutil.ExitAuth},
		{"not found", api, []string{"api", "GET", "/contact/id:999999"}, cmdutil.ExitNotFound},
		{"unreachable", map[string]string{"RESPOND_API_BASE": "http://127.0.0.1:1/v2", "RESPOND_TOKEN": "t-1234567890"}, []string{"api", "GET", "/space/user", "--timeout", "2s"}, cmdutil.ExitError},
		{"http to a remote host", map[string]string{"RESPOND_TOKEN": "t-1234567890"}, []string{"api", "GET", "/space/user", "--api-base", "http://example.com/v2"}, cmdutil.ExitUsage},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			r := runWith(t, tc.env, tc.args...)
			if r.code != tc.code {
				t.Fatalf("exit %d, want %d; stderr %q", r.code, tc.code, r.stderr)
			}
			assertOneLineError(t, r)
		})
	}
}

// TestTokenNeverInOutputs greps every output of debug runs for the token.
func TestTokenNeverInOutputs(t *testing.T) {
	t.Parallel() // see TestMain
	srv := startSandbox(t)
	tok := srv.Token()
	env := map[string]string{"RESPOND_API_BASE": srv.URL(), "RESPOND_TOKEN": tok}
	for _, args := range [][]string{
		{"api", "GET", "/space/user", "--debug"},
		{"api", "GET", "/space/user", "--paginate", "-f", "limit=2", "--debug", "-o", "jsonl"},
		{"api", "GET", "/contact/id:999999", "--debug"},
		{"api", "POST", "/contact/id:1/comment", "-f", "text=hello", "--debug"},
		{"auth", "status", "--debug"},
		{"auth", "status", "-o", "json"},
		{"config", "list", "-o", "yaml"},
	} {
		r := runWith(t, env, args...)
		if strings.Contains(r.stdout, tok) || strings.Contains(r.stderr, tok) {
			t.Errorf("%v leaked the token:\nstdout: %s\nstderr: %s", args, r.stdout, r.stderr)
		}
		if args[len(args)-1] == "--debug" && !strings.Contains(r.stderr, "GET") && !strings.Contains(r.stderr, "POST") {
			t.Errorf("%v: no debug trace on stderr: %q", args, r.stderr)
		}
	}
}
