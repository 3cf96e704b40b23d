package apiclient

import (
	"encoding/json"
	"strings"
	"testing"
)

const contactJSON = `{
  "id": 1234, "firstName": "Aisha", "lastName": null, "phone": "+60123456789",
  "email": null, "language": "en", "profilePic": null, "countryCode": "MY",
  "status": "open", "assignee": {"id": 7, "firstName": "Lee", "lastName": "Wong", "email": "lee@example.com"},
  "lifecycle": null, "tags": ["vip"],
  "custom_fields": [{"name": "order_id", "value": "A-77"}, {"name": "n", "value": 3}, {"name": "b", "value": true}, {"name": "z", "value": null}],
  "created_at": 1732400000, "locale": "en_MY", "isBlocked": false,
  "lastMessageTime": 1732400500, "unreadCount": 2, "snoozedUntil": null
}`

func TestContactDecode(t *testing.T) {
	var c Contact
	if err := json.Unmarshal([]byte(contactJSON), &c); err != nil {
		t.Fatal(err)
	}
	if c.ID != 1234 || c.FirstName != "Aisha" || c.LastName != nil || c.Email != nil || *c.Phone != "+60123456789" {
		t.Errorf("contact = %+v", c)
	}
	if c.Assignee == nil || c.Assignee.ID != 7 || c.Lifecycle != nil || c.CreatedAt != 1732400000 {
		t.Errorf("assignee/lifecycle = %+v %v", c.Assignee, c.Lifecycle)
	}
	if len(c.CustomFields) != 4 || c.CustomFields[0].Value != "A-77" || c.CustomFields[1].Value != float64(3) ||
		c.CustomFields[2].Value != true || c.CustomFields[3].Value != nil {
		t.Errorf("custom fields = %+v", c.CustomFields)
	}
	if c.LastMessageTime == nil || *c.LastMessageTime != 1732400500 || c.UnreadCount == nil || *c.UnreadCount != 2 || c.SnoozedUntil != nil {
		t.Errorf("EXT fields = %v %v %v", c.LastMessageTime, c.UnreadCount, c.SnoozedUntil)
	}

	var core Contact
	if err := json.Unmarshal([]byte(`{"id":1,"firstName":"A","assignee":null,"custom_fields":null}`), &core); err != nil {
		t.Fatal(err)
	}
	if core.Assignee != nil || core.CustomFields != nil || core.LastMessageTime != nil || core.UnreadCount != nil {
		t.Errorf("core contact = %+v", core)
	}
}

func TestMessageDecodeKeepsUnknownTypes(t *testing.T) {
	in := `{"messageId": 88001, "channelMessageId": "wamid.X", "contactId": 1234, "channelId": 31,
	  "traffic": "outgoing", "message": {"type": "card", "title": "Menu", "buttons": [{"label": "A"}]},
	  "sender": {"source": "user", "userId": 7, "teamId": 2},
	  "status": [{"value": "sent", "timestamp": 1732400100}, {"value": "failed", "timestamp": 1732400200, "message": "window closed"}],
	  "someNewField": 1}`
	var m Message
	if err := json.Unmarshal([]byte(in), &m); err != nil {
		t.Fatal(err)
	}
	if m.Message.Type != "card" || m.Sender.UserID != 7 || len(m.Status) != 2 || m.Status[1].Message != "window closed" || m.Timestamp != nil {
		t.Errorf("message = %+v", m)
	}
	if _, ok := m.Message.AsText(); ok {
		t.Error("card decoded as text")
	}
	out, err := json.Marshal(m.Message)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(out), `"buttons":[{"label":"A"}]`) {
		t.Errorf("unknown type not preserved: %s", out)
	}
	if f := m.Message.Fields(); f["title"] != "Menu" {
		t.Errorf("Fields = %v", f)
	}
}

