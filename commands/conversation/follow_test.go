package conversation

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/respondctl/respondctl/apiclient"
	"github.com/respondctl/respondctl/commands/cmdtest"
	"github.com/respondctl/respondctl/inbox"
	"github.com/respondctl/respondctl/output"
	"github.com/respondctl/respondctl/sandbox"
)

// lockedBuffer is stdout shared between the following command and the test.
type lockedBuffer = cmdtest.SyncBuffer

// waitFor polls the output until cond holds (the command runs in its own goroutine).
func waitFor(t *testing.T, out *lockedBuffer, what string, cond func(string) bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond(out.String()) {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s; output:\n%s", what, out)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestFollowPrintsNewMessagesAndStatusChanges(t *testing.T) {
	var clock atomic.Int64
	clock.Store(time.Now().Unix())
	now := func() time.Time { return time.Unix(clock.Load(), 0) }
	srv := cmdtest.Start(t, sandbox.Options{Now: now})

	ios, _, _, _ := output.Test()
	out := &lockedBuffer{}
	ios.Out = out
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	opts := &ShowOptions{IO: ios, Output: output.Options{Format: output.FormatJSONL}, Now: now, Session: srv.Session,
		Context: ctx, Contact: apiclient.ContactID(cmdtest.AishaID), Limit: 3, Follow: true, Interval: 20 * time.Millisecond}
	done := make(chan error, 1)
	go func() { done <- showRun(opts) }()
	waitFor(t, out, "the last 3 items", func(s string) bool { return strings.Count(s, "\n") >= 3 })

	sent, err := srv.Client().SendMessage(context.Background(), apiclient.ContactID(cmdtest.AishaID),
		apiclient.SendMessageRequest{Message: apiclient.TextMessage("follow me")})
	if err != nil {
		t.Fatal(err)
	}
	id := `"id":` + jsonInt(sent.MessageID)
	waitFor(t, out, "the new message", func(s string) bool { return strings.Contains(s, id) })

	clock.Add(60) // the sandbox delivers (and maybe reads) it
	want := `"kind":"status","messageId":` + jsonInt(sent.MessageID) + `,"contactId":1,"from":"pending","to":"`
	waitFor(t, out, "its status change", func(s string) bool { return strings.Contains(s, want) })
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Fatalf("a follow ended by Ctrl-C should end as interrupted (exit 130): %v", err)
	}
	for _, line := range strings.Split(strings.TrimSpace(out.String()), "\n") {
		var v map[string]any
		if err := json.Unmarshal([]byte(line), &v); err != nil {
			t.Fatalf("not JSON: %q", line)
		}
	}
	if strings.Count(out.String(), id+",") != 1 {
		t.Errorf("the new message was printed more than once:\n%s", out)
	}
}

// A first screen with no messages (--since, or a window of events only) leaves nothing in
// seenIDs; prime must make the newest items count as seen, or the first poll would print the
// whole conversation.
func TestPrimedFollowPrintsOnlyNewItems(t *testing.T) {
	now := time.Now
	srv := cmdtest.Start(t, sandbox.Options{})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	sess, err := srv.Session(ctx)
	if err != nil {
		t.Fatal(err)
	}
	req := inbox.HistoryRequest{Contact: apiclient.ContactID(cmdtest.AishaID), ContactName: "Aisha Rahman"}
	seen := newSeenIDs(true)
	if err := seen.prime(ctx, sess, req); err != nil {
		t.Fatal(err)
	}
	if seen.message == 0 {
		t.Fatal("prime saw no message in a conversation that has many")
	}
	sent, err := srv.Client().SendMessage(ctx, apiclient.ContactID(cmdtest.AishaID),
		apiclient.SendMessageRequest{Message: apiclient.TextMessage("only me")})
	if err != nil {
		t.Fatal(err)
	}

	ios, _, _, _ := output.Test()
	out := &lockedBuffer{}
	ios.Out = out
	p, err := output.NewPrinter(ios, output.Options{Format: output.FormatJSONL}, output.Spec{})
	if err != nil {
		t.Fatal(err)
	}
	opts := &ShowOptions{IO: ios, Now: now, Interval: 10 * time.Millisecond}
	done := make(chan error, 1)
	go func() { done <- follow(ctx, opts, sess, req, seen, p) }()
	id := `"id":` + jsonInt(sent.MessageID)
	waitFor(t, out, "the new message", func(s string) bool { return strings.Contains(s, id) })
	cancel()
	<-done
	for _, line := range strings.Split(strings.TrimSpace(out.String()), "\n") {
		if !strings.Contains(line, id) {
			t.Errorf("printed an old item: %.120s", line)
		}
	}
}

func jsonInt(n int64) string {
	b, _ := json.Marshal(n)
	return string(b)
}

func TestStatusChangeLine(t *testing.T) {
	var b bytes.Buffer
	at := time.Date(2026, 11, 24, 10, 3, 0, 0, time.UTC)
	h := inbox.HistoryItem{Kind: inbox.KindStatus, StatusChange: &inbox.StatusChange{MessageID: 88001, From: "delivered", To: "read", Time: at}}
	if err := writeItem(&b, h, false, output.NewColorScheme(false), time.UTC); err != nil {
		t.Fatal(err)
	}
	if got := b.String(); got != "2026-11-24 10:03  · message 88001 delivered → read\n" {
		t.Errorf("got %q", got)
	}
}
