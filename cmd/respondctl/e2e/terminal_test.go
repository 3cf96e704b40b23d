package e2e

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/creack/pty"
	"github.com/respondctl/respondctl/sandbox"
)

// screen collects what a pseudo-terminal shows.
type screen = lockedBuffer

// waitFor polls the screen until it contains want (terminal output has no other signal).
func (s *screen) waitFor(t *testing.T, want string, limit time.Duration) bool {
	t.Helper()
	deadline := time.Now().Add(limit)
	for time.Now().Before(deadline) {
		if strings.Contains(s.String(), want) {
			return true
		}
		time.Sleep(20 * time.Millisecond)
	}
	return false
}

// ttyRun is one process with some of its streams on a pseudo-terminal.
type ttyRun struct {
	cmd    *exec.Cmd
	tty    *screen // what the terminal shows (stdout and/or stderr, whichever are on it)
	stdout *screen // a locked buffer: tests read it while the process writes
	ptmx   *os.File
	done   chan struct{}
}

// startTTY starts the binary with stderr on a 120×40 pseudo-terminal and stdout on the
// terminal too (stdoutTTY) or on a pipe.
func (c *cli) startTTY(stdoutTTY bool, args ...string) *ttyRun {
	c.t.Helper()
	return c.startTTYCols(stdoutTTY, 120, args...)
}

// startTTYCols is startTTY on a terminal cols columns wide.
func (c *cli) startTTYCols(stdoutTTY bool, cols uint16, args ...string) *ttyRun {
	c.t.Helper()
	ptmx, tty, err := pty.Open()
	if err != nil {
		c.t.Skipf("no pseudo-terminal available: %v", err)
	}
	_ = pty.Setsize(ptmx, &pty.Winsize{Rows: 40, Cols: cols})
	cmd := exec.Command(binPath, args...)
	cmd.Env = c.env()
	cmd.Stdin, cmd.Stderr = tty, tty
	r := &ttyRun{cmd: cmd, tty: &screen{}, stdout: &screen{}, ptmx: ptmx, done: make(chan struct{})}
	if stdoutTTY {
		cmd.Stdout = tty
	} else {
		cmd.Stdout = r.stdout
	}
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true, Setctty: true}
	if err := cmd.Start(); err != nil {
		c.t.Fatal(err)
	}
	tty.Close()
	go func() {
		_, _ = io.Copy(r.tty, ptmx) // ends with EIO once the child is gone
		close(r.done)
	}()
	c.t.Cleanup(func() {
		if cmd.ProcessState == nil {
			_ = cmd.Process.Kill()
			_ = cmd.Wait()
		}
		ptmx.Close()
	})
	return r
}

// wait waits for the process and the last of its terminal output.
func (r *ttyRun) wait(t *testing.T, limit time.Duration) int {
	t.Helper()
	exited := make(chan struct{})
	go func() { _ = r.cmd.Wait(); close(exited) }()
	select {
	case <-exited:
	case <-time.After(limit):
		_ = r.cmd.Process.Kill()
		<-exited
		t.Fatalf("did not exit within %s; terminal:\n%q", limit, r.tty.String())
	}
	select {
	case <-r.done:
	case <-time.After(2 * time.Second):
	}
	return r.cmd.ProcessState.ExitCode()
}

const esc = "\x1b["

func demoSandbox(t *testing.T) *sandbox.Server {
	return startSandbox(t, sandbox.Options{Seed: "demo", Rate: 1000})
}

// On a terminal `views` is coloured (the dots); NO_COLOR and --no-color turn colour off.
func TestTerminalColours(t *testing.T) {
	t.Parallel() // waits on the binary and the terminal, not the CPU (see TestMain)
	srv := demoSandbox(t)
	for _, tc := range []struct {
		name   string
		env    []string
		args   []string
		colour bool
	}{
		{"terminal", nil, nil, true},
		{"NO_COLOR", []string{"NO_COLOR=1"}, nil, false},
		{"--no-color", nil, []string{"--no-color"}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := newCLI(t, srv.URL(), srv.Token())
			c.extra = append(tc.env, "RESPOND_PAGER=cat")
			c.run(10*time.Second, "", "config", "set", "me", "lee@example.com")
			r := c.startTTY(true, append([]string{"views"}, tc.args...)...)
			if code := r.wait(t, 20*time.Second); code != 0 {
				t.Fatalf("exit %d\n%q", code, r.tty.String())
			}
			out := r.tty.String()
			if !strings.Contains(out, "Unassigned") {
				t.Fatalf("views table missing on the terminal:\n%q", out)
			}
			if got := strings.Contains(out, esc); got != tc.colour {
				t.Fatalf("colour escapes present = %v, want %v:\n%q", got, tc.colour, out)
			}
		})
	}
}

