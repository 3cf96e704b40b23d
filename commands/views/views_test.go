package views

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"

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

func run(t *testing.T, opts *ViewsOptions, tty bool, format string) (string, string, error) {
	ios, _, out, errOut := output.Test()
	ios.SetStdoutTTY(tty)
	ios.SetColorEnabled(tty)
	ios.SetTerminalWidth(120)
	opts.IO = ios
	opts.Output = output.Options{Format: output.Format(format)}
	if opts.Context == nil {
		opts.Context = context.Background() // cobra's in a real run
	}
	err := viewsRun(opts)
	return out.String(), errOut.String(), err
}

func TestViewsTerminalShowsColouredDots(t *testing.T) {
	opts := &ViewsOptions{Session: sandboxSession(t, false)}
	out, _, err := run(t, opts, true, "table")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "\x1b[31m●") {
		t.Errorf("no red dot:\n%s", out)
	}
	if !strings.Contains(out, "\x1b[34m●") {
		t.Errorf("no blue dot (Waiting on customer has no unread):\n%s", out)
	}
}

func TestViewsPipedShowsWordsAndJSON(t *testing.T) {
	opts := &ViewsOptions{Session: sandboxSession(t, false)}
	out, _, err := run(t, opts, false, "table")
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(out, "\x1b[") || !strings.Contains(out, "All\t138\t51\tred") || !strings.Contains(out, "\tblue\t") {
		t.Errorf("piped table:\n%s", out)
	}
	out, _, err = run(t, opts, false, "json")
	if err != nil {
		t.Fatal(err)
	}
	var rows []map[string]any
	if err := json.Unmarshal([]byte(out), &rows); err != nil || len(rows) < 3 {
		t.Fatalf("json: %v\n%s", err, out)
	}
	for _, k := range []string{"name", "kind", "count", "unread"} {
		if _, ok := rows[0][k]; !ok {
			t.Errorf("json row lacks %q: %v", k, rows[0])
		}
	}
}

func TestViewsCoreOnlyUnreadUnknownWithFootnote(t *testing.T) {
	opts := &ViewsOptions{Session: sandboxSession(t, true)}
	out, errOut, err := run(t, opts, false, "table")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "All\t208\t?\t-") || !strings.Contains(errOut, "unread: unknown") {
		t.Errorf("core output:\n%s\nstderr: %s", out, errOut)
	}
	out, _, _ = run(t, opts, false, "json")
	if !strings.Contains(out, `"unread":null`) {
		t.Errorf("core json: %s", out)
	}
}

func TestViewsAlertExitsNonZero(t *testing.T) {
	a, _ := inbox.ParseViewAlert("unassigned>20")
	opts := &ViewsOptions{Session: sandboxSession(t, false), Alerts: []inbox.ViewAlert{a}}
	_, errOut, err := run(t, opts, false, "table")
	if cmdutil.ExitCode(err) != cmdutil.ExitAlert || !strings.Contains(errOut, "alert: view Unassigned has 49 contacts") {
		t.Fatalf("err=%v stderr=%s", err, errOut)
	}
	b, _ := inbox.ParseViewAlert("nosuchview>1")
	opts.Alerts = []inbox.ViewAlert{b}
	if out, _, err := run(t, opts, false, "table"); cmdutil.ExitCode(err) != cmdutil.ExitNotFound || out != "" {
		t.Fatalf("unknown view alert: %v; stdout %q", err, out)
	}
}

func TestViewsUnknownCurrentUserStillCountsTheOthers(t *testing.T) {
	srv := cmdtest.Start(t, sandbox.Options{})
	opts := &ViewsOptions{Session: func(ctx context.Context) (*inbox.Session, error) {
		return inbox.NewSession(ctx, srv.Client(), nil, func(context.Context) (*apiclient.User, error) {
			return nil, errors.New("profile \"default\" does not say who you are")
		})
	}}
	out, errOut, err := run(t, opts, false, "table")
	if cmdutil.ExitCode(err) != cmdutil.ExitError || !strings.Contains(out, "All\t138\t") || !strings.Contains(out, "Mine\terror\t?\t-") ||
		!strings.Contains(errOut, `view Mine: profile "default" does not say who you are`) {
		t.Fatalf("exit %d\nstdout:\n%s\nstderr:\n%s", cmdutil.ExitCode(err), out, errOut)
	}
	out, _, _ = run(t, opts, false, "json")
	if !strings.Contains(out, `"error":"profile \"default\" does not say who you are"`) {
		t.Errorf("json lacks the view's error: %s", out)
	}
}
