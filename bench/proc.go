package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"time"
)

// buildBinary builds cmd/respondctl into dir, the way a user installs it.
func buildBinary(ctx context.Context, dir string) (string, error) {
	bin := filepath.Join(dir, "respondctl")
	cmd := exec.CommandContext(ctx, "go", "build", "-o", bin, "./cmd/respondctl")
	cmd.Stderr = os.Stderr
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("go build: %w (run from the module root)", err)
	}
	return bin, nil
}

// cliEnv is the environment of one respondctl run: an isolated config and state directory,
// pointed at a server (api and token may be empty for commands that make no request).
func cliEnv(home, api, token string) []string {
	env := []string{
		"HOME=" + home,
		"XDG_CONFIG_HOME=" + filepath.Join(home, "config"),
		"XDG_STATE_HOME=" + filepath.Join(home, "state"),
		"XDG_CACHE_HOME=" + filepath.Join(home, "cache"),
		"PATH=" + os.Getenv("PATH"),
		"NO_COLOR=1",
		"RESPOND_PAGER=cat",
	}
	if api != "" {
		env = append(env, "RESPOND_API_BASE="+api, "RESPOND_TOKEN="+token)
	}
	return env
}

// runResult is one finished child process.
type runResult struct {
	Wall   time.Duration
	MaxRSS int64 // bytes
	Stdout int64 // bytes written to stdout
	Lines  int64 // lines written to stdout
	Stderr string
	Code   int
}

// countingWriter counts bytes without keeping them (a 100,000-message history is large).
type countingWriter struct{ n, lines int64 }

func (w *countingWriter) Write(p []byte) (int, error) {
	w.n += int64(len(p))
	w.lines += int64(bytes.Count(p, []byte{'\n'}))
	return len(p), nil
}

// runCLI runs the binary once and reports wall time, the child's peak RSS and its output size.
func runCLI(ctx context.Context, bin string, env []string, stdin string, args ...string) (runResult, error) {
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Env = env
	if stdin != "" {
		cmd.Stdin = strings.NewReader(stdin)
	}
	out := &countingWriter{}
	var errBuf bytes.Buffer
	cmd.Stdout, cmd.Stderr = out, &limitedBuffer{buf: &errBuf, max: 64 << 10}
	t0 := time.Now()
	err := cmd.Run()
	res := runResult{Wall: time.Since(t0), Stdout: out.n, Lines: out.lines, Stderr: errBuf.String()}
	if cmd.ProcessState != nil {
		res.Code = cmd.ProcessState.ExitCode()
		res.MaxRSS = maxRSS(cmd.ProcessState)
	}
	if err != nil {
		if _, ok := err.(*exec.ExitError); !ok {
			return res, err
		}
	}
	return res, nil
}

// launchEnv makes the bench binary a launcher (see launch) instead of the benchmark.
const launchEnv = "RESPONDCTL_BENCH_LAUNCH"

// runMeasured is runCLI through a small launcher process, for a faithful peak RSS. Linux
// records the parent's memory high-water mark as a vforked child's ru_maxrss when the child
// execs (os/exec uses CLONE_VM|CLONE_VFORK), so a child of this process, which holds a
// 100,000-contact database, would report this process's peak, not its own. The launcher is a
// fresh, small process; its child's ru_maxrss is the child's own.
func runMeasured(ctx context.Context, bin string, env []string, args ...string) (runResult, error) {
	self, err := os.Executable()
	if err != nil {
		return runResult{}, err
	}
	r, w, err := os.Pipe()
	if err != nil {
		return runResult{}, err
	}
	defer r.Close()
	cmd := exec.CommandContext(ctx, self, append([]string{bin}, args...)...)
	cmd.Env = append(append([]string(nil), env...), launchEnv+"=1")
	cmd.ExtraFiles = []*os.File{w}
	out := &countingWriter{}
	var errBuf bytes.Buffer
	cmd.Stdout, cmd.Stderr = out, &limitedBuffer{buf: &errBuf, max: 64 << 10}
	t0 := time.Now()
	err = cmd.Run()
	wall := time.Since(t0)
	w.Close()
	report, _ := io.ReadAll(r)
	res := runResult{Wall: wall, Stdout: out.n, Lines: out.lines, Stderr: errBuf.String()}
	if cmd.ProcessState != nil {
		res.Code = cmd.ProcessState.ExitCode()
	}
	if _, scanErr := fmt.Sscanf(string(report), "maxrss=%d", &res.MaxRSS); scanErr != nil && err == nil {
		err = fmt.Errorf("launcher reported no maxrss")
	}
	if err != nil {
		if _, ok := err.(*exec.ExitError); !ok {
			return res, err
		}
	}
	if res.Code != 0 {
		return res, fmt.Errorf("respondctl %s: exit %d: %s", strings.Join(args, " "), res.Code, lastLine(res.Stderr))
	}
	return res, nil
}

