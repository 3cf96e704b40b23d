package e2e

import (
	"bufio"
	"context"
	"fmt"
	"math/rand/v2"
	"net"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/respondctl/respondctl/sandbox"
)

// resultsIn counts the result records of a bulk journal (0 if it does not exist yet).
func resultsIn(path string) int {
	f, err := os.Open(path)
	if err != nil {
		return 0
	}
	defer f.Close()
	n := 0
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		if strings.Contains(sc.Text(), `"kind":"result"`) {
			n++
		}
	}
	return n
}

// waitForResults polls the journal until it holds n results (a file is the only signal a
// separate process gives; the poll is bounded).
func waitForResults(t *testing.T, journal string, n int, stderr fmt.Stringer) {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for resultsIn(journal) < n {
		if time.Now().After(deadline) {
			t.Fatalf("journal never reached %d results; stderr:\n%s", n, stderr)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// fixedPortAddr is a free 127.0.0.1 address whose port lies below the kernel's ephemeral range
// (32768–60999 by default), so that no ":0" listener of a test running in parallel can take it
// while a restart test's sandbox is down.
func fixedPortAddr(t *testing.T) string {
	t.Helper()
	for range 200 {
		addr := fmt.Sprintf("127.0.0.1:%d", 20000+rand.IntN(12000))
		if ln, err := net.Listen("tcp", addr); err == nil {
			ln.Close()
			return addr
		}
	}
	t.Fatal("no free port in 20000-31999")
	return ""
}

// The sandbox is stopped mid-run and started again on the same address and database: a bulk
// send either completes or ends with a clear partial result, and after --resume every contact
// has exactly one message or is reported unknown — never two.
func TestSandboxRestartMidRunSend(t *testing.T) {
	t.Parallel() // safe: its port is outside the ephemeral range (fixedPortAddr)
	n := 300
	if testing.Short() {
		n = 90
	}
	dir := t.TempDir()
	opts := sandbox.Options{DBPath: filepath.Join(dir, "sandbox.db"), Seed: fmt.Sprintf("large:%d", n), Rate: 60, Token: "restart-token",
		Addr: fixedPortAddr(t)}
	srv := startSandbox(t, opts)

	c := newCLI(t, srv.URL(), srv.Token())
	input := writeFile(t, "ids.txt", idLines(1, n))
	journal := filepath.Join(dir, "send.jsonl")
	cmd, out, errOut := c.start("-o", "jsonl", "send", "--input", input, "--text", "Maintenance tonight", "--force",
		"--journal", journal, "--workers", "8")

	waitForResults(t, journal, n/3, errOut)
	if err := srv.Close(); err != nil {
		t.Fatalf("closing sandbox: %v", err)
	}
	time.Sleep(1500 * time.Millisecond) // the outage: long enough for refused connections and retries
	srv2, err := sandbox.Start(context.Background(), opts)
	if err != nil {
		t.Fatalf("restarting sandbox on %s: %v", opts.Addr, err)
	}
	t.Cleanup(func() { _ = srv2.Close() })

	err = cmd.Wait()
	code := cmd.ProcessState.ExitCode()
	t.Logf("run across the restart: exit %d (%v); %s", code, err, lastLine(errOut.String()))
	if code != 0 && code != 3 {
		t.Fatalf("want exit 0 or 3 (partial) across a restart, got %d\n%s", code, errOut)
	}
	final := outcomes(t, jsonRecords(t, out.String()))
	if code == 3 {
		r := c.run(2*time.Minute, "", "-o", "jsonl", "send", "--resume", journal)
		if r.Code != 0 && r.Code != 3 {
			t.Fatalf("resume: %s", r)
		}
		for id, o := range outcomes(t, jsonRecords(t, r.Stdout)) {
			final[id] = o
		}
		t.Logf("resume: exit %d; %s", r.Code, lastLine(r.Stderr))
	}
	sent := appliedPerContact(t, srv2.URL(), srv2.Token(), "message_sent")
	unknown := 0
	for id := int64(1); id <= int64(n); id++ {
		switch {
		case sent[id] > 1:
			t.Errorf("contact %d got %d messages", id, sent[id])
		case sent[id] == 0 && final[id] != "unknown":
			t.Errorf("contact %d got no message and is reported %q, not unknown", id, final[id])
		case sent[id] == 1 && final[id] == "failed":
			t.Errorf("contact %d got its message but is reported failed", id)
		}
		if final[id] == "unknown" {
			unknown++
		}
	}
	t.Logf("%d contacts, %d reported unknown", n, unknown)
}

// The same outage during a bulk assign (idempotent): the run completes, or --resume does,
// and every contact ends assigned.
func TestSandboxRestartMidRunAssign(t *testing.T) {
	t.Parallel() // safe: its port is outside the ephemeral range (fixedPortAddr)
	n := 400
	if testing.Short() {
		n = 120
	}
	dir := t.TempDir()
	opts := sandbox.Options{DBPath: filepath.Join(dir, "sandbox.db"), Seed: fmt.Sprintf("large:%d", n), Rate: 80, Token: "restart-token",
		Addr: fixedPortAddr(t)}
	srv := startSandbox(t, opts)

	c := newCLI(t, srv.URL(), srv.Token())
	input := writeFile(t, "ids.txt", idLines(1, n))
	journal := filepath.Join(dir, "assign.jsonl")
	cmd, _, errOut := c.start("assign", "--input", input, "--to", "sam@example.com", "--journal", journal)
	waitForResults(t, journal, n/3, errOut)
	if err := srv.Close(); err != nil {
		t.Fatal(err)
	}
	time.Sleep(1500 * time.Millisecond)
	srv2, err := sandbox.Start(context.Background(), opts)
	if err != nil {
		t.Fatalf("restarting sandbox: %v", err)
	}
	t.Cleanup(func() { _ = srv2.Close() })
	_ = cmd.Wait()
	code := cmd.ProcessState.ExitCode()
	t.Logf("run across the restart: exit %d; %s", code, lastLine(errOut.String()))
	if code == 3 {
		r := c.run(2*time.Minute, "", "assign", "--resume", journal)
		t.Logf("resume: exit %d; %s", r.Code, lastLine(r.Stderr))
		code = r.Code
	}
	if code != 0 {
		t.Fatalf("assign across a restart did not complete: exit %d\n%s", code, errOut)
	}
	for id := 1; id <= n; id += max(1, n/40) { // a sample: each read is one request
		if got := assigneeOf(t, srv2.URL(), srv2.Token(), id); got != 6 {
			t.Fatalf("contact %d assigned to %d, want Sam (6)", id, got)
		}
	}
}

// kill -9 halfway through a bulk comment (not idempotent, and not covered by the commands'
// own tests), then --resume: no contact gets the note twice; each has it or is reported unknown.
func TestKill9ThenResumeComment(t *testing.T) {
	t.Parallel() // waits on the binary and the terminal, not the CPU (see TestMain)
	n := 200
	if testing.Short() {
		n = 60
	}
	srv := startSandbox(t, sandbox.Options{Seed: fmt.Sprintf("large:%d", n), Rate: 40, Faults: "latency=10ms..60ms,seed=7"})
	c := newCLI(t, srv.URL(), srv.Token())
	input := writeFile(t, "ids.txt", idLines(1, n))
	journal := filepath.Join(t.TempDir(), "comment.jsonl")
	cmd, _, errOut := c.start("comment", "--input", input, "--text", "Refund approved", "--journal", journal, "--workers", "4")
	waitForResults(t, journal, n/2, errOut)
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	_ = cmd.Wait()
	before := resultsIn(journal)
	if before >= n {
		t.Fatalf("the run finished before the kill (%d results)", before)
	}

	r := c.run(2*time.Minute, "", "-o", "jsonl", "comment", "--resume", journal)
	if r.Code != 0 && r.Code != 3 {
		t.Fatalf("resume: %s", r)
	}
	final := outcomes(t, jsonRecords(t, r.Stdout))
	made := appliedPerContact(t, srv.URL(), srv.Token(), "comment_created")
	for id := int64(1); id <= int64(n); id++ {
		switch {
		case made[id] > 1:
			t.Errorf("contact %d got the note %d times", id, made[id])
		case made[id] == 0 && final[id] != "unknown":
			t.Errorf("contact %d has no note and is reported %q", id, final[id])
		}
	}
	t.Logf("killed after %d of %d results; resume exit %d: %s", before, n, r.Code, lastLine(r.Stderr))
}

// kill -9 of a bulk done, then --resume: every conversation ends closed, the resumed run
// accounts for every contact the killed run did not, and exits 0.
func TestKill9ThenResumeDone(t *testing.T) {
	if testing.Short() {
		t.Skip("full run only: the comment case covers kill -9 in -short")
	}
	n := 300
	srv := startSandbox(t, sandbox.Options{Seed: fmt.Sprintf("large:%d", n), Rate: 50})
	c := newCLI(t, srv.URL(), srv.Token())
	input := writeFile(t, "ids.txt", idLines(1, n))
	journal := filepath.Join(t.TempDir(), "done.jsonl")
	cmd, _, errOut := c.start("done", "--input", input, "--category", "Resolved", "--journal", journal)
	waitForResults(t, journal, n/2, errOut)
	_ = cmd.Process.Signal(syscall.SIGKILL)
	_ = cmd.Wait()
	before := resultsIn(journal)
	r := c.run(2*time.Minute, "", "-o", "jsonl", "done", "--resume", journal)
	if r.Code != 0 {
		t.Fatalf("resume: %s", r)
	}
	// The resumed run reports what it did; the rest was settled before the kill.
	if got := len(outcomes(t, jsonRecords(t, r.Stdout))); got+before < n {
		t.Fatalf("resume reported %d contacts after %d journaled results, of %d", got, before, n)
	}
	closed := appliedPerContact(t, srv.URL(), srv.Token(), "closed")
	for id := int64(1); id <= int64(n); id++ {
		if closed[id] == 0 {
			var ct struct{ Status string }
			sandboxGet(t, srv.URL(), srv.Token(), fmt.Sprintf("/contact/id:%d", id), &ct)
			if ct.Status != "close" {
				t.Errorf("contact %d is %q after the resumed done", id, ct.Status)
			}
		}
	}
}
