package actions

import (
	"strings"
	"testing"
	"time"
)

// A closed window gets the advice of its channel: templates on WhatsApp, message tags on
// Messenger, nothing on Instagram; --template is refused on a non-WhatsApp channel and
// --message-tag off Messenger, before anything is sent.
func TestClosedWindowAdvicePerChannel(t *testing.T) {
	f := newFake()
	now := func() time.Time { return testNow }
	old := testNow.Add(-10 * 24 * time.Hour)
	wa := f.addContact(1, StatusOpen, ContactChannel{ID: 31, Name: "Support WhatsApp", Source: "whatsapp_cloud", LastMessage: old, LastIncoming: old})
	fb := f.addContact(2, StatusOpen, ContactChannel{ID: 32, Name: "Acme Facebook Page", Source: "facebook", LastMessage: old, LastIncoming: old})
	ig := f.addContact(3, StatusOpen, ContactChannel{ID: 33, Name: "Acme Instagram", Source: "instagram", LastMessage: old, LastIncoming: old})
	tg := f.addContact(4, StatusOpen, ContactChannel{ID: 34, Name: "Telegram", Source: "telegram", LastMessage: old, LastIncoming: old})

	detail := func(spec *SendSpec, id string) (string, int) {
		t.Helper()
		sent := len(f.sent)
		res, _ := run(t, f, Spec{Verb: VerbSend, Send: spec, Now: now}, targetsOf(id), false)
		return res[0].Detail, len(f.sent) - sent
	}
	for _, tc := range []struct {
		id         string
		want, lack []string
	}{
		{wa, []string{"templates only", "--template NAME --lang CODE", "--force"}, []string{"--message-tag"}},
		{fb, []string{"message tags only", "--message-tag ACCOUNT_UPDATE|CONFIRMED_EVENT_UPDATE|POST_PURCHASE_UPDATE", "--force"}, []string{"--template"}},
		{ig, []string{"nothing until the contact writes again", "--force"}, []string{"--template", "--message-tag "}},
	} {
		d, n := detail(&SendSpec{Text: "hi"}, tc.id)
		if n != 0 {
			t.Errorf("%s: sent outside the window", tc.id)
		}
		for _, w := range tc.want {
			if !strings.Contains(d, w) {
				t.Errorf("%s: %q lacks %q", tc.id, d, w)
			}
		}
		for _, w := range tc.lack {
			if strings.Contains(d, w) {
				t.Errorf("%s: %q should not say %q", tc.id, d, w)
			}
		}
	}
	if d, n := detail(&SendSpec{Text: "hi"}, tg); n != 1 {
		t.Errorf("telegram has no window, yet: %q", d)
	}

	// A tagged text goes out on Messenger past the window, with the tag in the message.
	if d, n := detail(&SendSpec{Text: "Your booking is confirmed", MessageTag: "confirmed_event_update"}, fb); n != 1 {
		t.Fatalf("tagged text refused: %q", d)
	}
	if got := f.sent[len(f.sent)-1].message; got["messageTag"] != "CONFIRMED_EVENT_UPDATE" || got["type"] != "text" {
		t.Errorf("message %v", got)
	}
	// Refused locally: a template off WhatsApp, a tag off Messenger.
	if d, n := detail(&SendSpec{Template: "order_update", Lang: "en"}, fb); n != 0 || !strings.Contains(d, "WhatsApp template") || !strings.Contains(d, "--message-tag") {
		t.Errorf("template on Messenger: sent %d, %q", n, d)
	}
	if d, n := detail(&SendSpec{Template: "order_update", Lang: "en"}, tg); n != 0 || !strings.Contains(d, "send a text instead") {
		t.Errorf("template on Telegram: sent %d, %q", n, d)
	}
	if d, n := detail(&SendSpec{Text: "hi", MessageTag: "ACCOUNT_UPDATE"}, wa); n != 0 || !strings.Contains(d, "--message-tag is for Facebook Messenger") {
		t.Errorf("tag on WhatsApp: sent %d, %q", n, d)
	}
}

func TestMessageTagValidatedLocally(t *testing.T) {
	for _, s := range []SendSpec{
		{Text: "hi", MessageTag: "PROMO"},
		{Text: "hi", MessageTag: "HUMAN_AGENT"},
		{MessageTag: "ACCOUNT_UPDATE"},
		{Template: "t", Lang: "en", MessageTag: "ACCOUNT_UPDATE"},
		{Text: "q", QuickReplies: []string{"a"}, MessageTag: "ACCOUNT_UPDATE"},
	} {
		if _, err := s.Message(); err == nil {
			t.Errorf("%+v: no error", s)
		}
	}
}
