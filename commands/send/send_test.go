package send_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/respondctl/respondctl/actions"
	"github.com/respondctl/respondctl/apiclient"
	"github.com/respondctl/respondctl/commands"
	"github.com/respondctl/respondctl/commands/cmdtest"
	"github.com/respondctl/respondctl/sandbox"
	"github.com/respondctl/respondctl/sandbox/store"
	"github.com/respondctl/respondctl/window"
)

func TestMain(m *testing.M) { cmdtest.Main(m, commands.Execute) }

// findContact returns the first demo contact whose last-used channel satisfies pick.
func findContact(t *testing.T, e *cmdtest.Env, pick func(ch actions.ContactChannel) bool) (int64, actions.ContactChannel) {
	t.Helper()
	p := actions.NewClientPlatform(e.Client(), nil, nil)
	for id := int64(17); id <= 300; id++ {
		chans, err := p.ContactChannels(context.Background(), apiclient.ContactID(id).String())
		if err != nil || len(chans) == 0 {
			continue
		}
		ch, _ := actions.PickChannel(chans, 0, "")
		if pick(ch) {
			return id, ch
		}
	}
	t.Fatal("no demo contact fits")
	return 0, actions.ContactChannel{}
}

// reachableOn returns the first demo contact that talks on workspace channel channelID.
func reachableOn(t *testing.T, e *cmdtest.Env, channelID int64) int64 {
	t.Helper()
	p := actions.NewClientPlatform(e.Client(), nil, nil)
	for id := int64(1); id <= 300; id++ {
		chans, _ := p.ContactChannels(context.Background(), apiclient.ContactID(id).String())
		for _, ch := range chans {
			if ch.ID == channelID {
				return id
			}
		}
	}
	t.Fatalf("no demo contact on channel %d", channelID)
	return 0
}

// findNotOn returns a demo contact with channels, none of them channelID (0 if none).
func findNotOn(t *testing.T, e *cmdtest.Env, channelID int64) int64 {
	t.Helper()
	p := actions.NewClientPlatform(e.Client(), nil, nil)
	for id := int64(1); id <= 50; id++ {
		chans, _ := p.ContactChannels(context.Background(), apiclient.ContactID(id).String())
		on := false
		for _, ch := range chans {
			on = on || ch.ID == channelID
		}
		if len(chans) > 0 && !on {
			return id
		}
	}
	return 0
}

func windowOpen(open bool) func(actions.ContactChannel) bool {
	return func(ch actions.ContactChannel) bool {
		st := window.Evaluate(ch.Source, ch.LastIncoming, time.Now())
		return ch.Source == "whatsapp_cloud" && st.Open == open && (open || !st.NeverOpened)
	}
}

// startWithDelivery starts a sandbox whose clock jumps forward by *advance after each send:
// the simulated delivery a --wait looks for is there on its first poll, with no real-time wait.
func startWithDelivery(t *testing.T) (*cmdtest.Env, *atomic.Int64) {
	clock := &cmdtest.SandboxClock{}
	e := cmdtest.Start(t, sandbox.Options{Seed: "demo", Rate: 500, Now: clock.Now})
	var advance atomic.Int64
	e.AfterSend(func() { clock.Advance(time.Duration(advance.Load())) })
	return e, &advance
}

