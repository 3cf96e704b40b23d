package sandbox

import (
	"encoding/json"
	"strings"
	"testing"
)

// hostileCase is one request a careless or malicious client might send.
type hostileCase struct {
	name, method, path, body string
	status                   int
}

func filterBody(conditions ...string) string {
	return `{"search":"","filter":{"$and":[` + strings.Join(conditions, ",") + `]}}`
}

func manyValues(n int) string {
	vals := make([]string, n)
	for i := range vals {
		vals[i] = `"t` + itoa(i) + `"`
	}
	return "[" + strings.Join(vals, ",") + "]"
}

func itoa(n int) string { b, _ := json.Marshal(n); return string(b) }

var hostileCases = []hostileCase{
	// Identifiers.
	{"id overflow", "GET", "/contact/id:99999999999999999999", "", 400},
	{"id zero", "GET", "/contact/id:0", "", 400},
	{"empty kind", "GET", "/contact/:1", "", 400},
	{"encoded slash in email", "GET", "/contact/email:a%2Fb@example.com", "", 404},
	{"NUL in email", "GET", "/contact/email:a%00@example.com", "", 404},
	{"phone too long", "GET", "/contact/phone:+6012345678901234567", "", 400},
	{"phone with space", "GET", "/contact/phone:%2060123456789", "", 400},
	{"unicode identifier", "GET", "/contact/%E2%98%83", "", 400},
	{"identifier on message get", "GET", "/contact/id:1/message/abc", "", 400},
	{"message id overflow", "GET", "/contact/id:1/message/99999999999999999999", "", 400},
	{"message of another contact", "GET", "/contact/id:2/message/1", "", 404},
	// Paging.
	{"negative limit", "GET", "/space/user?limit=-1", "", 400},
	{"float limit", "GET", "/space/user?limit=1.5", "", 400},
	{"huge limit", "GET", "/space/user?limit=99999999999999999999", "", 400},
	{"min cursor", "GET", "/space/user?cursorId=-9223372036854775808", "", 200},
	{"max cursor", "GET", "/contact/id:1/message/list?cursorId=9223372036854775807", "", 200},
	{"min cursor contacts", "POST", "/contact/list?cursorId=-9223372036854775808", `{"search":""}`, 400},
	{"channelId text", "GET", "/contact/id:1/message/list?channelId=x", "", 400},
	// Bodies.
	{"not json", "POST", "/contact/list", `search=`, 400},
	{"json null", "POST", "/contact/list", `null`, 400},
	{"trailing data", "POST", "/contact/list", `{"search":""} {}`, 400},
	{"deep nesting", "POST", "/contact/list", `{"search":"","x":` + strings.Repeat("[", 20000) + strings.Repeat("]", 20000) + `}`, 400},
	{"search too long", "POST", "/contact/list", `{"search":"` + strings.Repeat("a", 300) + `"}`, 400},
	{"search wildcards", "POST", "/contact/list", `{"search":"%_\\","filter":{"$and":[]}}`, 200},
	{"filter array", "POST", "/contact/list", `{"search":"","filter":[]}`, 400},
	{"filter two groups", "POST", "/contact/list", `{"search":"","filter":{"$and":[],"$or":[]}}`, 400},
	{"filter nested too deep", "POST", "/contact/list", `{"search":"","filter":` + strings.Repeat(`{"$and":[`, 12) + strings.Repeat(`]}`, 12) + `}`, 400},
	{"condition not object", "POST", "/contact/list", filterBody(`1`), 400},
	{"condition field number", "POST", "/contact/list", filterBody(`{"category":"contactField","field":5,"operator":"exists"}`), 400},
	{"too many tag values", "POST", "/contact/list", filterBody(`{"category":"contactTag","field":null,"operator":"hasAnyOf","value":` + manyValues(40000) + `}`), 400},
	{"too many conditions", "POST", "/contact/count", filterBody(strings.Repeat(`{"category":"contactField","field":"firstName","operator":"isEqualTo","value":"a"},`, 2000) + `{"category":"lifecycle","field":null,"operator":"exists","value":null}`), 400},
	{"NaN number", "POST", "/contact/list", filterBody(`{"category":"contactField","field":"loyalty_points","operator":"isGreaterThan","value":"NaN"}`), 400},
	{"Inf number", "POST", "/contact/list", filterBody(`{"category":"contactField","field":"loyalty_points","operator":"isLessThan","value":"Inf"}`), 400},
	{"huge number", "POST", "/contact/list", filterBody(`{"category":"contactField","field":"loyalty_points","operator":"isGreaterThan","value":1e308}`), 200},
	{"bad range", "POST", "/contact/list", filterBody(`{"category":"contactField","field":"createdAt","operator":"isTimestampBetween","value":{"from":"x","to":"y"}}`), 400},
	{"epoch overflow", "POST", "/contact/list", filterBody(`{"category":"contactField","field":"createdAt","operator":"isTimestampAfter","value":"99999999999999999999"}`), 400},
	{"sql in field name", "POST", "/contact/list", filterBody(`{"category":"contactField","field":"x'); DROP TABLE contacts; --","operator":"exists","value":null}`), 200},
	{"timezone path", "POST", "/contact/list", `{"search":"","timezone":"../../etc/passwd"}`, 400},
	{"timezone number", "POST", "/contact/list", `{"search":"","timezone":7}`, 400},
	// Mutations.
	{"assignee overflow", "POST", "/contact/id:1/conversation/assignee", `{"assignee":99999999999999999999}`, 400},
	{"assignee object", "POST", "/contact/id:1/conversation/assignee", `{"assignee":{"id":1}}`, 400},
	{"assignee blank", "POST", "/contact/id:1/conversation/assignee", `{"assignee":"  "}`, 400},
	{"assignee zero", "POST", "/contact/id:1/conversation/assignee", `{"assignee":0}`, 400},
	{"status number", "POST", "/contact/id:1/conversation/status", `{"status":1}`, 400},
	{"status empty", "POST", "/contact/id:1/conversation/status", `{"status":""}`, 400},
	{"snooze float", "POST", "/contact/id:1/conversation/status", `{"status":"snooze","snoozeUntil":1e30}`, 400},
	{"snooze max", "POST", "/contact/id:1/conversation/status", `{"status":"snooze","snoozeUntil":9223372036854775807}`, 200},
	{"category array", "POST", "/contact/id:1/conversation/status", `{"status":"close","category":["a"]}`, 400},
	{"comment NUL", "POST", "/contact/id:1/comment", `{"text":"a\u0000b"}`, 200},
	{"comment object", "POST", "/contact/id:1/comment", `{"text":{}}`, 400},
	{"message string", "POST", "/contact/id:1/message", `{"message":"hi"}`, 400},
	{"message array", "POST", "/contact/id:1/message", `{"message":[]}`, 400},
	{"message type number", "POST", "/contact/id:1/message", `{"message":{"type":1}}`, 400},
	{"channel zero", "POST", "/contact/id:1/message", `{"channelId":0,"message":{"type":"text","text":"x"}}`, 400},
	{"channel float", "POST", "/contact/id:1/message", `{"channelId":31.5,"message":{"type":"text","text":"x"}}`, 400},
	{"attachment bad url", "POST", "/contact/id:1/message", `{"message":{"type":"attachment","attachment":{"type":"image","url":"file:///etc/passwd"}}}`, 400},
	{"replies not strings", "POST", "/contact/id:1/message", `{"message":{"type":"quick_reply","title":"t","replies":[1]}}`, 400},
	{"incoming contact negative", "POST", "/sandbox/simulate/incoming", `{"contactId":-5,"message":{"type":"text","text":"x"}}`, 404},
	{"incoming channel not found", "POST", "/sandbox/simulate/incoming", `{"contactId":1,"channelId":-1,"message":{"type":"text","text":"x"}}`, 400},
	{"incoming message null", "POST", "/sandbox/simulate/incoming", `{"contactId":1,"message":null}`, 400},
	{"audit action injection", "GET", "/sandbox/audit?action=%27%20OR%201%3D1", "", 200},
	// Routing.
	{"wrong method on list", "GET", "/contact/list", "", 405},
	{"wrong method on contact", "PATCH", "/contact/id:1", "", 405},
	{"trailing slash", "GET", "/space/user/", "", 404},
	{"dot segments", "GET", "/contact/id:1/../../space/user", "", 200},
}

// TestHostileInput: bad input gets a JSON {"code","message"} 4xx (or a
// correct 200), never a panic or a bare 500.
func TestHostileInput(t *testing.T) {
	t.Parallel() // its own sandbox
	var log syncBuffer
	e := start(t, Options{Log: &log})
	for _, c := range hostileCases {
		t.Run(c.name, func(t *testing.T) {
			var body any
			if c.body != "" {
				body = c.body
			}
			r := e.do(c.method, c.path, body)
			if r.status != c.status {
				t.Fatalf("%s %s: status %d, want %d: %.300s", c.method, c.path, r.status, c.status, r.body)
			}
			m := r.json(t)
			if r.status >= 400 && (num(m["code"]) != int64(r.status) || m["message"] == "") {
				t.Errorf("error body %s", r.body)
			}
		})
	}
	if strings.Contains(log.String(), "panic") || strings.Contains(log.String(), " 500 ") {
		t.Errorf("log shows a panic or 500:\n%s", log.String())
	}
}
