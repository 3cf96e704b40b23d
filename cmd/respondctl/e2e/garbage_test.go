package e2e

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/respondctl/respondctl/sandbox"
)

// Every read command, answered with garbage on the request it depends on, ends with one clear
// error line, a non-zero exit and nothing on stdout, within a bounded time — never a panic,
// a hang or a half-printed table that looks like data.
func TestGarbageAnswersToReads(t *testing.T) {
	t.Parallel() // waits on timeouts, backoffs and retries, not the CPU (see TestMain)
	srv := startSandbox(t, sandbox.Options{Seed: "demo", Rate: 1000})
	reads := []struct {
		name           string
		method, suffix string
		args           []string
	}{
		{"contacts show", "GET", "/contact/id:5", []string{"contacts", "show", "5"}},
		{"contacts list", "POST", "/contact/list", []string{"contacts", "list", "-L", "5"}},
		{"views", "POST", "/contact/count", []string{"views"}},
		{"conversation show", "GET", "/message/list", []string{"conversation", "show", "5"}},
	}
	modes := []garbage{html502Before, html200, truncatedAfter, empty200After, wrongTypesAfter, drip, hang}
	for _, rd := range reads {
		for _, g := range modes {
			slow := g == drip || g == hang
			if testing.Short() && slow && rd.name != "contacts show" && rd.name != "views" {
				continue // the slow cases wait out every retry; two commands stand for all in -short
			}
			t.Run(rd.name+"/"+string(g), func(t *testing.T) {
				t.Parallel()
				p := newHostileProxy(t, srv.URL(), on(rd.method, rd.suffix, g))
				c := newCLI(t, p.api(), srv.Token())
				c.extra = append(c.extra, "NO_COLOR=1")
				// 5 attempts × 500 ms plus at most 3.75 s of backoff, with room for a busy machine.
				r := c.run(30*time.Second, "", append([]string{"--timeout", "500ms"}, rd.args...)...)
				if p.count(g) == 0 {
					t.Fatalf("the garbage was never served (rule %s %s)\n%s", rd.method, rd.suffix, r)
				}
				if rd.name == "views" {
					// One error line per view that could not be counted, exit 1.
					assertFailureShape(t, r, srv.Token())
				} else {
					assertCleanFailure(t, r, srv.Token())
				}
				if rd.name != "views" && strings.TrimSpace(r.Stdout) != "" {
					t.Fatalf("stdout carries output from a failed read\n%s", r)
				}
				if slow && !strings.Contains(r.Stderr, "within 500ms") {
					t.Errorf("a request past --timeout should say it timed out: %s", lastLine(r.Stderr))
				}
				t.Logf("exit %d in %s: %s", r.Code, r.Wall.Round(time.Millisecond), lastLine(r.Stderr))
			})
		}
	}
}

// A send whose answer is garbage after the sandbox applied it is never resent: not by the
// client's retries, not by --resume. The run either reports a garbage-answered item as unknown
// or failed, or, having read the conversation back, as done with the message it found (never
// done on the strength of the garbage itself); a send that never reached the sandbox (hang) is
// sent once the read-back shows it absent. Each contact ends with exactly one message.
func TestGarbageAnswersToSendNeverDuplicate(t *testing.T) {
	t.Parallel() // waits on timeouts, backoffs and retries, not the CPU (see TestMain)
	srv := startSandbox(t, sandbox.Options{Seed: "demo", Rate: 1000})
	for i, g := range []garbage{html502After, truncatedAfter, empty200After, wrongTypesAfter, hang} {
		t.Run(string(g), func(t *testing.T) {
			t.Parallel() // each mode has its own contacts and proxy; they wait on timeouts, not the CPU
			// Each mode gets its own contacts.
			ids := []int{40 + 3*i, 41 + 3*i, 42 + 3*i}
			text := "garbage test " + string(g)
			p := newHostileProxy(t, srv.URL(), on("POST", "/message", g))
			c := newCLI(t, p.api(), srv.Token())
			journal := filepath.Join(t.TempDir(), "send.jsonl")
			input := writeFile(t, "ids.txt", fmt.Sprintf("%d\n%d\n%d\n", ids[0], ids[1], ids[2]))
			before := appliedPerContact(t, srv.URL(), srv.Token(), "message_sent")

			// The proxy answers (or hangs) only after the sandbox has answered or never forwards, so
			// whatever was applied is there when the answer comes: a short --reconcile-after
			// loses no safety, only the wait. --timeout stays at 1 s: at 500 ms an ordinary request
			// timed out on a loaded machine (load 15).
			r := c.run(60*time.Second, "", "--timeout", "1s", "-o", "jsonl", "send", "--input", input, "--text", text, "--force",
				"--journal", journal, "--reconcile-after", "200ms")
			recs := jsonRecords(t, r.Stdout)
			got := outcomes(t, recs)
			for _, rec := range recs {
				detail, _ := rec["detail"].(string)
				if rec["outcome"] == "done" && g != empty200After && !strings.Contains(detail, "found on the platform") {
					t.Errorf("%v reported done from a garbage answer: %s", rec["identifier"], detail)
				}
			}
			if r.Code == 0 && g == hang {
				t.Fatalf("a send that never got an answer reported as a clean success\n%s", r)
			}
			// --resume against the honest server (the same workspace at another URL, hence
			// --workspace-check=off) must not send again what may have been sent.
			honest := newCLI(t, srv.URL(), srv.Token())
			honest.home = c.home
			r2 := honest.run(60*time.Second, "", "-o", "jsonl", "send", "--resume", journal, "--workspace-check=off", "--reconcile-after", "1s")
			if r2.Code != 0 {
				t.Errorf("resume on the honest server: %s", r2)
			}
			after := appliedPerContact(t, srv.URL(), srv.Token(), "message_sent")
			for _, id := range ids {
				if n := after[int64(id)] - before[int64(id)]; n != 1 {
					t.Errorf("contact %d: %d messages applied, want 1 (first run %q)\nfirst run:\n%s\nresume:\n%s",
						id, n, got[int64(id)], r, r2)
				}
			}
			t.Logf("first run exit %d %v; resume exit %d: %s", r.Code, got, r2.Code, lastLine(r2.Stderr))
		})
	}
}

// An assign answered with an HTML 502 after the sandbox applied it is retried (the same end
// state is safe to ask for twice) and ends with a clear "gave up" or success — and the
// contact assigned either way.
func TestGarbageAnswersToAssign(t *testing.T) {
	t.Parallel() // waits on timeouts, backoffs and retries, not the CPU (see TestMain)
	srv := startSandbox(t, sandbox.Options{Seed: "demo", Rate: 1000})
	for _, g := range []garbage{html502After, truncatedAfter, empty200After} {
		t.Run(string(g), func(t *testing.T) {
			t.Parallel()
			p := newHostileProxy(t, srv.URL(), on("POST", "/conversation/assignee", g))
			c := newCLI(t, p.api(), srv.Token())
			id := map[garbage]int{html502After: 60, truncatedAfter: 61, empty200After: 62}[g]
			r := c.run(60*time.Second, "", "assign", fmt.Sprint(id), "--to", "mei@example.com")
			if r.Code != 0 {
				assertCleanFailure(t, r, srv.Token())
			}
			if got := assigneeOf(t, srv.URL(), srv.Token(), id); got != 5 {
				t.Fatalf("contact %d assigned to %d, want Mei (5)\n%s", id, got, r)
			}
			t.Logf("exit %d: %s", r.Code, lastLine(r.Stderr+r.Stdout))
		})
	}
}