func TestSendSingleAndWait(t *testing.T) {
	t.Parallel() // its own sandbox
	e, advance := startWithDelivery(t)
	id, _ := findContact(t, e, windowOpen(true))
	advance.Store(int64(store.DeliveredAfter * time.Second))
	r := e.Run(nil, "send", fmt.Sprint(id), "--text", "Your order has shipped", "--wait", "delivered", "--wait-timeout", "20s")
	if r.Code != 0 {
		t.Fatalf("%s", r)
	}
	mid, err := strconv.ParseInt(strings.TrimSpace(r.Stdout), 10, 64)
	if err != nil || mid == 0 || !strings.Contains(r.Stderr, fmt.Sprintf("message %d delivered", mid)) {
		t.Fatalf("stdout must be the message id: %s", r)
	}
	// WhatsApp reports read 10 s after sending: a 1 s wait times out, non-zero, naming the last status.
	advance.Store(0)
	r = e.Run(nil, "send", fmt.Sprint(id), "--text", "Anything else?", "--wait", "read", "--wait-timeout", "1s")
	if r.Code == 0 || !strings.Contains(r.Stderr, "not read after 1s (last status: ") || strings.TrimSpace(r.Stdout) == "" {
		t.Fatalf("wait timeout: %s", r)
	}
	// Text from stdin.
	r = e.Run(cmdtest.Str("from stdin\n"), "-o", "json", "send", fmt.Sprint(id))
	var recs []map[string]any
	if r.Code != 0 || json.Unmarshal([]byte(r.Stdout), &recs) != nil || recs[0]["messageId"] == nil {
		t.Fatalf("%s", r)
	}
	m, err := e.Client().GetMessage(context.Background(), apiclient.ContactID(id), int64(recs[0]["messageId"].(float64)))
	if err != nil || m.Message.Fields()["text"] != "from stdin" {
		t.Fatalf("%v %v", m, err)
	}
}

func TestSendRefusedOutsideWindow(t *testing.T) {
	t.Parallel() // its own sandbox
	e, advance := startWithDelivery(t)
	id, ch := findContact(t, e, windowOpen(false))
	r := e.Run(nil, "send", fmt.Sprint(id), "--text", "hello?")
	if r.Code != 1 || !strings.Contains(r.Stderr, `"`+ch.Name+`"`) || !strings.Contains(r.Stderr, "closed") ||
		!strings.Contains(r.Stderr, "--template") || r.Stdout != "" {
		t.Fatalf("%s", r)
	}
	if n := len(e.Audit("message_sent", id)); n != 0 {
		t.Fatalf("refused send reached the server %d times", n)
	}
	// A template goes out; --force sends and the channel fails it, which --wait reports.
	r = e.Run(nil, "send", fmt.Sprint(id), "--template", "order_update", "--lang", "en", "--param", "Aisha", "--param", "A-77", "--param", "Friday")
	if r.Code != 0 {
		t.Fatalf("template: %s", r)
	}
	advance.Store(int64(store.FailedAfter * time.Second))
	r = e.Run(nil, "send", fmt.Sprint(id), "--text", "hello?", "--force", "--wait", "delivered", "--wait-timeout", "20s")
	if r.Code != 1 || !strings.Contains(r.Stderr, "failed: Message failed to send because more than 24 hours") {
		t.Fatalf("force+wait: %s", r)
	}
}

