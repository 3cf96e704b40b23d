package send_test

import (
	"bytes"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/respondctl/respondctl/commands/cmdtest"
	"github.com/respondctl/respondctl/sandbox"
)

// sendWatch is a proxy in front of the sandbox that sees every message send (POST
// /contact/…/message): received counts those that reached it (written by the CLI), and the
// callbacks (nil: none) run on the n-th one's arrival and on its answer.
type sendWatch struct {
	received, answered atomic.Int64
	onReceived         func(n int64)
	onAnswered         func(n int64)
	// latency, when set, holds every request that long before it goes on to the sandbox, as the
	// sandbox's latency fault does (a client that hangs up meanwhile cuts it short, unsent),
	// but the test can lift it once it no longer needs slow requests.
	latency atomic.Int64
}

func watchSends(e *cmdtest.Env, onReceived, onAnswered func(n int64)) *sendWatch {
	w := &sendWatch{onReceived: onReceived, onAnswered: onAnswered}
	target, err := url.Parse(e.Server.URL())
	if err != nil {
		e.T.Fatal(err)
	}
	isSend := func(r *http.Request) bool {
		return r.Method == http.MethodPost && strings.HasSuffix(r.URL.Path, "/message")
	}
	proxy := httputil.NewSingleHostReverseProxy(&url.URL{Scheme: target.Scheme, Host: target.Host})
	proxy.ErrorLog = log.New(io.Discard, "", 0) // requests cut off by the abort are expected
	proxy.ModifyResponse = func(resp *http.Response) error {
		if isSend(resp.Request) && resp.StatusCode/100 == 2 {
			if n := w.answered.Add(1); w.onAnswered != nil {
				w.onAnswered(n)
			}
		}
		return nil
	}
	srv := httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		if isSend(r) {
			if n := w.received.Add(1); w.onReceived != nil {
				w.onReceived(n)
			}
		}
		if d := time.Duration(w.latency.Load()); d > 0 {
			t := time.NewTimer(d)
			select {
			case <-t.C:
			case <-r.Context().Done():
				t.Stop()
				return
			}
		}
		proxy.ServeHTTP(rw, r)
	}))
	e.T.Cleanup(srv.Close)
	e.APIBase = srv.URL + target.Path
	return w
}

// watchWriter collects a process's stderr and closes seen once it contains want.
type watchWriter struct {
	mu   sync.Mutex
	buf  bytes.Buffer
	want string
	seen chan struct{}
	once sync.Once
}

func newWatchWriter(want string) *watchWriter {
	return &watchWriter{want: want, seen: make(chan struct{})}
}

func (w *watchWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.buf.Write(p)
	if strings.Contains(w.buf.String(), w.want) {
		w.once.Do(func() { close(w.seen) })
	}
	return len(p), nil
}

func (w *watchWriter) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.buf.String()
}

const stoppingLine = "stopping: nothing more is sent"

// waitExit waits for cmd and returns its exit code; the deadline only turns a hang into a failure.
func waitExit(t *testing.T, cmd *exec.Cmd, stderr *watchWriter) int {
	t.Helper()
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if ee, ok := err.(*exec.ExitError); ok {
			return ee.ExitCode()
		} else if err != nil {
			t.Fatal(err)
		}
		return 0
	case <-time.After(60 * time.Second):
		_ = cmd.Process.Kill()
		t.Fatalf("the run did not end; stderr:\n%s", stderr.String())
		return -1
	}
}

func idInput(t *testing.T, n int) string {
	t.Helper()
	input := filepath.Join(t.TempDir(), "ids.txt")
	if err := os.WriteFile(input, []byte(cmdtest.IDLines(1, n)), 0o600); err != nil {
		t.Fatal(err)
	}
	return input
}

var summaryLine = regexp.MustCompile(`done (\d+), skipped 0, failed (\d+), unknown (\d+) in \S+ \(\S+\); (\d+) not attempted`)

