package send_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/respondctl/respondctl/actions"
	"github.com/respondctl/respondctl/actions/acttest"
	"github.com/respondctl/respondctl/apiclient"
	"github.com/respondctl/respondctl/sandbox"
	"github.com/respondctl/respondctl/window"
)

func TestMain(m *testing.M) {
	acttest.MaybeMain()
	os.Exit(m.Run())
}

// findContact returns the first demo contact whose last-used channel satisfies pick.
func findContact(t *testing.T, e *acttest.Env, pick func(ch actions.ContactChannel) bool) (int64, actions.ContactChannel) {
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

func windowOpen(open bool) func(actions.ContactChannel) bool {
	return func(ch actions.ContactChannel) bool {
		st := window.Evaluate(ch.Source, ch.LastIncoming, time.Now())
		return ch.Source == "whatsapp_cloud" && st.Open == open && (open || !st.NeverOpened)
	}
}

func TestSendSingleAndWait(t *testing.T) {
	e := acttest.Start(t, sandbox.Options{Seed: "demo", Rate: 500})
	id, _ := findContact(t, e, windowOpen(true))
	r := e.Run(nil, "send", fmt.Sprint(id), "--text", "Your order has shipped", "--wait", "delivered", "--wait-timeout", "20s")
	if r.Code != 0 {
		t.Fatalf("%s", r)
	}
	mid, err := strconv.ParseInt(strings.TrimSpace(r.Stdout), 10, 64)
	if err != nil || mid == 0 || !strings.Contains(r.Stderr, fmt.Sprintf("message %d delivered", mid)) {
		t.Fatalf("stdout must be the message id: %s", r)
	}
	// Text from stdin.
	r = e.Run(acttest.Str("from stdin\n"), "-o", "json", "send", fmt.Sprint(id))
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
	e := acttest.Start(t, sandbox.Options{Seed: "demo", Rate: 500})
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
	r = e.Run(nil, "send", fmt.Sprint(id), "--template", "order_update", "--lang", "en", "--param", "A-77")
	if r.Code != 0 {
		t.Fatalf("template: %s", r)
	}
	r = e.Run(nil, "send", fmt.Sprint(id), "--text", "hello?", "--force", "--wait", "delivered", "--wait-timeout", "20s")
	if r.Code != 1 || !strings.Contains(r.Stderr, "failed: Message failed to send because more than 24 hours") {
		t.Fatalf("force+wait: %s", r)
	}
}

func TestSendMessageKinds(t *testing.T) {
	e := acttest.Start(t, sandbox.Options{Seed: "demo", Rate: 500})
	id, _ := findContact(t, e, windowOpen(true))
	cases := [][]string{
		{"--attachment", "https://example.com/a.png", "--attachment-type", "image"},
		{"--text", "Was this helpful?", "--quick-reply", "Yes", "--quick-reply", "No"},
		{"--text", "Invoice attached", "--email-subject", "Your invoice", "--channel", "Support Email"},
		{"--text", "via telegram", "--channel", "34"},
	}
	for _, c := range cases {
		args := append([]string{"send", fmt.Sprint(id)}, c...)
		r := e.Run(nil, args...)
		// The contact may not be on the email or Telegram channel: that is a clear error.
		if r.Code != 0 && !strings.Contains(r.Stderr, "not reachable on channel") {
			t.Errorf("%v: %s", c, r)
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
}

func TestSendBulkDryRun(t *testing.T) {
	e := acttest.Start(t, sandbox.Options{Seed: "demo", Rate: 500})
	r := e.Run(nil, "send", "--view", "Unassigned", "--limit", "5", "--text", "We are closed tomorrow", "--dry-run")
	if r.Code != 0 && r.Code != 3 {
		t.Fatalf("%s", r)
	}
	if !strings.Contains(r.Stderr, "dry run:") || len(e.Audit("message_sent", 0)) != 0 {
		t.Fatalf("%s", r)
	}
}