func TestSendMessageKinds(t *testing.T) {
	t.Parallel() // its own sandbox
	e := cmdtest.Start(t, sandbox.Options{Seed: "demo", Rate: 500})
	id, _ := findContact(t, e, windowOpen(true))
	textFile := filepath.Join(t.TempDir(), "body.txt")
	if err := os.WriteFile(textFile, []byte("Invoice attached\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	onEmail := reachableOn(t, e, 35)
	onTelegram := reachableOn(t, e, 34)
	cases := []struct {
		to   int64
		args []string
		want map[string]any // fields of the message as the platform stored it
	}{
		{id, []string{"--attachment", "https://example.com/a.png", "--attachment-type", "image"},
			map[string]any{"type": "attachment"}},
		{id, []string{"--text", "Was this helpful?", "--quick-reply", "Yes", "--quick-reply", "No"},
			map[string]any{"type": "quick_reply", "title": "Was this helpful?"}},
		{id, []string{"--template", "order_update", "--lang", "en", "--param", "Aisha", "--param", "A-77", "--param", "2 days"},
			map[string]any{"type": "whatsapp_template"}},
		{onEmail, []string{"--text-file", textFile, "--email-subject", "Your invoice", "--channel", "Support Email"},
			map[string]any{"type": "email", "subject": "Your invoice"}},
		{onTelegram, []string{"--text", "via telegram", "--channel", "34"}, map[string]any{"type": "text", "text": "via telegram"}},
	}
	verified := 0
	for _, c := range cases {
		args := append([]string{"-o", "json", "send", fmt.Sprint(c.to)}, c.args...)
		r := e.Run(nil, args...)
		if r.Code != 0 {
			t.Errorf("%v: %s", c.args, r)
			continue
		}
		recs := cmdtest.Records(t, r.Stdout)
		m, err := e.Client().GetMessage(context.Background(), apiclient.ContactID(c.to), int64(recs[0]["messageId"].(float64)))
		if err != nil {
			t.Fatalf("%v: %v", c.args, err)
		}
		fields := m.Message.Fields()
		for k, v := range c.want {
			if fields[k] != v {
				t.Errorf("%v: stored %s = %v, want %v (%v)", c.args, k, fields[k], v, fields)
			}
		}
		verified++
	}
	if verified != len(cases) {
		t.Errorf("%d of %d message kinds verified", verified, len(cases))
	}
	// A channel the contact is not on is a clear error, and nothing is sent.
	if notOnEmail := findNotOn(t, e, 35); notOnEmail != 0 {
		r := e.Run(nil, "send", fmt.Sprint(notOnEmail), "--text", "x", "--channel", "Support Email")
		if r.Code == 0 || !strings.Contains(r.Stderr, `not reachable on channel "Support Email"`) {
			t.Errorf("unreachable channel: %s", r)
		}
	}
	for _, bad := range [][]string{{"--text", "x", "--template", "t", "--lang", "en"}, {"--attachment-type", "gif", "--attachment", "u"}, {"--channel", "Nope", "--text", "x"}} {
		r := e.Run(nil, append([]string{"send", fmt.Sprint(id)}, bad...)...)
		if r.Code == 0 {
			t.Errorf("%v accepted: %s", bad, r)
		}
	}
	if r := e.Run(nil, "send", "5", "6", "--text", "x", "--wait", "read"); r.Code != 2 {
		t.Errorf("--wait with two contacts: %s", r)
	}
	if n := len(e.Audit("message_sent", 0)); n > len(cases) {
		t.Errorf("%d messages for %d accepted sends", n, len(cases))
	}
}

func TestSendBulkDryRun(t *testing.T) {
	t.Parallel() // its own sandbox
	e := cmdtest.Start(t, sandbox.Options{Seed: "demo", Rate: 500})
	r := e.Run(nil, "send", "--view", "Unassigned", "--limit", "5", "--text", "We are closed tomorrow", "--dry-run")
	if r.Code != 0 && r.Code != 3 {
		t.Fatalf("%s", r)
	}
	if !strings.Contains(r.Stderr, "dry run:") || len(e.Audit("message_sent", 0)) != 0 {
		t.Fatalf("%s", r)
	}
}

// --wait puts the status it ended on into the result record (failureReason when the channel
// failed the message), printed once, after the wait; stderr and exit codes stay as without -o.
func TestSendWaitStatusInRecord(t *testing.T) {
	t.Parallel() // its own sandbox
	e, advance := startWithDelivery(t)
	open, _ := findContact(t, e, windowOpen(true))
	advance.Store(int64(store.DeliveredAfter * time.Second))
	r := e.Run(nil, "-o", "json", "send", fmt.Sprint(open), "--text", "Shipped", "--wait", "delivered", "--wait-timeout", "20s")
	recs := cmdtest.Records(t, r.Stdout)
	if r.Code != 0 || len(recs) != 1 || recs[0]["status"] != "delivered" || recs[0]["failureReason"] != nil ||
		!strings.Contains(r.Stderr, fmt.Sprintf("message %v delivered", recs[0]["messageId"])) {
		t.Fatalf("--wait delivered: %s", r)
	}
	// Timed out: non-zero as before, the record says the last status seen.
	advance.Store(0)
	r = e.Run(nil, "-o", "jsonl", "send", fmt.Sprint(open), "--text", "Anything else?", "--wait", "read", "--wait-timeout", "1s")
	var rec map[string]any
	if r.Code != 1 || strings.Count(r.Stdout, "\n") != 1 || json.Unmarshal([]byte(r.Stdout), &rec) != nil ||
		(rec["status"] != "pending" && rec["status"] != "sent") || !strings.Contains(r.Stderr, "not read after 1s") {
		t.Fatalf("--wait read timeout: %s", r)
	}
	closed, _ := findContact(t, e, windowOpen(false))
	advance.Store(int64(store.FailedAfter * time.Second))
	r = e.Run(nil, "-o", "json", "send", fmt.Sprint(closed), "--text", "hello?", "--force", "--wait", "delivered", "--wait-timeout", "20s")
	recs = cmdtest.Records(t, r.Stdout)
	if r.Code != 1 || recs[0]["outcome"] != "done" || recs[0]["status"] != "failed" ||
		!strings.HasPrefix(fmt.Sprint(recs[0]["failureReason"]), "Message failed to send because more than 24 hours") ||
		!strings.Contains(r.Stderr, "failed: Message failed to send") {
		t.Fatalf("--wait failed: %s", r)
	}
	// Without --wait the record has no status.
	r = e.Run(nil, "-o", "json", "send", fmt.Sprint(open), "--text", "no wait")
	if recs := cmdtest.Records(t, r.Stdout); r.Code != 0 || recs[0]["status"] != nil {
		t.Fatalf("no --wait: %s", r)
	}
}

// --template is checked against the channel's templates before anything is sent.
func TestSendTemplateChecks(t *testing.T) {
	t.Parallel() // its own sandbox; waits on rate limits and child processes, not the CPU
	e, advance := startWithDelivery(t)
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--template", "order_updte", "--lang", "en"}, `template "order_updte" not found on Support WhatsApp; did you mean order_update?`},
		{[]string{"--template", "order_update", "--lang", "fr"}, `template "order_update" has no language "fr" on Support WhatsApp; available: en, es, ms`},
		{[]string{"--template", "order_update", "--lang", "en", "--param", "x"}, `takes 3 body parameters, got 1 --param: Hi {{1}}, your order {{2}}`},
		{[]string{"--template", "holiday_promo", "--lang", "en", "--param", "a", "--param", "b"}, `is pending, not approved`},
		{[]string{"--template", "feedback_request", "--lang", "en", "--param", "a"}, `is rejected, not approved`},
		{[]string{"--template", "welcome_offer", "--lang", "en", "--param", "a", "--param", "b"}, `has an image header: give its media with --attachment URL`},
		{[]string{"--template", "hello_world", "--lang", "en_US", "--channel", "Acme Telegram Bot"}, `templates are sent on WhatsApp channels`},
	} {
		r := e.Run(nil, append([]string{"send", "1", "2"}, c.args...)...)
		if r.Code != 2 || !strings.Contains(r.Stderr, c.want) || !r.OneLineError() {
			t.Errorf("%v: %s", c.args, r)
		}
	}
	if n := len(e.Audit("message_sent", 0)); n != 0 {
		t.Fatalf("%d sends after refused templates", n)
	}
	advance.Store(int64(store.DeliveredAfter * time.Second))
	r := e.Run(nil, "send", "1", "--template", "welcome_offer", "--lang", "en", "--attachment", "https://example.com/w.jpg",
		"--attachment-type", "image", "--param", "Aisha", "--param", "10%", "--wait", "delivered", "--wait-timeout", "20s")
	if r.Code != 0 {
		t.Fatalf("media template: %s", r)
	}
}
