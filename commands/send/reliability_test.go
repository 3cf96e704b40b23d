package send_test

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/respondctl/respondctl/commands/cmdtest"
	"github.com/respondctl/respondctl/sandbox"
)

// A bulk send under injected faults never gives a contact two messages (checked in the
// sandbox's audit), and every target got its message: sends whose answer was lost are
// reconciled before the run ends, none is left unknown. 200 contacts; 50 with -short.
func TestSendBulkUnderFaultsNeverDuplicates(t *testing.T) {
	t.Parallel() // its own sandbox; waits on rate limits and child processes, not the CPU
	n := 200
	if testing.Short() {
		n = 50
	}
	e := cmdtest.StartUnderFaults(t, "large:"+strconv.Itoa(n))
	r := e.Run(cmdtest.Str(cmdtest.IDLines(1, n)), "-o", "json", "send", "--text", "Service notice", "--force", "--workers", "16", "--reconcile-after", "1s")
	if r.Code != 0 && r.Code != 3 {
		t.Fatalf("%s", r)
	}
	recs := cmdtest.Records(t, r.Stdout)
	sent := e.SentPerContact()
	counts := map[string]int{}
	for _, rec := range recs {
		var id int64
		fmt.Sscanf(rec["identifier"].(string), "id:%d", &id)
		outcome := rec["outcome"].(string)
		counts[outcome]++
		switch {
		case sent[id] > 1:
			t.Errorf("contact %d got %d messages", id, sent[id])
		case outcome == "done" && sent[id] != 1:
			t.Errorf("contact %d reported sent, audit has %d", id, sent[id])
		case outcome == "failed" && sent[id] != 0:
			t.Errorf("contact %d reported failed but got a message: %v", id, rec["detail"])
		case outcome != "done" && outcome != "unknown" && outcome != "failed":
			t.Errorf("contact %d: outcome %s", id, outcome)
		}
	}
	if len(recs) != n {
		t.Fatalf("%d results for %d contacts", len(recs), n)
	}
	if counts["unknown"] != 0 {
		t.Errorf("%d sends left unknown after reconciliation", counts["unknown"])
	}
	t.Logf("outcomes %v; %s", counts, cmdtest.LastLine(r.Stderr))
}

// kill -9 halfway through a bulk send, then --resume: no message is sent twice, and every
// target has its message (the sends in flight at the kill are reconciled, never resent blindly).
func TestSendKill9AndResume(t *testing.T) {
	t.Parallel() // its own sandbox; waits on rate limits and child processes, not the CPU
	n := 120
	if testing.Short() {
		n = 40
	}
	e := cmdtest.Start(t, sandbox.Options{Seed: "large:" + strconv.Itoa(n), Rate: 20, Faults: "latency=20ms..100ms"})
	input := filepath.Join(t.TempDir(), "ids.txt")
	if err := os.WriteFile(input, []byte(cmdtest.IDLines(1, n)), 0o600); err != nil {
		t.Fatal(err)
	}
	journal := filepath.Join(t.TempDir(), "send.jsonl")
	cmd := e.Command("send", "--input", input, "--text", "Flash sale", "--force", "--journal", journal, "--workers", "4")
	var stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &bytes.Buffer{}, &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// Kill once about half the results are journaled (bounded wait).
	deadline := time.Now().Add(60 * time.Second)
	for cmdtest.JournalResults(journal) < n/2 {
		if time.Now().After(deadline) {
			_ = cmd.Process.Kill()
			t.Fatalf("journal never reached %d results; stderr:\n%s", n/2, stderr.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	_ = cmd.Wait()
	before := cmdtest.JournalResults(journal)
	if before >= n {
		t.Fatalf("the run finished before the kill (%d results)", before)
	}

	r := e.Run(nil, "-o", "json", "send", "--resume", journal, "--reconcile-after", "1s")
	if r.Code != 0 && r.Code != 3 {
		t.Fatalf("resume: %s", r)
	}
	recs := cmdtest.Records(t, r.Stdout)
	sent := e.SentPerContact()
	unknown := map[int64]bool{}
	for _, rec := range recs {
		if rec["outcome"] == "unknown" {
			var id int64
			fmt.Sscanf(rec["identifier"].(string), "id:%d", &id)
			unknown[id] = true
		}
	}
	for id := int64(1); id <= int64(n); id++ {
		switch {
		case sent[id] > 1:
			t.Errorf("contact %d got %d messages", id, sent[id])
		case sent[id] == 0:
			t.Errorf("contact %d got no message (reported unknown: %v)", id, unknown[id])
		}
	}
	t.Logf("killed after %d results; resume reported %d items, %d unknown; %s", before, len(recs), len(unknown), cmdtest.LastLine(r.Stderr))
}