// launch runs os.Args[1:] with this process's streams and writes the child's peak RSS to
// file descriptor 3; it is the whole program when launchEnv is set.
func launch() int {
	report := os.NewFile(3, "report")
	cmd := exec.Command(os.Args[1], os.Args[2:]...)
	env := os.Environ()
	for i, kv := range env {
		if strings.HasPrefix(kv, launchEnv+"=") {
			env = append(env[:i], env[i+1:]...)
			break
		}
	}
	cmd.Env = env
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	err := cmd.Run()
	if cmd.ProcessState == nil {
		fmt.Fprintln(os.Stderr, "launcher:", err)
		return 1
	}
	fmt.Fprintf(report, "maxrss=%d\n", maxRSS(cmd.ProcessState))
	return cmd.ProcessState.ExitCode()
}

// runOK is runCLI where a non-zero exit is an error showing the command's last words.
func runOK(ctx context.Context, bin string, env []string, stdin string, args ...string) (runResult, error) {
	res, err := runCLI(ctx, bin, env, stdin, args...)
	if err != nil {
		return res, fmt.Errorf("respondctl %s: %w", strings.Join(args, " "), err)
	}
	if res.Code != 0 {
		return res, fmt.Errorf("respondctl %s: exit %d: %s", strings.Join(args, " "), res.Code, lastLine(res.Stderr))
	}
	return res, nil
}

func lastLine(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return lines[len(lines)-1]
}

// maxRSS is the child's peak resident set size in bytes (Linux reports KiB, macOS bytes).
func maxRSS(ps *os.ProcessState) int64 {
	ru, ok := ps.SysUsage().(*syscall.Rusage)
	if !ok {
		return 0
	}
	if runtime.GOOS == "darwin" {
		return int64(ru.Maxrss)
	}
	return int64(ru.Maxrss) * 1024
}

// limitedBuffer keeps the first max bytes of a stream and discards the rest.
type limitedBuffer struct {
	buf *bytes.Buffer
	max int
}

func (l *limitedBuffer) Write(p []byte) (int, error) {
	if room := l.max - l.buf.Len(); room > 0 {
		l.buf.Write(p[:min(room, len(p))])
	}
	return len(p), nil
}

var _ io.Writer = (*limitedBuffer)(nil)

// machine describes where the figures were taken.
type machine struct {
	OS, Arch, CPU, Go string
	Cores             int
	MemTotal          string
	Load              string // 1-minute load average at the start and the end of the run
}

func describeMachine() machine {
	m := machine{OS: runtime.GOOS, Arch: runtime.GOARCH, Cores: runtime.NumCPU(), Go: goVersion()}
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, line := range strings.Split(string(b), "\n") {
			if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == "model name" {
				m.CPU = strings.TrimSpace(v)
				break
			}
		}
	}
	if b, err := os.ReadFile("/proc/meminfo"); err == nil {
		for _, line := range strings.Split(string(b), "\n") {
			if v, ok := strings.CutPrefix(line, "MemTotal:"); ok {
				m.MemTotal = strings.TrimSpace(v)
				break
			}
		}
	}
	if out, err := exec.Command("uname", "-sr").Output(); err == nil {
		m.OS = strings.TrimSpace(string(out))
	}
	if m.CPU == "" {
		m.CPU = "unknown"
	}
	m.Load = loadAverage()
	return m
}

func goVersion() string {
	out, err := exec.Command("go", "env", "GOVERSION").Output()
	if err != nil {
		return runtime.Version()
	}
	return strings.TrimSpace(string(out))
}