// Piped, stdout carries data only — tab-separated, no escapes — even when stderr is a terminal
// and a bulk run draws its progress bar there.
func TestPipedStdoutIsDataOnly(t *testing.T) {
	t.Parallel() // waits on the binary and the terminal, not the CPU (see TestMain)
	srv := demoSandbox(t)
	c := newCLI(t, srv.URL(), srv.Token())
	c.extra = []string{"CLICOLOR_FORCE=0"}
	c.run(10*time.Second, "", "config", "set", "me", "lee@example.com")

	t.Run("views", func(t *testing.T) {
		r := c.startTTY(false, "views")
		if code := r.wait(t, 20*time.Second); code != 0 {
			t.Fatalf("exit %d\n%q", code, r.tty.String())
		}
		out := r.stdout.String()
		if strings.Contains(out, esc) || !strings.Contains(out, "\t") {
			t.Fatalf("piped views should be tab-separated without escapes:\n%q", out)
		}
	})

	t.Run("bulk progress on stderr only", func(t *testing.T) {
		input := writeFile(t, "ids.txt", idLines(100, 160))
		// A low rate keeps the run long enough for the bar to draw.
		slow := startSandbox(t, sandbox.Options{Seed: "demo", Rate: 30})
		sc := newCLI(t, slow.URL(), slow.Token())
		r := sc.startTTY(false, "-o", "jsonl", "assign", "--input", input, "--to", "nadia@example.com")
		if code := r.wait(t, 60*time.Second); code != 0 {
			t.Fatalf("exit %d\n%q", code, r.tty.String())
		}
		lines := strings.Split(strings.TrimSpace(r.stdout.String()), "\n")
		if len(lines) != 61 {
			t.Fatalf("want 61 result lines on stdout, got %d:\n%s", len(lines), r.stdout)
		}
		for _, line := range lines {
			if !json.Valid([]byte(line)) {
				t.Fatalf("stdout line is not JSON (progress leaked?): %q", line)
			}
		}
		term := r.tty.String()
		if !strings.Contains(term, "61") || !strings.Contains(term, "\r") {
			t.Fatalf("no progress bar drawn on the terminal's stderr:\n%q", term)
		}
	})
}

// Long output on a terminal goes through RESPOND_PAGER: the pager receives the table (it copies
// its input to a file); piped, it never runs; a pager that quits early is quiet (exit 0).
func TestPager(t *testing.T) {
	t.Parallel() // waits on the binary and the terminal, not the CPU (see TestMain)
	srv := demoSandbox(t)
	c := newCLI(t, srv.URL(), srv.Token())
	got := filepath.Join(t.TempDir(), "pager-input")
	pager := writeFile(t, "pager.sh", "#!/bin/sh\ncat > '"+got+"'\necho PAGER-DONE\n")
	if err := os.Chmod(pager, 0o755); err != nil {
		t.Fatal(err)
	}
	c.extra = []string{"RESPOND_PAGER=" + pager}
	args := []string{"contacts", "list", "--status", "all", "-L", "200"}

	r := c.startTTY(false, args...)
	if code := r.wait(t, 20*time.Second); code != 0 {
		t.Fatalf("exit %d\n%q", code, r.tty.String())
	}
	if _, err := os.Stat(got); err == nil {
		t.Fatalf("the pager ran with stdout piped")
	}

	r = c.startTTY(true, args...)
	if code := r.wait(t, 20*time.Second); code != 0 {
		t.Fatalf("exit %d\n%q", code, r.tty.String())
	}
	paged, err := os.ReadFile(got)
	if err != nil {
		t.Fatalf("200 contacts on a terminal did not go through RESPOND_PAGER: %v\n%q", err, r.tty.String())
	}
	if lines := strings.Count(string(paged), "\n"); lines != 201 || !strings.Contains(string(paged), "Aisha Rahman") {
		t.Fatalf("the pager received %d lines, want the header and 200 contacts:\n%s", lines, paged)
	}
	term := r.tty.String()
	if strings.Contains(term, "Aisha Rahman") || !strings.Contains(term, "PAGER-DONE") {
		t.Fatalf("the table went to the terminal past the pager:\n%q", term)
	}

	t.Run("PAGER when RESPOND_PAGER is unset", func(t *testing.T) {
		os.Remove(got)
		c.extra = []string{"PAGER=" + pager}
		r := c.startTTY(true, args...)
		if code := r.wait(t, 20*time.Second); code != 0 {
			t.Fatalf("exit %d\n%q", code, r.tty.String())
		}
		if _, err := os.Stat(got); err != nil {
			t.Fatalf("PAGER was not used: %v", err)
		}
	})

	t.Run("quitting early is quiet", func(t *testing.T) {
		early := writeFile(t, "early.sh", "#!/bin/sh\nhead -c 10 >/dev/null\n")
		if err := os.Chmod(early, 0o755); err != nil {
			t.Fatal(err)
		}
		// 3,000 messages: far more than a pipe buffers, so the writes after the quit fail.
		long := startSandbox(t, sandbox.Options{Seed: "demo,conversation:3000", Rate: 1000})
		c := newCLI(t, long.URL(), long.Token())
		c.extra = []string{"RESPOND_PAGER=" + early}
		r := c.startTTY(true, "conversation", "show", "1", "--all")
		code := r.wait(t, 20*time.Second)
		if code != 0 || strings.Contains(r.tty.String(), "error") {
			t.Fatalf("quitting the pager early: exit %d\n%q", code, r.tty.String())
		}
	})
}

