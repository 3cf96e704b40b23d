package assign_test

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/respondctl/respondctl/apiclient"
	"github.com/respondctl/respondctl/commands/cmdtest"
	"github.com/respondctl/respondctl/sandbox"
)

// Ctrl-C stops a bulk run cleanly (exit 130) and prints the command that resumes it; the
// resume finishes the rest without redoing what was done.
func TestAssignInterruptAndResume(t *testing.T) {
	t.Parallel() // its own sandbox; waits on rate limits and child processes, not the CPU
	const n = 60
	e := cmdtest.Start(t, sandbox.Options{Seed: "large:" + strconv.Itoa(n), Rate: 20})
	input := filepath.Join(t.TempDir(), "ids.txt")
	if err := os.WriteFile(input, []byte(cmdtest.IDLines(1, n)), 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := e.Command("assign", "--input", input, "--to", "priya@example.com")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(30 * time.Second)
	for journalResults(e) < 10 {
		if time.Now().After(deadline) {
			_ = cmd.Process.Kill()
			t.Fatalf("no progress; stderr:\n%s", stderr.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	_ = cmd.Process.Signal(syscall.SIGINT)
	err := cmd.Wait()
	if !strings.Contains(stderr.String(), "not attempted") || !strings.Contains(stderr.String(), "interrupted") {
		t.Errorf("no summary of the interrupted run:\n%s", stderr.String())
	}
	ee, ok := err.(*exec.ExitError)
	if !ok || ee.ExitCode() != 130 {
		t.Fatalf("exit %v; stderr:\n%s", err, stderr.String())
	}
	m := regexp.MustCompile(`to finish the run: \S+ assign --resume (\S+)`).FindStringSubmatch(stderr.String())
	if m == nil {
		t.Fatalf("no resume command in stderr:\n%s", stderr.String())
	}
	done := strings.Count(stdout.String(), "assigned to Priya Nair")
	r := e.Run(nil, "assign", "--resume", m[1])
	if r.Code != 0 || !strings.Contains(r.Stderr, strconv.Itoa(done)+" already complete from an earlier run") {
		t.Fatalf("resume after %d done: %s", done, r)
	}
	if got := e.CountWhere("assigneeUserId", apiclient.OpIsEqualTo, "4"); got != n {
		t.Fatalf("%d of %d assigned", got, n)
	}
	// Nothing done before the interruption was done again by the resume. The assignments
	// given up at the Ctrl-C (waiting for the rate limiter) were journaled as started: the
	// resume re-checked them, and skipped those the seed had already assigned to Priya.
	skipped := 0
	if m := regexp.MustCompile(`skipped (\d+)`).FindStringSubmatch(r.Stderr); m != nil {
		skipped, _ = strconv.Atoi(m[1])
	}
	per := map[int64]int{}
	for _, row := range e.Audit("assigned", 0) {
		if row.ContactID != nil && row.Result == "ok" {
			per[*row.ContactID]++
		}
	}
	for id, k := range per {
		if k != 1 {
			t.Errorf("contact %d assigned %d times", id, k)
		}
	}
	if len(per)+skipped != n {
		t.Errorf("%d contacts assigned and %d skipped, want %d in all", len(per), skipped, n)
	}
}

func journalResults(e *cmdtest.Env) int {
	files, err := e.Journals()
	if err != nil {
		return 0
	}
	return cmdtest.JournalResults(files[0])
}
