package sandbox

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
)

func TestAuth(t *testing.T) {
	t.Parallel() // its own sandbox
	e := start(t, Options{})
	for _, tok := range []string{"", "wrong"} {
		r := e.doToken("GET", "/space/user", nil, tok)
		if r.status != 401 || !strings.Contains(string(r.body), `"code":401`) || !strings.Contains(string(r.body), "Unauthorized") {
			t.Errorf("token %q: %d %s", tok, r.status, r.body)
		}
	}
	r := e.doToken("GET", "/sandbox/audit", nil, "")
	if r.status != 401 {
		t.Errorf("sandbox endpoint without token: %d", r.status)
	}
	if !strings.HasPrefix(e.srv.URL(), "http://127.0.0.1:") || !strings.HasSuffix(e.srv.URL(), "/v2") {
		t.Errorf("URL %q", e.srv.URL())
	}
}

func TestUnknownPathAndMethod(t *testing.T) {
	t.Parallel() // its own sandbox
	e := start(t, Options{})
	e.wantError(404, "GET", "/nope", nil)
	e.wantError(405, "DELETE", "/space/user", nil)
}

func TestGetContactIdentifiers(t *testing.T) {
	t.Parallel() // its own sandbox
	e := start(t, Options{})
	for _, p := range []string{"id:1", "id%3A1", "email:aisha@example.com", "email%3Aaisha%40example.com",
		"phone:+60123456789", "phone:%2B60123456789", "phone%3A%2B60123456789", "email:AISHA@example.com"} {
		c := e.ok("GET", "/contact/"+p, nil)
		if num(c["id"]) != 1 || c["firstName"] != "Aisha" {
			t.Errorf("%s: %v", p, c)
		}
	}
	for _, p := range []string{"1", "id:abc", "id:-1", "email:nope", "phone:123", "phone:+60abc", "foo:1"} {
		e.wantError(400, "GET", "/contact/"+p, nil)
	}
	msg := e.wantError(404, "GET", "/contact/id:999999", nil)
	if msg != "Contact not found" {
		t.Errorf("404 message %q", msg)
	}
	e.wantError(404, "GET", "/contact/email:nobody@example.com", nil)
}

func TestContactShape(t *testing.T) {
	t.Parallel() // its own sandbox
	e := start(t, Options{})
	c := e.ok("GET", "/contact/id:1", nil)
	for _, k := range []string{"id", "firstName", "lastName", "phone", "email", "language", "profilePic", "countryCode",
		"status", "assignee", "lifecycle", "tags", "custom_fields", "created_at", "lastMessageTime", "unreadCount", "snoozedUntil"} {
		if _, ok := c[k]; !ok {
			t.Errorf("contact lacks %q: %v", k, c)
		}
	}
	a := c["assignee"].(map[string]any)
	if num(a["id"]) != 1 || a["email"] != "lee@example.com" {
		t.Errorf("assignee %v", a)
	}
	if !strings.Contains(strings.Trim(string(mustJSON(c["tags"])), "[]"), `"vip"`) {
		t.Errorf("tags %v", c["tags"])
	}
}

func TestSpaceEndpoints(t *testing.T) {
	t.Parallel() // its own sandbox
	e := start(t, Options{})
	users := items(e.ok("GET", "/space/user?limit=100", nil))
	if len(users) != 6 || users[0]["email"] != "lee@example.com" || users[0]["role"] != "agent" {
		t.Fatalf("users %v", users)
	}
	if users[5]["role"] != "owner" || users[5]["team"] != nil {
		t.Errorf("owner %v", users[5])
	}
	u := e.ok("GET", "/space/user/5", nil)
	if u["role"] != "manager" || u["team"].(map[string]any)["name"] != "Support" {
		t.Errorf("user 5 %v", u)
	}
	e.wantError(404, "GET", "/space/user/99", nil)
	e.wantError(400, "GET", "/space/user/x", nil)
	chans := items(e.ok("GET", "/space/channel?limit=100", nil))
	if len(chans) != 10 || num(chans[0]["id"]) != 31 || chans[0]["source"] != "whatsapp_cloud" {
		t.Errorf("channels %v", chans)
	}
	notes := items(e.ok("GET", "/space/closing_notes", nil))
	if len(notes) < 3 || notes[0]["category"] != "Resolved" {
		t.Errorf("closing notes %v", notes)
	}
	views := items(e.ok("GET", "/space/view/list", nil))
	if len(views) < 3 || views[0]["name"] != "VIP open" || views[0]["filter"].(map[string]any)["$and"] == nil {
		t.Errorf("views %v", views)
	}
	caps := e.ok("GET", "/space/capabilities", nil)
	if len(caps["extensions"].([]any)) != 7 {
		t.Errorf("capabilities %v", caps)
	}
}

func TestPaginationUsers(t *testing.T) {
	t.Parallel() // its own sandbox
	e := start(t, Options{})
	p1 := e.ok("GET", "/space/user?limit=4", nil)
	pg := p1["pagination"].(map[string]any)
	next := pg["next"].(string)
	if !strings.HasPrefix(next, "http://127.0.0.1:") || !strings.Contains(next, "/v2/space/user?") || !strings.Contains(next, "cursorId=4") {
		t.Fatalf("next %q", next)
	}
	if pg["previous"] != "" {
		t.Errorf("previous on first page %q", pg["previous"])
	}
	p2 := e.ok("GET", next[len(e.srv.URL()):], nil)
	it := items(p2)
	if len(it) != 2 || num(it[0]["id"]) != 5 {
		t.Fatalf("page 2 %v", it)
	}
	pg2 := p2["pagination"].(map[string]any)
	if pg2["next"] != "" || !strings.Contains(pg2["previous"].(string), "cursorId=-5") {
		t.Errorf("page 2 pagination %v", pg2)
	}
	back := items(e.ok("GET", "/space/user?limit=4&cursorId=-5", nil))
	if len(back) != 4 || num(back[0]["id"]) != 1 || num(back[3]["id"]) != 4 {
		t.Errorf("previous page %v", back)
	}
	for _, q := range []string{"limit=0", "limit=101", "limit=x", "cursorId=x", "limit="} {
		e.wantError(400, "GET", "/space/user?"+q, nil)
	}
	if n := len(items(e.ok("GET", "/space/user", nil))); n != 6 {
		t.Errorf("default limit page has %d", n)
	}
}

func TestBadBodies(t *testing.T) {
	t.Parallel() // its own sandbox
	e := start(t, Options{})
	e.wantError(400, "POST", "/contact/list", `{"search": `)
	e.wantError(400, "POST", "/contact/list", `[]`)
	e.wantError(400, "POST", "/contact/list", `{"search": 5}`)
	e.wantError(400, "POST", "/contact/list", `{}`)
	e.wantError(400, "POST", "/contact/list", ``)
	e.wantError(400, "POST", "/contact/id:1/conversation/status", `{"status": 1}`)
	big := `{"search":"` + strings.Repeat("a", 1<<20) + `"}`
	e.wantError(http.StatusRequestEntityTooLarge, "POST", "/contact/list", big)
	e.wantError(400, "POST", "/contact/list", `{"search":"","timezone":"Mars/Olympus"}`)
	e.ok("POST", "/contact/list", `{"search":"","timezone":"asia/kuala_lumpur","filter":{"$and":[]}}`)
}

func mustJSON(v any) []byte {
	b, _ := json.Marshal(v)
	return b
}
