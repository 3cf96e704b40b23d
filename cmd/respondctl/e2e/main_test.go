// Package e2e pushes garbage, faults, crashes and terminals through the real respondctl
// binary: it is built once per test run (TestMain, `go build` into a temp dir) and driven as a
// user's shell would, against in-process sandboxes and hostile HTTP servers on 127.0.0.1.
//
// `go test -short ./e2e/` is the CI size; without -short the heavy cases run at full size
// (see docs/testing.md).
package e2e

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/respondctl/respondctl/internal/testparallel"
)

// binPath is the respondctl binary under test.
var binPath string

// peakRSSPath is commands/cmdtest/peakrss, built beside binPath: a child's peak RSS is
// measured through it, because Go starts children with vfork and Linux then records this
// (large, parallel) test process's high-water mark into the child's own (see peakrss).
var peakRSSPath string

func TestMain(m *testing.M) {
	// The parallel cases (garbage answers, fault mixes) spend their time waiting on timeouts,
	// backoffs and retries of the binary, not on the CPU: run more of them at once than the
	// default -parallel (GOMAXPROCS, 2 on the CI machine). An explicit -parallel wins.
	testparallel.Default(8)
	dir, err := os.MkdirTemp("", "respondctl-e2e-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	binPath = filepath.Join(dir, "respondctl")
	peakRSSPath = filepath.Join(dir, "peakrss")
	// One go build for both: the binary, and the probe that measures its peak RSS.
	build := exec.Command("go", "build", "-o", dir, "github.com/respondctl/respondctl/cmd/respondctl",
		"github.com/respondctl/respondctl/commands/cmdtest/peakrss")
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "building respondctl:", err)
		os.RemoveAll(dir)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// cli is an isolated respondctl environment: its own config and state directories,
// pointed at one server.
type cli struct {
	t     testing.TB
	home  string
	api   string
	token string
	extra []string // more KEY=VALUE environment entries
}

func newCLI(t testing.TB, api, token string) *cli {
	return &cli{t: t, home: t.TempDir(), api: api, token: token}
}

func (c *cli) env() []string {
	env := []string{
		"HOME=" + c.home,
		"XDG_CONFIG_HOME=" + filepath.Join(c.home, "config"),
		"XDG_STATE_HOME=" + filepath.Join(c.home, "state"),
		"XDG_CACHE_HOME=" + filepath.Join(c.home, "cache"),
		"PATH=" + os.Getenv("PATH"),
		"TERM=xterm-256color",
	}
	if c.api != "" {
		env = append(env, "RESPOND_API_BASE="+c.api, "RESPOND_TOKEN="+c.token)
	}
	return append(env, c.extra...)
}

// result is what one run of the binary produced.
type result struct {
	Stdout, Stderr string
	Code           int
	Wall           time.Duration
}

func (r result) String() string {
	return fmt.Sprintf("exit %d after %s\n--- stdout\n%s--- stderr\n%s", r.Code, r.Wall.Round(time.Millisecond), r.Stdout, r.Stderr)
}

// run executes the binary with stdin (empty: /dev/null) and fails the test if it does not
// finish within limit.
func (c *cli) run(limit time.Duration, stdin string, args ...string) result {
	c.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), limit)
	defer cancel()
	cmd := exec.CommandContext(ctx, binPath, args...)
	cmd.Env = c.env()
	cmd.Stdin = strings.NewReader(stdin)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	t0 := time.Now()
	err := cmd.Run()
	r := result{Stdout: out.String(), Stderr: errOut.String(), Wall: time.Since(t0)}
	if ctx.Err() != nil {
		c.t.Fatalf("respondctl %s did not finish within %s\n%s", strings.Join(args, " "), limit, r)
	}
	if cmd.ProcessState != nil {
		r.Code = cmd.ProcessState.ExitCode()
	} else if err != nil {
		c.t.Fatalf("running respondctl: %v", err)
	}
	return r
}

// start launches the binary in the background; the caller waits or kills it.
func (c *cli) start(args ...string) (*exec.Cmd, *bytes.Buffer, *bytes.Buffer) {
	c.t.Helper()
	cmd := exec.Command(binPath, args...)
	cmd.Env = c.env()
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	if err := cmd.Start(); err != nil {
		c.t.Fatal(err)
	}
	c.t.Cleanup(func() {
		if cmd.ProcessState == nil {
			_ = cmd.Process.Kill()
			_ = cmd.Wait()
		}
	})
	return cmd, &out, &errOut
}

// writeFile writes content to a new file in the test's temp dir.
func writeFile(t testing.TB, name, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func idLines(from, to int) string {
	var b strings.Builder
	for i := from; i <= to; i++ {
		fmt.Fprintf(&b, "%d\n", i)
	}
	return b.String()
}

func lastLine(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return lines[len(lines)-1]
}

// assertCleanFailure checks the shape every failure must have: a non-zero exit, one
// "error: …" line on stderr, no Go panic or stack trace, and the token nowhere.
func assertCleanFailure(t *testing.T, r result, token string) {
	t.Helper()
	assertFailureShape(t, r, token)
	errLines := 0
	for _, line := range strings.Split(r.Stderr, "\n") {
		if strings.HasPrefix(line, "error: ") {
			errLines++
		}
	}
	if errLines != 1 {
		t.Fatalf("want exactly one error line on stderr, got %d\n%s", errLines, r)
	}
}

// assertFailureShape is assertCleanFailure for commands that report several errors (views
// prints one line per view it could not count): something on stderr, nothing alarming.
func assertFailureShape(t *testing.T, r result, token string) {
	t.Helper()
	if r.Code == 0 {
		t.Fatalf("want a failure, got success\n%s", r)
	}
	all := r.Stdout + r.Stderr
	for _, bad := range []string{"panic:", "goroutine ", "runtime error", "\t/"} {
		if strings.Contains(all, bad) {
			t.Fatalf("output contains %q\n%s", bad, r)
		}
	}
	if token != "" && strings.Contains(all, token) {
		t.Fatalf("token leaked in output\n%s", r)
	}
	if strings.TrimSpace(r.Stderr) == "" {
		t.Fatalf("a failure with nothing on stderr\n%s", r)
	}
}
