package webhook

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestSignTestVector(t *testing.T) {
	got := Sign("secret", []byte(`{"event":"message","data":"test"}`))
	if want := "UtAE5LaeNjrL33PUEQfh69YKw7UhrrkOL9tQN0+xIrI="; got != want {
		t.Fatalf("Sign = %s, want %s", got, want)
	}
}

func TestVerify(t *testing.T) {
	body := []byte(`{"event":"message","data":"test"}`)
	keys, err := NewKeys("other-key", " secret ", "")
	if err != nil {
		t.Fatal(err)
	}
	if keys.Len() != 2 {
		t.Fatalf("Len = %d, want 2 (blank dropped)", keys.Len())
	}
	good := "UtAE5LaeNjrL33PUEQfh69YKw7UhrrkOL9tQN0+xIrI="
	cases := []struct {
		name string
		body []byte
		sig  string
		want bool
	}{
		{"second key signs", body, good, true},
		{"surrounding spaces in header", body, " " + good + " ", true},
		{"unsigned", body, "", false},
		{"not base64", body, "!!!", false},
		{"truncated signature", body, good[:20], false},
		{"truncated body", body[:len(body)-1], good, false},
		{"extra byte", append(append([]byte{}, body...), ' '), good, false},
		{"signed with another key", body, Sign("nope", body), false},
		{"hex instead of base64", body, strings.Repeat("ab", 32), false},
	}
	for _, c := range cases {
		if got := keys.Verify(c.body, c.sig); got != c.want {
			t.Errorf("%s: Verify = %v, want %v", c.name, got, c.want)
		}
	}
	if _, err := NewKeys(" ", ""); err != ErrNoKeys {
		t.Errorf("NewKeys of blanks: err = %v, want ErrNoKeys", err)
	}
}

func TestParseKeysFile(t *testing.T) {
	got := ParseKeysFile([]byte("# webhooks\nk1\n\n  k2  \r\n"))
	if strings.Join(got, ",") != "k1,k2" {
		t.Fatalf("got %q", got)
	}
}

func readEvent(t *testing.T, name string) *Event {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "events", name+".json"))
	if err != nil {
		t.Fatal(err)
	}
	e, err := Parse(b)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return e
}

func TestParseEveryType(t *testing.T) {
	for _, typ := range Types {
		e := readEvent(t, typ)
		if e.Type != typ || e.ID == "" || e.Contact == nil || e.Contact.ID == 0 {
			t.Errorf("%s: type=%q id=%q contact=%+v", typ, e.Type, e.ID, e.Contact)
		}
	}
}

func TestParseShapes(t *testing.T) {
	e := readEvent(t, MessageReceived)
	if e.Contact.ID != 1234 || e.Message.ID != 88001 || e.Message.ChannelMessageID != "456" || e.Message.Traffic != "incoming" ||
		e.Message.Type != "text" || e.Message.Text != "Hi" || e.TimeMS != 1732400100123 {
		t.Errorf("message.received: %+v %+v time=%d", e.Contact, e.Message, e.TimeMS)
	}
	if e.Channel == nil || e.Channel.Meta["phone"] != "+60111" {
		t.Errorf("channel.meta as a JSON string not decoded: %+v", e.Channel)
	}
	if len(e.Contact.Fields) != 1 || e.Contact.Fields[0].Name != "order_id" || e.Contact.Fields[0].Value != "A-77" {
		t.Errorf("flattened custom field: %+v", e.Contact.Fields)
	}
	if !e.Contact.HasAssignee || e.Contact.Assignee != nil || *e.Contact.Lifecycle != "Hot Lead" {
		t.Errorf("assignee/lifecycle: %+v", e.Contact)
	}

	e = readEvent(t, MessageSent)
	if e.Message.ID != 88002 || e.Message.Traffic != "outgoing" || e.TimeMS != 1732400200000 || e.Sender.Source != "user" ||
		e.Sender.UserID != 7 || e.User.Name() != "Lee Wong" || e.Contact.Assignee.ID != 7 {
		t.Errorf("message.sent: %+v %+v %+v", e.Message, e.Sender, e.User)
	}
	if len(e.Contact.Fields) != 1 || e.Contact.Fields[0].Value != "A-77" {
		t.Errorf("custom_fields list: %+v", e.Contact.Fields)
	}

	e = readEvent(t, ContactUpdated)
	if e.Contact.HasAssignee || e.Contact.HasLifecycle || !e.Contact.HasTags || len(e.Contact.Tags) != 2 {
		t.Errorf("partial contact: %+v", e.Contact)
	}

	e = readEvent(t, ContactTagUpdated)
	if e.Tag != "vip" || e.Action != "add" {
		t.Errorf("tag: %q %q", e.Tag, e.Action)
	}
	e = readEvent(t, ContactLifecycleUpdated)
	if *e.Lifecycle != "Customer" || *e.OldLifecycle != "Hot Lead" || e.Action != "updated" {
		t.Errorf("lifecycle: %+v", e)
	}
	e = readEvent(t, ConversationClosed)
	c := e.Conversation
	if c.Category != "Resolved" || c.Summary != "Refund issued" || c.ClosedBySource != "user" || c.ClosedBy.ID != 7 ||
		e.TimeMS != 1732401000000 || c.OpenedMS != 1732400100000 {
		t.Errorf("closed: %+v time=%d", c, e.TimeMS)
	}
	e = readEvent(t, ConversationOpened)
	if e.Conversation.Source != "contact" || e.TimeMS != 1732400100000 {
		t.Errorf("opened: %+v", e.Conversation)
	}
	e = readEvent(t, CommentCreated)
	if e.Text != "Called back, waiting for the invoice" {
		t.Errorf("comment: %q", e.Text)
	}
	e = readEvent(t, CallEnded)
	if e.Call["status"] != "completed" || e.TimeMS != 1732402095000 {
		t.Errorf("call: %+v %d", e.Call, e.TimeMS)
	}
}

func TestParsePingAndBadBodies(t *testing.T) {
	e, err := Parse([]byte(`{"event":"message","data":"test"}`))
	if err != nil || !e.Ping() || !strings.HasPrefix(e.ID, "sha256:") {
		t.Fatalf("ping: %+v %v", e, err)
	}
	for _, bad := range []string{``, `[]`, `"x"`, `{"event_type":`, `{"event_type":5}`, `null`} {
		if _, err := Parse([]byte(bad)); err == nil {
			t.Errorf("Parse(%q) accepted", bad)
		}
	}
	// Tolerated: unknown types, missing objects, ids as strings, lifecycle "".
	e, err = Parse([]byte(`{"event_type":"Contact.Updated","event_id":"x","contact":{"id":"12","lifecycle":"","tags":"a, b"}}`))
	if err != nil || e.Type != ContactUpdated || e.Contact.ID != 12 || e.Contact.Lifecycle != nil || len(e.Contact.Tags) != 2 {
		t.Fatalf("tolerant: %+v %+v %v", e, e.Contact, err)
	}
}