func TestMessageBodyAccessors(t *testing.T) {
	cases := map[string]func(MessageBody) bool{
		`{"type":"text","text":"Hi"}`: func(b MessageBody) bool { v, ok := b.AsText(); return ok && v.Text == "Hi" },
		`{"type":"attachment","attachment":{"type":"image","url":"https://x/y.png"}}`: func(b MessageBody) bool {
			v, ok := b.AsAttachment()
			return ok && v.Attachment.Type == "image" && v.Attachment.URL == "https://x/y.png"
		},
		`{"type":"email","message":"Body","subject":"S"}`: func(b MessageBody) bool {
			v, ok := b.AsEmail()
			return ok && v.Body() == "Body" && v.Subject == "S"
		},
		`{"type":"quick_reply","title":"Pick","replies":["a","b"]}`: func(b MessageBody) bool {
			v, ok := b.AsQuickReply()
			return ok && v.Title == "Pick" && len(v.Replies) == 2
		},
		`{"type":"whatsapp_template","template":{"name":"hello","languageCode":"en","components":[{"type":"body"}]}}`: func(b MessageBody) bool {
			v, ok := b.AsTemplate()
			return ok && v.Template.Name == "hello" && len(v.Template.Components) == 1
		},
		`{"type":"location","latitude":3.1,"longitude":101.6,"address":"KL"}`: func(b MessageBody) bool {
			v, ok := b.AsLocation()
			return ok && v.Latitude == 3.1 && v.Address == "KL"
		},
		`{"type":"custom_payload","payload":{"k":1}}`: func(b MessageBody) bool { _, ok := b.AsCustomPayload(); return ok },
		`{"type":"text","text":5}`:                    func(b MessageBody) bool { _, ok := b.AsText(); return !ok },
	}
	for in, check := range cases {
		var b MessageBody
		if err := json.Unmarshal([]byte(in), &b); err != nil {
			t.Fatalf("%s: %v", in, err)
		}
		if !check(b) {
			t.Errorf("accessor failed for %s", in)
		}
	}
}

func TestSendBodies(t *testing.T) {
	ch := int64(31)
	b, _ := json.Marshal(SendMessageRequest{ChannelID: &ch, Message: TextMessage("Hi")})
	if string(b) != `{"channelId":31,"message":{"type":"text","text":"Hi"}}` {
		t.Errorf("send body = %s", b)
	}
	b, _ = json.Marshal(SendMessageRequest{Message: AttachmentMessage("image", "https://x/y.png")})
	if string(b) != `{"message":{"type":"attachment","attachment":{"type":"image","url":"https://x/y.png"}}}` {
		t.Errorf("send body = %s", b)
	}
	if _, err := CustomPayloadMessage(make(chan int)); err == nil {
		t.Error("unencodable payload accepted")
	}
	tm, err := TemplateMessage(Template{Name: "hello", LanguageCode: "en"})
	if err != nil || tm.Type != TypeTemplate {
		t.Errorf("template = %v %v", tm, err)
	}
	e := EmailMessage(EmailContent{Text: "Body", Subject: "S"})
	if v, ok := e.AsEmail(); !ok || v.Type != "email" {
		t.Errorf("email = %s", e.Raw)
	}
}

func TestFilterJSON(t *testing.T) {
	f := &Filter{And: []Condition{
		FieldCondition("firstName", OpIsEqualTo, "Aisha"),
		TagCondition(OpHasAnyOf, "vip"),
		FieldCondition("createdAt", OpIsTimestampBetween, Range{From: "2024-01-01 00:00", To: "2024-02-01 00:00"}),
		FieldCondition("assigneeUserId", OpDoesNotExist, nil),
	}}
	b, err := json.Marshal(ContactListRequest{Filter: f}.wire())
	if err != nil {
		t.Fatal(err)
	}
	want := `{"search":"","timezone":"UTC","filter":{"$and":[` +
		`{"category":"contactField","field":"firstName","operator":"isEqualTo","value":"Aisha"},` +
		`{"category":"contactTag","field":null,"operator":"hasAnyOf","value":["vip"]},` +
		`{"category":"contactField","field":"createdAt","operator":"isTimestampBetween","value":{"from":"2024-01-01 00:00","to":"2024-02-01 00:00"}},` +
		`{"category":"contactField","field":"assigneeUserId","operator":"doesNotExist","value":null}]}}`
	if string(b) != want {
		t.Errorf("got  %s\nwant %s", b, want)
	}
	b, _ = json.Marshal(ContactListRequest{Search: "x", Timezone: "Asia/Kuala_Lumpur"}.wire())
	// filter is always sent, as the vendor SDK's types require.
	if string(b) != `{"search":"x","timezone":"Asia/Kuala_Lumpur","filter":{"$and":[]}}` {
		t.Errorf("got %s", b)
	}
	// Condition values are strings on the wire, whatever Go type built them.
	b, _ = json.Marshal(ContactListRequest{Filter: &Filter{And: []Condition{
		FieldCondition("assigneeUserId", OpIsEqualTo, int64(7)),
		FieldCondition("unread", OpIsGreaterThan, 0),
		FieldCondition("score", OpIsBetween, map[string]any{"from": 1.5, "to": 3}),
		TagCondition(OpHasAnyOf, "vip"),
	}}}.wire())
	wantStrings := `{"search":"","timezone":"UTC","filter":{"$and":[` +
		`{"category":"contactField","field":"assigneeUserId","operator":"isEqualTo","value":"7"},` +
		`{"category":"contactField","field":"unread","operator":"isGreaterThan","value":"0"},` +
		`{"category":"contactField","field":"score","operator":"isBetween","value":{"from":"1.5","to":"3"}},` +
		`{"category":"contactTag","field":null,"operator":"hasAnyOf","value":["vip"]}]}}`
	if string(b) != wantStrings {
		t.Errorf("got  %s\nwant %s", b, wantStrings)
	}
	b, _ = json.Marshal(Filter{Or: []Condition{LifecycleCondition(OpIsEqualTo, "Hot Lead")}})
	if string(b) != `{"$or":[{"category":"lifecycle","field":null,"operator":"isEqualTo","value":"Hot Lead"}]}` {
		t.Errorf("got %s", b)
	}
	b, _ = json.Marshal(Filter{})
	if string(b) != `{"$and":[]}` {
		t.Errorf("empty filter = %s", b)
	}
	var back Filter
	if err := json.Unmarshal([]byte(want[strings.Index(want, `{"$and"`):len(want)-1]), &back); err != nil || len(back.And) != 4 {
		t.Errorf("filter round trip: %v %+v", err, back)
	}
}

