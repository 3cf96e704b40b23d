package inbox

import (
	"encoding/json"
	"strings"
	"testing"
	"time"
)

func TestDescribeEvent(t *testing.T) {
	clock := func(t time.Time) string { return t.UTC().Format("Mon 15:04") }
	lee := &EventActor{ID: 7, Name: "Lee Wong"}
	cases := []struct {
		e    EventItem
		want string
	}{
		{EventItem{Category: "assignment", Action: "assigned", By: "automation", Data: map[string]any{"assignee": map[string]any{"id": 7.0, "name": "Lee Wong"}}}, "assigned to Lee Wong by automation"},
		{EventItem{Category: "status", Action: "done", By: "user", Actor: lee, Data: map[string]any{"category": "Resolved", "summary": "refund sent"}}, "marked done by Lee Wong (Resolved: refund sent)"},
		{EventItem{Category: "status", Action: "pending", By: "bot"}, "marked pending by bot"},
		{EventItem{Category: "snooze", Action: "snoozed", By: "user", Actor: lee, Data: map[string]any{"snoozeUntil": float64(time.Date(2026, 11, 24, 14, 0, 0, 0, time.UTC).Unix())}}, "snoozed until Tue 14:00 by Lee Wong"},
		{EventItem{Category: "survey", Action: "canceled", By: "api"}, "survey canceled by API"},
		{EventItem{Category: "page", Action: "changed", By: "contact", Data: map[string]any{"url": "https://shop.example/cart"}}, "visitor opened https://shop.example/cart"},
		{EventItem{Category: "bot", Action: "off", By: "automation"}, "bot turned off by automation"},
		{EventItem{Category: "mystery", Action: "happened", By: "api"}, "mystery happened by API"},
	}
	for _, c := range cases {
		if got := DescribeEvent(&c.e, clock); got != c.want {
			t.Errorf("%s/%s: got %q, want %q", c.e.Category, c.e.Action, got, c.want)
		}
	}
}

func TestDescribeBodyByType(t *testing.T) {
	cases := map[string]string{
		`{"type":"text","text":"Hi\nthere"}`:                                                  "Hi there",
		`{"type":"attachment","attachment":{"type":"image","url":"https://x/y.png"}}`:         "[image] https://x/y.png",
		`{"type":"email","subject":"Order","text":"Where is it?"}`:                            "Subject: Order — Where is it?",
		`{"type":"quick_reply","title":"Pick","replies":["Yes","No"]}`:                        "Pick [Yes | No]",
		`{"type":"whatsapp_template","template":{"name":"order_update","languageCode":"en"}}`: "template order_update (en)",
		`{"type":"location","latitude":3.139,"longitude":101.6869,"address":"KL"}`:            "location 3.139, 101.69 KL",
		`{"type":"whatsapp_order","text":"2 items"}`:                                          "[whatsapp_order] 2 items",
		`{"type":"hologram"}`: "[hologram]",
	}
	for in, want := range cases {
		var body map[string]any
		if err := json.Unmarshal([]byte(in), &body); err != nil {
			t.Fatal(err)
		}
		if got := DescribeBody(body); got != want {
			t.Errorf("%s: got %q, want %q", in, got, want)
		}
	}
}

func TestDescribeVia(t *testing.T) {
	cases := [][5]string{
		{"incoming", "", "", "Aisha Rahman", "Aisha Rahman"},
		{"outgoing", "user", "Lee Wong", "", "Lee Wong"},
		{"outgoing", "workflow", "", "", "Workflow"},
		{"outgoing", "api", "", "", "API"},
		{"outgoing", "broadcast", "", "", "Broadcast"},
		{"outgoing", "ai_agent", "", "", "AI agent"},
		{"outgoing", "echo", "", "", "Echo"},
		{"outgoing", "bot", "", "", "Bot"},
	}
	for _, c := range cases {
		if got := DescribeVia(c[0], c[1], c[2], c[3]); got != c[4] {
			t.Errorf("%v: got %q", c, got)
		}
	}
}

func TestHistoryItemJSONIsTyped(t *testing.T) {
	ts := time.Unix(1732400100, 0).UTC()
	h := HistoryItem{Kind: KindMessage, Message: &MessageItem{ID: 1, Timestamp: &ts, Direction: "outgoing"}}
	b, err := json.Marshal(h)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(string(b), `{"kind":"message","id":1,`) || !strings.Contains(string(b), `"time":"2024-11-23T22:15:00Z"`) {
		t.Fatalf("json = %s", b)
	}
}
