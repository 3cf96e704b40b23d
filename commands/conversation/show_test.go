package conversation

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/respondctl/respondctl/apiclient"
	"github.com/respondctl/respondctl/commands/cmdtest"
	"github.com/respondctl/respondctl/commands/cmdutil"
	"github.com/respondctl/respondctl/inbox"
	"github.com/respondctl/respondctl/output"
	"github.com/respondctl/respondctl/sandbox"
)

func sandboxSession(t *testing.T, core bool) func(ctx context.Context) (*inbox.Session, error) {
	return cmdtest.Start(t, sandbox.Options{CoreOnly: core}).Session
}

func runShow(t *testing.T, opts *ShowOptions, tty bool, format string) (string, string, error) {
	ios, _, out, errOut := output.Test()
	ios.SetStdoutTTY(tty)
	ios.SetColorEnabled(tty)
	opts.IO, opts.Now = ios, time.Now
	opts.Output = output.Options{Format: output.Format(format), Loc: time.UTC}
	if opts.Context == nil {
		opts.Context = context.Background() // cobra's in a real run
	}
	err := showRun(opts)
	return out.String(), errOut.String(), err
}

func TestFailedMessageIsRedOnTerminal(t *testing.T) {
	opts := &ShowOptions{Session: sandboxSession(t, false), Contact: apiclient.ContactID(5), All: true}
	out, _, err := runShow(t, opts, true, "table")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "\x1b[31m✗ failed") {
		t.Errorf("no red failed status:\n%s", out)
	}
	out, _, _ = runShow(t, opts, false, "table")
	if strings.Contains(out, "\x1b[") || !strings.Contains(out, "✗ failed") {
		t.Errorf("piped:\n%s", out)
	}
}

func TestJSONLItemsAreTypedAndOldestFirst(t *testing.T) {
	opts := &ShowOptions{Session: sandboxSession(t, false), Contact: apiclient.ContactID(1), All: true}
	out, _, err := runShow(t, opts, false, "jsonl")
	if err != nil {
		t.Fatal(err)
	}
	kinds := map[string]int{}
	var prev string
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		var item struct {
			Kind string  `json:"kind"`
			Time *string `json:"time"`
		}
		if err := json.Unmarshal([]byte(line), &item); err != nil {
			t.Fatal(err)
		}
		kinds[item.Kind]++
		if item.Time != nil {
			if *item.Time < prev {
				t.Errorf("%s before %s", *item.Time, prev)
			}
			prev = *item.Time
		}
	}
	if kinds["message"] == 0 || kinds["event"] == 0 {
		t.Errorf("kinds = %v", kinds)
	}
}

func TestCoreOnlyNoticeAndNoEvents(t *testing.T) {
	opts := &ShowOptions{Session: sandboxSession(t, true), Contact: apiclient.ContactID(1), Limit: 50}
	out, errOut, err := runShow(t, opts, false, "jsonl")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(errOut, "events are unavailable from this server") || strings.Contains(out, `"kind":"event"`) {
		t.Errorf("stderr=%q", errOut)
	}
}

func TestUnknownContactExits5(t *testing.T) {
	opts := &ShowOptions{Session: sandboxSession(t, false), Contact: apiclient.ContactID(99999), Limit: 50}
	_, _, err := runShow(t, opts, false, "table")
	if cmdutil.ExitCode(err) != cmdutil.ExitNotFound || err.Error() != "contact id:99999 not found" {
		t.Fatalf("err = %v (exit %d)", err, cmdutil.ExitCode(err))
	}
}

func TestBadInputIsUsageErrorBeforeAnyRequest(t *testing.T) {
	ios, _, _, _ := output.Test()
	f := &cmdutil.Factory{IOStreams: ios, Global: &cmdutil.GlobalOptions{}, Now: time.Now,
		APIClient: func() (*apiclient.Client, error) { t.Fatal("client built for bad input"); return nil, nil }}
	for _, args := range [][]string{{"not an id"}, {"1", "--since", "yesterdayish"}, {"1", "--all", "--limit", "5"}} {
		cmd := NewCmdShow(f, nil)
		cmd.SetArgs(args)
		cmd.SetOut(ios.Out)
		cmd.SetErr(ios.ErrOut)
		err := cmd.Execute()
		if cmdutil.ExitCode(err) != cmdutil.ExitUsage {
			t.Errorf("%v: err = %v", args, err)
		}
	}
}

// Only the binary running this one command may put the stream on one P: GOMAXPROCS is
// process-wide, so not beside in-process tests or the in-process sandbox serving the pages.
func TestWholeConversationRunsOnOnePOnlyAlone(t *testing.T) {
	for _, tc := range []struct {
		sole, sandbox, want bool
	}{{true, false, true}, {false, false, false}, {true, true, false}} {
		ios, _, _, _ := output.Test()
		f := &cmdutil.Factory{IOStreams: ios, Global: &cmdutil.GlobalOptions{Sandbox: tc.sandbox}, Now: time.Now, SoleCommand: tc.sole}
		var got *ShowOptions
		cmd := NewCmdShow(f, func(o *ShowOptions) error { got = o; return nil })
		cmd.SetArgs([]string{"1", "--all"})
		cmd.SetOut(ios.Out)
		cmd.SetErr(ios.ErrOut)
		if err := cmd.Execute(); err != nil {
			t.Fatal(err)
		}
		if got.OneP != tc.want {
			t.Errorf("sole command %v, --sandbox %v: OneP %v, want %v", tc.sole, tc.sandbox, got.OneP, tc.want)
		}
	}
}
