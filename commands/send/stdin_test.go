package send_test

import (
	"strings"
	"testing"

	"github.com/respondctl/respondctl/commands/cmdtest"
	"github.com/respondctl/respondctl/sandbox"
)

// The pipe cases of stdin: respondctl's own JSON lines are refused as a message (naming
// --input), --text-file - takes stdin as text regardless, a dry run prints the text it would
// send, and a stdin too large to be a message is a one-line error.
func TestSendStdinIsNotAMessageByAccident(t *testing.T) {
	t.Parallel() // its own sandbox
	e := cmdtest.Start(t, sandbox.Options{Seed: "demo", Rate: 500})
	list := e.Run(nil, "contacts", "list", "--limit", "3", "-o", "jsonl")
	if list.Code != 0 || strings.Count(list.Stdout, "\n") != 3 {
		t.Fatal(list)
	}

	r := e.Run(cmdtest.Str(list.Stdout), "send", "1")
	if r.Code != 2 || !strings.Contains(r.Stderr, "--input -") || !r.OneLineError() {
		t.Fatalf("JSON lines as a message: want a one-line refusal naming --input, exit 2\n%s", r)
	}
	results := e.Run(nil, "-o", "jsonl", "assign", "1", "2", "--to", "lee@example.com", "--dry-run")
	if r := e.Run(cmdtest.Str(results.Stdout), "send", "1"); r.Code != 2 {
		t.Fatalf("a bulk command's JSON results as a message: %s", r)
	}
	if n := len(e.Audit("message_sent", 0)); n != 0 {
		t.Fatalf("%d messages sent by refused runs", n)
	}

	// Identifiers from stdin with --input -, the message from --text.
	r = e.Run(cmdtest.Str(list.Stdout), "send", "--input", "-", "--text", "Back on Monday", "--force", "--dry-run")
	if r.Code != 0 || !strings.Contains(r.Stderr, "3 identifiers read") || strings.Count(r.Stdout, `would send text message "Back on Monday"`) != 3 {
		t.Fatalf("--input - with --text --dry-run:\n%s", r)
	}

	// The dry run shows the text it would send, in lines and in records.
	r = e.Run(cmdtest.Str("Hello there\n"), "-o", "json", "send", "5", "6", "--text-file", "-", "--force", "--dry-run")
	recs := cmdtest.Records(t, r.Stdout)
	if r.Code != 0 || len(recs) != 2 || recs[0]["text"] != "Hello there" || !strings.Contains(recs[0]["detail"].(string), `"Hello there"`) {
		t.Fatalf("dry run text:\n%s", r)
	}
	r = e.Run(nil, "send", "6", "--template", "order_update", "--lang", "en", "--param", "Ana", "--param", "A-77", "--param", "2 days", "--dry-run")
	if !strings.Contains(r.Stdout+r.Stderr, `template order_update (en) with "Ana", "A-77", "2 days"`) {
		t.Fatalf("dry run template:\n%s", r)
	}

	// --text-file - sends stdin as it is, JSON or not.
	r = e.Run(cmdtest.Str(`{"id": 1, "note": "literally this"}`), "send", "5", "--text-file", "-", "--force")
	if r.Code != 0 || len(e.Audit("message_sent", 5)) != 1 {
		t.Fatalf("--text-file - with JSON text:\n%s", r)
	}

	// Bounded: far more than a message is refused in one line.
	huge := strings.Repeat("x", 1<<20+10)
	r = e.Run(&huge, "send", "5", "--force")
	if r.Code != 2 || !strings.Contains(r.Stderr, "not a message") || !r.OneLineError() {
		t.Fatalf("huge stdin: exit %d\n%s", r.Code, r.Stderr)
	}
}
