package e2e

import (
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/respondctl/respondctl/sandbox"
)

// productionFaults is the acting issue's production mix (as commands/cmdtest.ProductionFaults).
const productionFaults = "500=0.05,502=0.05,429=0.05,reset=0.03,latency=20ms..200ms,seed=11"

// faultCase is one fault mix driven through the real binary, with a non-idempotent verb, so
// "nothing done twice" is checked in the sandbox's audit.
type faultCase struct {
	name, faults string
	verb         []string // command line after the contact input
	action       string   // audit action of one applied item
	n, shortN    int
	timeout      string // --timeout
}

// Fault mixes the commands' own tests do not run: comment (non-idempotent) under the
// production mix, a 429/449 storm, a connection-reset storm and answers slower than
// --timeout. Each run, plus --resume when it ends partial, leaves every contact with the
// action applied at most once, and applied or reported unknown.
func TestFaultMixesThroughBinary(t *testing.T) {
	t.Parallel() // waits on timeouts, backoffs and retries, not the CPU (see TestMain)
	cases := []faultCase{
		{name: "comment/production", faults: productionFaults, verb: []string{"comment", "--text", "Called back"},
			action: "comment_created", n: 400, shortN: 80, timeout: "5s"},
		// The sends reconcile an unknown outcome 1 s after it began instead of the default 5 s:
		// the rule is the same, and the sandbox applies a send before its answer is cut off.
		{name: "send/429-449-storm", faults: "429=0.3,449=0.1,seed=5", verb: []string{"send", "--text", "Stock is back", "--force", "--reconcile-after", "1s"},
			action: "message_sent", n: 120, shortN: 16, timeout: "5s"}, // each refusal holds the endpoint ≥1 s (Retry-After)
		{name: "send/reset-storm", faults: "reset=0.2,502=0.05,seed=9", verb: []string{"send", "--text", "Order shipped", "--force", "--reconcile-after", "1s"},
			action: "message_sent", n: 200, shortN: 50, timeout: "5s"},
		{name: "comment/slower-than-timeout", faults: "latency=50ms..900ms,seed=3", verb: []string{"comment", "--text", "Escalated"},
			action: "comment_created", n: 60, shortN: 24, timeout: "400ms"},
	}
	for _, fc := range cases {
		t.Run(fc.name, func(t *testing.T) {
			t.Parallel()
			n := fc.n
			if testing.Short() {
				n = fc.shortN
			}
			srv := startSandbox(t, sandbox.Options{Seed: fmt.Sprintf("large:%d", n), Rate: 200, Faults: fc.faults})
			c := newCLI(t, srv.URL(), srv.Token())
			input := writeFile(t, "ids.txt", idLines(1, n))
			journal := filepath.Join(t.TempDir(), "run.jsonl")
			args := append([]string{"--timeout", fc.timeout, "-o", "jsonl"}, fc.verb...)
			args = append(args, "--input", input, "--journal", journal, "--workers", "8")
			r := c.run(3*time.Minute, "", args...)
			if r.Code != 0 && r.Code != 3 {
				t.Fatalf("want exit 0 or 3 (partial), got\n%s", r)
			}
			final := outcomes(t, jsonRecords(t, r.Stdout))
			if len(final) != n {
				t.Fatalf("%d results for %d contacts\n%s", len(final), n, r)
			}
			first := fmt.Sprintf("exit %d: %s", r.Code, lastLine(r.Stderr))
			if r.Code == 3 {
				// Finishing what failed is what --resume is for; it never resends an unknown.
				resume := []string{"--timeout", fc.timeout, "-o", "jsonl", fc.verb[0], "--resume", journal}
				if fc.verb[0] == "send" {
					resume = append(resume, "--reconcile-after", "1s")
				}
				r = c.run(3*time.Minute, "", resume...)
				if r.Code != 0 && r.Code != 3 {
					t.Fatalf("resume: %s", r)
				}
				for id, o := range outcomes(t, jsonRecords(t, r.Stdout)) {
					final[id] = o
				}
			}
			applied := appliedPerContact(t, srv.URL(), srv.Token(), fc.action)
			counts := map[string]int{}
			for id := int64(1); id <= int64(n); id++ {
				counts[final[id]]++
				switch {
				case applied[id] > 1:
					t.Errorf("contact %d: %s applied %d times", id, fc.action, applied[id])
				case applied[id] == 0 && final[id] != "unknown" && final[id] != "failed":
					t.Errorf("contact %d: not applied, reported %q", id, final[id])
				case applied[id] == 1 && final[id] == "failed":
					t.Errorf("contact %d: applied, reported failed (a resume would do it again)", id)
				}
			}
			t.Logf("first run %s; final outcomes %v", first, counts)
		})
	}
}
