//go:build unix

package cmdtest

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/respondctl/respondctl/sandbox"
)

// BenchRate is the budget the benchmark sandboxes advertise (X-RateLimit-Limit): the client
// adopts it after the first response per endpoint, so benchmarks measure the CLI and the
// server rather than the default 5 requests/s pacing.
const BenchRate = 100_000

// EnvInt reads a positive integer from the environment (benchmark sizes), or def.
func EnvInt(name string, def int) int {
	if v, err := strconv.Atoi(os.Getenv(name)); err == nil && v > 0 {
		return v
	}
	return def
}

// StartConversation starts a sandbox (in memory, rate BenchRate) whose contact 1 (AishaID)
// has exactly `messages` messages: the documented seed option "large:200,conversation:M",
// about 1 s for 100,000 messages.
func StartConversation(tb testing.TB, messages int) *Env {
	tb.Helper()
	return Start(tb, sandbox.Options{Seed: fmt.Sprintf("large:200,conversation:%d", messages), Rate: BenchRate})
}

// BuildBinary builds cmd/respondctl once into dir, for measuring a real process (its peak
// RSS), and next to it the peakrss probe that Child runs it through. The benchmark is
// skipped when the module does not build (another package mid-edit).
func BuildBinary(tb testing.TB, dir string) string {
	tb.Helper()
	bin := filepath.Join(dir, "respondctl")
	gobin := filepath.Join(runtime.GOROOT(), "bin", "go")
	for pkg, out := range map[string]string{"cmd/respondctl": bin, "commands/cmdtest/peakrss": probePath(bin)} {
		msg, err := exec.Command(gobin, "build", "-o", out, "github.com/respondctl/respondctl/"+pkg).CombinedOutput()
		if err != nil {
			tb.Skipf("cannot build %s: %v\n%s", pkg, err, msg)
		}
	}
	return bin
}

// probePath is where BuildBinary puts peakrss for bin.
func probePath(bin string) string { return filepath.Join(filepath.Dir(bin), "peakrss") }

// ChildRun is one run of the binary: wall time and peak resident memory.
type ChildRun struct {
	Wall   time.Duration
	MaxRSS int64 // bytes
}

// Child runs the built binary against a sandbox, with its own HOME (configuration).
type Child struct {
	tb  testing.TB
	bin string
	env []string
}

// NewChild prepares runs of bin (built by BuildBinary) against srv.
func NewChild(tb testing.TB, bin string, srv *Env) *Child {
	home := tb.TempDir()
	env := append(os.Environ(), "RESPOND_API_BASE="+srv.URL(), "RESPOND_TOKEN="+srv.Token(), "HOME="+home,
		"XDG_CONFIG_HOME="+filepath.Join(home, ".config"), "XDG_CACHE_HOME="+filepath.Join(home, ".cache"),
		"XDG_STATE_HOME="+filepath.Join(home, ".state"), "NO_COLOR=1")
	return &Child{tb: tb, bin: bin, env: env}
}

// Run runs the binary with args, stdout discarded, and reports its wall time and peak RSS.
// The binary runs under peakrss, which reports the peak: measured from this process, the
// figure would include this process's own size, sandbox and all (see peakrss).
func (c *Child) Run(args ...string) ChildRun {
	tb := c.tb
	tb.Helper()
	cmd := exec.Command(probePath(c.bin), append([]string{c.bin}, args...)...)
	cmd.Env = c.env
	devnull, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
	if err != nil {
		tb.Fatal(err)
	}
	defer devnull.Close()
	cmd.Stdout = devnull
	var stderr limitedBuffer
	cmd.Stderr = &stderr
	report, err := os.CreateTemp(tb.TempDir(), "peak-rss")
	if err != nil {
		tb.Fatal(err)
	}
	defer report.Close()
	cmd.ExtraFiles = []*os.File{report} // fd 3 of peakrss
	start := time.Now()
	if err := cmd.Run(); err != nil {
		tb.Fatalf("%v: %v\n%s", args, err, stderr.b)
	}
	run := ChildRun{Wall: time.Since(start)}
	data, err := os.ReadFile(report.Name())
	if err != nil {
		tb.Fatal(err)
	}
	if run.MaxRSS, err = strconv.ParseInt(strings.TrimSpace(string(data)), 10, 64); err != nil || run.MaxRSS <= 0 {
		tb.Fatalf("peakrss reported %q: %v", data, err)
	}
	return run
}

// limitedBuffer keeps the first 4 kB of a child's stderr for failure messages.
type limitedBuffer struct{ b []byte }

func (l *limitedBuffer) Write(p []byte) (int, error) {
	if room := 4096 - len(l.b); room > 0 {
		l.b = append(l.b, p[:min(room, len(p))]...)
	}
	return len(p), nil
}
