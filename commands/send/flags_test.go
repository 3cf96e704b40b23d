package send_test

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/respondctl/respondctl/commands/cmdtest"
	"github.com/respondctl/respondctl/commands/cmdutil"
	"github.com/respondctl/respondctl/commands/send"
	"github.com/respondctl/respondctl/sandbox"
	"github.com/spf13/cobra"
)

func TestSendFlagCombinations(t *testing.T) {
	build := func(f *cmdutil.Factory, reached *bool) *cobra.Command {
		return send.NewCmdSend(f, func(*send.SendOptions) error { *reached = true; return nil })
	}
	const resume = "--resume takes the contacts and the message from the journal"
	cmdtest.CheckFlags(t, build, []cmdtest.FlagCase{
		{Args: []string{"--resume", "j.jsonl", "5"}, Want: resume},
		{Args: []string{"--resume", "j.jsonl", "--text", "hi"}, Want: resume},
		{Args: []string{"--resume", "j.jsonl", "--template", "order_update"}, Want: resume},
		{Args: []string{"--resume", "j.jsonl", "--channel", "31"}, Want: resume},
		{Args: []string{"--resume", "j.jsonl", "--wait", "read"}, Want: resume},
		{Args: []string{"--resume", "j.jsonl", "--view", "Mine"}, Want: resume},
		{Args: []string{"--resume", "j.jsonl", "--quick-reply", "Yes"}, Want: resume},
		{Args: []string{"5", "--text", "hi", "--text-file", "body.txt"}, Want: "--text and --text-file cannot be used together"},
		{Args: []string{"5", "--text", "hi", "--wait", "sent"}, Want: `invalid --wait "sent": use delivered or read`},
		{Args: []string{"5", "6", "--text", "hi", "--wait", "read"}, Want: "--wait follows one message"},
		{Args: []string{"--view", "Mine", "--text", "hi", "--wait", "read"}, Want: "--wait follows one message"},
		{Args: []string{"5", "--input", "ids.txt", "--text", "hi", "--wait", "read"}, Want: "--wait follows one message"},
		{Args: []string{"5", "--text", "hi", "--wait", "delivered", "--dry-run"}, Want: "--wait cannot be used with --dry-run"},
		{Args: []string{"5", "--text", "hi", "--wait", "delivered"}},
		{Args: []string{"--resume", "j.jsonl"}},
		{Args: []string{"5", "6", "--text", "hi", "--dry-run"}},
	})
}

// The usage errors found only once the run reads its inputs (stdin, the journal).
func TestSendUsageErrorsFoundWhileRunning(t *testing.T) {
	t.Parallel() // its own sandbox
	e := cmdtest.Start(t, sandbox.Options{Rate: 500})
	if r := e.Run(cmdtest.Str("5\n6\n"), "send", "--input", "-", "--text-file", "-"); r.Code != cmdutil.ExitUsage ||
		!strings.Contains(r.Stderr, "--text-file - and --input - both read stdin") {
		t.Errorf("--input - and --text-file -: %s", r)
	}
	if r := e.Run(cmdtest.Str("5\n6\n"), "send", "--input", "-"); r.Code != cmdutil.ExitUsage ||
		!strings.Contains(r.Stderr, "nothing to send") {
		t.Errorf("--input - without a message: %s", r)
	}
	journal := filepath.Join(t.TempDir(), "assign.jsonl")
	if r := e.Run(nil, "assign", "5", "6", "--to", "Lee", "--journal", journal); r.Code != 0 {
		t.Fatalf("assign: %s", r)
	}
	if r := e.Run(nil, "send", "--resume", journal); r.Code != cmdutil.ExitUsage ||
		!strings.Contains(r.Stderr, `records "assign": run `+"`respondctl assign --resume "+journal+"`") {
		t.Errorf("--resume of another verb's journal: %s", r)
	}
	// A message the contact's channel cannot carry is the command line's fault: exit 2 for one
	// contact; in a bulk run each contact fails on its own (exit 3).
	if r := e.Run(nil, "send", "1", "--text", "hi", "--message-tag", "ACCOUNT_UPDATE"); r.Code != cmdutil.ExitUsage ||
		!strings.Contains(r.Stderr, "--message-tag is for Facebook Messenger") {
		t.Errorf("--message-tag on WhatsApp: %s", r)
	}
	if r := e.Run(nil, "send", "61", "--template", "order_update", "--lang", "en", "--param", "Ana", "--param", "A-77", "--param", "Friday"); r.Code != cmdutil.ExitUsage ||
		!strings.Contains(r.Stderr, "WhatsApp template, but") {
		t.Errorf("--template on Messenger: %s", r)
	}
	if r := e.Run(cmdtest.Str("1\n2\n"), "send", "--input", "-", "--text", "hi", "--message-tag", "ACCOUNT_UPDATE"); r.Code != cmdutil.ExitPartial {
		t.Errorf("bulk --message-tag on WhatsApp contacts: %s", r)
	}
	for _, args := range [][]string{{"--workers", "-3"}, {"--view", "Unassigned", "--limit", "-1"}} {
		if r := e.Run(nil, append([]string{"send", "5", "--text", "hi"}, args...)...); r.Code != cmdutil.ExitUsage || !strings.Contains(r.Stderr, "use 1 or more") {
			t.Errorf("%v: %s", args, r)
		}
	}
	if n := len(e.Audit("message_sent", 0)); n != 0 {
		t.Errorf("%d messages sent by refused command lines", n)
	}
}