func TestViewAndEventDecode(t *testing.T) {
	in := `{"items":[
	  {"id":3,"name":"VIP open","filter":{"$and":[]},"status":"open","assignee":"none"},
	  {"id":4,"name":"Mine","filter":null,"status":null,"assignee":7},
	  {"id":5,"name":"Any","filter":null,"status":null,"assignee":"any"},
	  {"id":6,"name":"None","filter":null,"status":null,"assignee":null}]}`
	var p Page[View]
	if err := json.Unmarshal([]byte(in), &p); err != nil {
		t.Fatal(err)
	}
	got := []ViewAssignee{p.Items[0].Assignee, p.Items[1].Assignee, p.Items[2].Assignee, p.Items[3].Assignee}
	want := []ViewAssignee{{Kind: "none"}, {Kind: "user", UserID: 7}, {Kind: "any"}, {}}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("view %d assignee = %+v, want %+v", i, got[i], want[i])
		}
	}
	b, _ := json.Marshal(p.Items[1].Assignee)
	if string(b) != "7" {
		t.Errorf("assignee marshal = %s", b)
	}

	var e Event
	ev := `{"id":5501,"contactId":1234,"timestamp":1732400200,"category":"assignment","action":"assigned","by":"automation","actor":null,"data":{"assignee":{"id":9,"name":"Kim"}}}`
	if err := json.Unmarshal([]byte(ev), &e); err != nil {
		t.Fatal(err)
	}
	if e.Actor != nil || e.Category != "assignment" || e.Data["assignee"].(map[string]any)["name"] != "Kim" {
		t.Errorf("event = %+v", e)
	}
}

func TestPageNextCursor(t *testing.T) {
	cases := map[string]struct {
		cursor int64
		ok     bool
	}{
		`{"items":[],"pagination":{"next":"https://other.example/api/v9/contact/list?limit=2&cursorId=55","previous":"https://x/y?cursorId=-3"}}`: {55, true},
		`{"items":[],"pagination":{"next":"","previous":""}}`: {0, false},
		`{"items":[],"pagination":{"next":null}}`:             {0, false},
		`{"items":[]}`: {0, false},
		`{"items":[],"pagination":{"next":"https://x/y?a=1"}}`:   {0, false},
		`{"items":[],"pagination":{"next":"::not a url::"}}`:     {0, false},
		`{"items":null,"pagination":{"next":"/rel?cursorId=9"}}`: {9, true},
	}
	for in, want := range cases {
		var p Page[Contact]
		if err := json.Unmarshal([]byte(in), &p); err != nil {
			t.Fatalf("%s: %v", in, err)
		}
		if p.Items == nil {
			t.Errorf("%s: nil items", in)
		}
		c, ok := p.NextCursor()
		if c != want.cursor || ok != want.ok {
			t.Errorf("%s: NextCursor = %d,%v want %d,%v", in, c, ok, want.cursor, want.ok)
		}
	}
}