// `views --watch` redraws in place on a terminal and stops cleanly on Ctrl-C; piped, it prints
// one JSON line per view whose count changed.
func TestViewsWatch(t *testing.T) {
	t.Parallel() // waits on the binary and the terminal, not the CPU (see TestMain)
	srv := demoSandbox(t)
	c := newCLI(t, srv.URL(), srv.Token())
	c.run(10*time.Second, "", "config", "set", "me", "lee@example.com")

	t.Run("terminal", func(t *testing.T) {
		r := c.startTTY(true, "views", "--watch=1s")
		if !r.tty.waitFor(t, "Unassigned", 15*time.Second) {
			t.Fatalf("first frame never drawn:\n%q", r.tty.String())
		}
		// The second frame moves the cursor up over the first and clears below it.
		if !r.tty.waitFor(t, esc+"J", 10*time.Second) {
			t.Fatalf("no in-place redraw after the interval:\n%q", r.tty.String())
		}
		_ = r.cmd.Process.Signal(os.Interrupt)
		code := r.wait(t, 10*time.Second)
		if code != 130 {
			t.Fatalf("Ctrl-C during --watch: exit %d, want 130\n%q", code, r.tty.String())
		}
	})

	t.Run("piped", func(t *testing.T) {
		r := c.startTTY(false, "views", "--watch=1s")
		deadline := time.Now().Add(15 * time.Second)
		for !strings.Contains(r.stdoutSnapshot(), "\n") && time.Now().Before(deadline) {
			time.Sleep(20 * time.Millisecond)
		}
		firstLines := strings.Count(r.stdoutSnapshot(), "\n")
		if firstLines == 0 {
			t.Fatalf("no JSON lines on stdout; terminal:\n%q", r.tty.String())
		}
		// A message from a contact whose conversation is closed reopens it: "All" grows.
		closed := c.run(10*time.Second, "", "contacts", "list", "--status", "close", "-L", "1", "-o", "json", "--jq", ".[0].id")
		var id int
		if _, err := fmt.Sscan(closed.Stdout, &id); err != nil {
			t.Fatalf("finding a closed conversation: %v\n%s", err, closed)
		}
		simulateIncoming(t, srv, id)
		deadline = time.Now().Add(10 * time.Second)
		for strings.Count(r.stdoutSnapshot(), "\n") == firstLines && time.Now().Before(deadline) {
			time.Sleep(50 * time.Millisecond)
		}
		_ = r.cmd.Process.Signal(os.Interrupt)
		r.wait(t, 10*time.Second)
		out := r.stdoutSnapshot()
		if strings.Count(out, "\n") == firstLines {
			t.Fatalf("no line for the change after an incoming message:\n%s", out)
		}
		for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
			if !json.Valid([]byte(line)) {
				t.Fatalf("piped --watch printed a non-JSON line: %q", line)
			}
		}
	})
}

// stdoutSnapshot reads the piped stdout while the process may still write it.
func (r *ttyRun) stdoutSnapshot() string { return r.stdout.String() }

// simulateIncoming makes contact id write in, through the sandbox-only endpoint.
func simulateIncoming(t *testing.T, srv *sandbox.Server, id int) {
	t.Helper()
	body := fmt.Sprintf(`{"contactId":%d,"message":{"type":"text","text":"Is my order on its way?"}}`, id)
	req, _ := http.NewRequest(http.MethodPost, srv.URL()+"/sandbox/simulate/incoming", strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+srv.Token())
	req.Header.Set("Content-Type", "application/json")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Fatalf("simulate incoming: HTTP %d", res.StatusCode)
	}
}