// The bug: a first Ctrl-C let every worker queued in the rate limiter send its message (16
// workers at 5/s: sends for 3 s after the signal). Now nothing is written after it: the sends
// still waiting are not attempted, the resume sends them, every contact gets exactly one.
func TestSendFirstInterruptSendsNothingMore(t *testing.T) {
	t.Parallel() // its own sandbox; waits on rate limits and child processes, not the CPU
	const n = 8
	// 2 requests/s: the next send leaves 500 ms after the one that triggers the interrupt, far
	// longer than the process takes to handle SIGINT, so "already written" is exactly the sends
	// the proxy has received when it signals.
	e := cmdtest.Start(t, sandbox.Options{Seed: "large:" + strconv.Itoa(n), Rate: 2})
	var w *sendWatch
	var proc atomic.Pointer[os.Process]
	var atSignal atomic.Int64
	var once sync.Once
	signalled := make(chan time.Time, 1)
	w = watchSends(e, nil, func(k int64) {
		if p := proc.Load(); k == 2 && p != nil {
			once.Do(func() {
				atSignal.Store(w.received.Load())
				_ = p.Signal(syscall.SIGINT)
				signalled <- time.Now()
			})
		}
	})
	journal := filepath.Join(t.TempDir(), "send.jsonl")
	cmd := e.Command("send", "--input", idInput(t, n), "--text", "Flash sale", "--force", "--journal", journal)
	stderr := newWatchWriter(stoppingLine)
	cmd.Stdout, cmd.Stderr = &bytes.Buffer{}, stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	proc.Store(cmd.Process)
	code := waitExit(t, cmd, stderr)
	var at time.Time
	select {
	case at = <-signalled:
	default:
		t.Fatalf("the run ended before the interrupt; stderr:\n%s", stderr.String())
	}
	t.Logf("ended %s after SIGINT", time.Since(at).Round(time.Millisecond))
	if code != 130 {
		t.Fatalf("exit %d, want 130; stderr:\n%s", code, stderr.String())
	}
	m := summaryLine.FindStringSubmatch(stderr.String())
	if m == nil || !strings.Contains(stderr.String(), stoppingLine) {
		t.Fatalf("no summary with not attempted items; stderr:\n%s", stderr.String())
	}
	done, failed, unknown, notAttempted := atoi(m[1]), atoi(m[2]), atoi(m[3]), atoi(m[4])
	if failed != 0 || unknown != 0 || done+notAttempted != n {
		t.Fatalf("summary %q; stderr:\n%s", m[0], stderr.String())
	}
	if got := w.received.Load(); got != atSignal.Load() {
		t.Errorf("%d sends written, %d of them after the interrupt", got, got-atSignal.Load())
	}
	sent := e.SentPerContact()
	total := 0
	for _, k := range sent {
		total += k
	}
	if total != done {
		t.Errorf("the audit has %d messages, the summary %d done", total, done)
	}

	r := e.Run(nil, "send", "--resume", journal)
	if r.Code != 0 || !strings.Contains(r.Stderr, strconv.Itoa(done)+" already complete from an earlier run") {
		t.Fatalf("resume after %d done: %s", done, r)
	}
	sent = e.SentPerContact()
	for id := int64(1); id <= n; id++ {
		if sent[id] != 1 {
			t.Errorf("contact %d got %d messages", id, sent[id])
		}
	}
}

// A second Ctrl-C aborts the send already written (unknown, reconciled on resume) and cuts off
// the contacts whose send had not been written yet (a read in flight): those are not attempted,
// never "failed: context canceled".
func TestSendSecondInterruptReportsUnwrittenNotAttempted(t *testing.T) {
	t.Parallel() // its own sandbox; waits on rate limits and child processes, not the CPU
	const n = 8
	// Every request takes 500 ms (held by the proxy, as the sandbox's latency fault would hold
	// it): the first send is still in flight, and reads of other contacts with it, when the two
	// interrupts come. The resume runs without it.
	e := cmdtest.Start(t, sandbox.Options{Seed: "large:" + strconv.Itoa(n), Rate: 2})
	var proc atomic.Pointer[os.Process]
	first := make(chan struct{})
	var once sync.Once
	w := watchSends(e, func(int64) {
		if p := proc.Load(); p != nil {
			once.Do(func() {
				_ = p.Signal(syscall.SIGINT)
				close(first)
			})
		}
	}, nil)
	w.latency.Store(int64(500 * time.Millisecond))
	journal := filepath.Join(t.TempDir(), "send.jsonl")
	cmd := e.Command("-o", "json", "send", "--input", idInput(t, n), "--text", "Flash sale", "--force", "--journal", journal)
	var stdout bytes.Buffer
	stderr := newWatchWriter(stoppingLine)
	cmd.Stdout, cmd.Stderr = &stdout, stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	proc.Store(cmd.Process)
	go func() {
		<-first
		<-stderr.seen // the first interrupt was handled: this one is the second
		_ = cmd.Process.Signal(syscall.SIGINT)
	}()
	code := waitExit(t, cmd, stderr)
	if code != 130 {
		t.Fatalf("exit %d, want 130; stderr:\n%s", code, stderr.String())
	}
	outcomes := map[string]int{}
	for _, rec := range cmdtest.Records(t, stdout.String()) {
		outcomes[rec["outcome"].(string)]++
		if rec["outcome"] == "failed" {
			t.Errorf("reported failed: %v", rec["detail"])
		}
	}
	m := summaryLine.FindStringSubmatch(stderr.String())
	if m == nil || m[2] != "0" || outcomes["unknown"] != 1 || atoi(m[4]) != n-1 {
		t.Fatalf("outcomes %v; stderr:\n%s", outcomes, stderr.String())
	}
	if got := w.received.Load(); got != 1 {
		t.Errorf("%d sends written, want 1", got)
	}

	w.latency.Store(0)
	r := e.Run(nil, "send", "--resume", journal, "--reconcile-after", "1s")
	if r.Code != 0 {
		t.Fatalf("resume: %s", r)
	}
	sent := e.SentPerContact()
	for id := int64(1); id <= n; id++ {
		if sent[id] != 1 {
			t.Errorf("contact %d got %d messages", id, sent[id])
		}
	}
}

func atoi(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}
