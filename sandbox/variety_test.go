package sandbox

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
)

// The sandbox emits and accepts the platform's variety (docs/platform-api.md,
// "Read liberally, write exactly").

// Telegram, Viber and LINE messages carry channelMessageId as a JSON number.
func TestNumericChannelMessageIDOnNumericChannels(t *testing.T) {
	t.Parallel() // its own sandbox
	e := start(t, Options{})
	sources := map[int64]string{}
	for _, ch := range items(e.ok("GET", "/space/channel?limit=100", nil)) {
		sources[num(ch["id"])] = ch["source"].(string)
	}
	kinds := map[string]map[string]bool{} // source -> JSON kinds seen
	for id := 1; id <= 40; id++ {
		r := e.do("GET", "/contact/id:"+itoa(id)+"/message/list?limit=100", nil)
		var page struct {
			Items []struct {
				ChannelID        int64           `json:"channelId"`
				ChannelMessageID json.RawMessage `json:"channelMessageId"`
			} `json:"items"`
		}
		if err := json.Unmarshal(r.body, &page); err != nil {
			t.Fatal(err)
		}
		for _, m := range page.Items {
			src := sources[m.ChannelID]
			kind := "string"
			switch {
			case bytes.Equal(m.ChannelMessageID, []byte("null")):
				kind = "null"
			case len(m.ChannelMessageID) > 0 && m.ChannelMessageID[0] != '"':
				kind = "number"
			}
			if kinds[src] == nil {
				kinds[src] = map[string]bool{}
			}
			kinds[src][kind] = true
		}
	}
	for src, k := range kinds {
		numeric := src == "telegram" || src == "viber" || src == "line"
		if numeric && (!k["number"] || k["string"]) || !numeric && k["number"] {
			t.Errorf("%s: channelMessageId kinds %v", src, k)
		}
	}
	if len(kinds["line"]) == 0 && len(kinds["telegram"]) == 0 {
		t.Errorf("the demo seed has no Telegram or LINE messages to check: %v", kinds)
	}
}

// errshape=1: every error answer comes in another shape, the message kept.
func TestErrShapeFault(t *testing.T) {
	t.Parallel() // its own sandbox
	e := start(t, Options{Faults: "errshape=1,seed=7"})
	shapes := map[string]bool{}
	for range 40 {
		r := e.do("GET", "/contact/id:999999", nil)
		if r.status != 404 {
			t.Fatalf("status %d", r.status)
		}
		var body map[string]json.RawMessage
		if err := json.Unmarshal(r.body, &body); err != nil {
			t.Fatalf("not JSON: %s", r.body)
		}
		code, msg := string(body["code"]), string(body["message"])
		if code != `"404"` && code != `404` || !strings.Contains(msg, "Contact not found") {
			t.Fatalf("body %s", r.body)
		}
		shapes[code[:1]+msg[:1]] = true
	}
	// string code + string message, number + object, string + object.
	if !shapes[`""`] || !shapes[`4{`] || !shapes[`"{`] || shapes[`4"`] {
		t.Errorf("shapes seen: %v", shapes)
	}
	// Successes are untouched.
	if r := e.do("GET", "/contact/id:1", nil); r.status != 200 || !strings.Contains(string(r.body), `"id":1`) {
		t.Errorf("200: %s", r.body)
	}
	// Injected faults are reshaped too.
	q := start(t, Options{Faults: "449=1,errshape=1,seed=1"})
	if r := q.do("GET", "/contact/id:1", nil); r.status != 449 || !strings.Contains(string(r.body), "Request queued") || strings.Contains(string(r.body), `"code":449,"message":"Request`) {
		t.Errorf("449: %s", r.body)
	}
}

// nov2=1: pagination links lack the /v2 prefix; following their cursor works.
func TestBareNextFault(t *testing.T) {
	t.Parallel() // its own sandbox
	e := start(t, Options{Faults: "nov2=1"})
	p := e.ok("POST", "/contact/list?limit=5", allList)
	next := p["pagination"].(map[string]any)["next"].(string)
	if strings.Contains(next, "/v2/") || !strings.Contains(next, "/contact/list?") || !strings.Contains(next, "cursorId=") {
		t.Fatalf("next = %q", next)
	}
	cursor := next[strings.Index(next, "cursorId=")+len("cursorId="):]
	prev := e.ok("POST", "/contact/list?limit=5&cursorId="+cursor, allList)["pagination"].(map[string]any)["previous"].(string)
	if strings.Contains(prev, "/v2/") {
		t.Errorf("previous = %q", prev)
	}
}

// Numeric-string assignee and channelId, as some vendor clients send them.
func TestNumericStringIDsAccepted(t *testing.T) {
	t.Parallel() // its own sandbox
	e := start(t, Options{})
	e.ok("POST", "/contact/id:1/conversation/assignee", map[string]any{"assignee": "2"})
	if a := e.ok("GET", "/contact/id:1", nil)["assignee"].(map[string]any); num(a["id"]) != 2 {
		t.Errorf("assignee = %v", a)
	}
	e.wantError(400, "POST", "/contact/id:1/conversation/assignee", map[string]any{"assignee": "424242"})
	e.ok("POST", "/contact/id:1/message", map[string]any{"channelId": "31", "message": map[string]any{"type": "text", "text": "hi"}})
	e.wantError(400, "POST", "/contact/id:1/message", map[string]any{"channelId": "3x", "message": map[string]any{"type": "text", "text": "hi"}})
}

// A phone without "+" names the same contact as its E.164 form.
func TestPhoneWithoutPlus(t *testing.T) {
	t.Parallel() // its own sandbox
	e := start(t, Options{})
	with := e.ok("GET", "/contact/phone:%2B60123456789", nil)
	without := e.ok("GET", "/contact/phone:60123456789", nil)
	if num(with["id"]) != num(without["id"]) {
		t.Errorf("with + %v, without %v", with["id"], without["id"])
	}
	e.wantError(400, "GET", "/contact/phone:060123456789", nil)
	e.wantError(400, "GET", "/contact/phone:%2060123456789", nil)
}
