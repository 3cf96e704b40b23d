package e2e

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/respondctl/respondctl/internal/hostile"
)

// TestGigabyteResponseIsCappedWithBoundedMemory: a server streaming 1 GiB (no
// Content-Length) or announcing it gets a clear one-line error, and the
// process's peak RSS stays under 100 MiB.
func TestGigabyteResponseIsCappedWithBoundedMemory(t *testing.T) {
	t.Parallel() // own sandbox, HOME and child processes
	chunk := bytes.Repeat([]byte(`{"a":"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"},`), 1<<14)
	var sent sync.Map
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		if r.URL.Query().Get("announce") != "" {
			w.Header().Set("Content-Length", fmt.Sprint(1<<30))
			w.WriteHeader(200)
			return
		}
		n := 0
		_, _ = io.WriteString(w, `{"items":[`)
		for n < 1<<30 {
			k, err := w.Write(chunk)
			n += k
			if err != nil {
				break
			}
		}
		sent.Store(r.URL.Path, n)
	}))
	defer srv.Close()
	c := newCLI(t, srv.URL+"/v2", "tok-gigabyte-0123456789")
	for _, args := range [][]string{
		{"contacts", "show", "1"},
		{"api", "GET", "/space/user"},
		{"api", "GET", "/space/user?announce=1"},
	} {
		cmd := exec.Command(peakRSSPath, append([]string{binPath}, args...)...)
		cmd.Env = c.env()
		var out, errOut bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &errOut
		report, err := os.CreateTemp(t.TempDir(), "peak-rss")
		if err != nil {
			t.Fatal(err)
		}
		cmd.ExtraFiles = []*os.File{report} // fd 3: peakrss writes the child's peak RSS there
		t0 := time.Now()
		_ = cmd.Run()
		report.Close()
		data, err := os.ReadFile(report.Name())
		if err != nil {
			t.Fatal(err)
		}
		rss, err := strconv.ParseInt(strings.TrimSpace(string(data)), 10, 64)
		if err != nil || rss <= 0 {
			t.Fatalf("%q: peakrss reported %q: %v", args, data, err)
		}
		t.Logf("%q: exit %d in %s, peak RSS %.1f MiB: %s", args, cmd.ProcessState.ExitCode(), time.Since(t0).Round(time.Millisecond), float64(rss)/(1<<20), strings.TrimSpace(errOut.String()))
		if cmd.ProcessState.ExitCode() != 1 || !strings.HasPrefix(errOut.String(), "error: response from "+srv.URL+" too large: ") || strings.Count(errOut.String(), "\n") != 1 {
			t.Errorf("%q: exit %d, stderr %q", args, cmd.ProcessState.ExitCode(), errOut.String())
		}
		if rss > 100<<20 {
			t.Errorf("%q: peak RSS %d MiB, want under 100 MiB", args, rss>>20)
		}
	}
}

// TestConcurrentConfigSetKeepsEveryValue: ten processes setting ten profiles
// at once; all ten values survive (each write re-reads under a lock).
func TestConcurrentConfigSetKeepsEveryValue(t *testing.T) {
	t.Parallel() // own sandbox, HOME and child processes
	c := newCLI(t, "", "")
	var wg sync.WaitGroup
	codes := make([]int, 10)
	for i := range 10 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			cmd := exec.Command(binPath, "--profile", fmt.Sprintf("p%d", i), "config", "set", "me", fmt.Sprintf("user%d@example.com", i))
			cmd.Env = c.env()
			_ = cmd.Run()
			codes[i] = cmd.ProcessState.ExitCode()
		}()
	}
	wg.Wait()
	for i := range 10 {
		r := c.run(10*time.Second, "", "--profile", fmt.Sprintf("p%d", i), "config", "get", "me")
		if codes[i] != 0 {
			t.Errorf("config set #%d exited %d", i, codes[i])
		}
		if strings.TrimSpace(r.Stdout) != fmt.Sprintf("user%d@example.com", i) {
			t.Errorf("value %d lost: %s", i, r)
		}
	}
}

// TestHostileTextOnARealTerminal: customer text full of escape sequences,
// shown by the detail views on a pseudo-terminal, reaches it only as visible
// escapes (colours of respondctl's own are allowed).
func TestHostileTextOnARealTerminal(t *testing.T) {
	t.Parallel() // own sandbox, HOME and child processes
	srv := demoSandbox(t)
	base := hostile.PoisonProxy(t, srv.URL())
	c := newCLI(t, base, srv.Token())
	c.extra = append(c.extra, "RESPOND_PAGER=cat")
	c.run(10*time.Second, "", "config", "set", "me", "lee@example.com")
	for _, args := range [][]string{
		{"contacts", "show", "1"},
		{"conversation", "show", "1", "--details"},
		{"contacts", "list"},
		{"contacts", "list", "--jq", ".[].firstName"},
		{"auth", "status"},
	} {
		r := c.startTTY(true, args...)
		code := r.wait(t, 20*time.Second)
		screen := r.tty.String()
		if code != 0 {
			t.Errorf("%q: exit %d: %q", args, code, screen)
		}
		if bad := hostile.Unsafe(screen, true); bad != "" {
			t.Errorf("%q: raw %s reached the terminal:\n%.600q", args, bad, screen)
		}
		if !strings.Contains(screen, hostile.Shown) {
			t.Errorf("%q: the hostile text is not shown escaped:\n%.600q", args, screen)
		}
	}
}
