package sandbox

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

func lastEvent(e *env, contact string) map[string]any {
	e.t.Helper()
	list := items(e.ok("GET", "/contact/"+contact+"/conversation/event/list?limit=1", nil))
	if len(list) == 0 {
		e.t.Fatalf("no events for %s", contact)
	}
	return list[0]
}

func auditRows(e *env, query string) []map[string]any {
	e.t.Helper()
	return items(e.ok("GET", "/sandbox/audit?limit=100&"+query, nil))
}

func TestAssignUnassign(t *testing.T) {
	t.Parallel() // its own sandbox
	e := start(t, Options{})
	e.ok("POST", "/contact/id:5/conversation/assignee", `{"assignee": null}`)
	r := e.ok("POST", "/contact/id:5/conversation/assignee", map[string]any{"assignee": 3})
	if num(r["contactId"]) != 5 {
		t.Fatalf("response %v", r)
	}
	c := e.ok("GET", "/contact/id:5", nil)
	if num(c["assignee"].(map[string]any)["id"]) != 3 {
		t.Fatalf("assignee %v", c["assignee"])
	}
	ev := lastEvent(e, "id:5")
	if ev["category"] != "assignment" || ev["action"] != "assigned" || ev["by"] != "api" || ev["actor"] != nil {
		t.Errorf("event %v", ev)
	}
	e.ok("POST", "/contact/id:5/conversation/assignee", map[string]any{"assignee": "PRIYA@example.com"})
	if c := e.ok("GET", "/contact/id:5", nil); num(c["assignee"].(map[string]any)["id"]) != 4 {
		t.Errorf("assign by email: %v", c["assignee"])
	}
	e.ok("POST", "/contact/id:5/conversation/assignee", `{"assignee": null}`)
	if c := e.ok("GET", "/contact/id:5", nil); c["assignee"] != nil {
		t.Errorf("unassign: %v", c["assignee"])
	}
	if ev := lastEvent(e, "id:5"); ev["action"] != "unassigned" {
		t.Errorf("unassign event %v", ev)
	}
	msg := e.wantError(400, "POST", "/contact/id:5/conversation/assignee", map[string]any{"assignee": 99})
	if !strings.Contains(msg, "99") {
		t.Errorf("unknown assignee message %q", msg)
	}
	e.wantError(400, "POST", "/contact/id:5/conversation/assignee", map[string]any{"assignee": "ghost@example.com"})
	e.wantError(400, "POST", "/contact/id:5/conversation/assignee", map[string]any{"assignee": true})
	e.wantError(400, "POST", "/contact/id:5/conversation/assignee", `{}`)
	e.wantError(404, "POST", "/contact/id:99999/conversation/assignee", map[string]any{"assignee": 1})
	rows := auditRows(e, "contactId=5")
	ok := 0
	for _, r := range rows {
		if r["result"] == "ok" {
			ok++
		}
	}
	if ok != 4 || len(rows) != 8 {
		t.Errorf("audit rows %d (ok %d): %v", len(rows), ok, rows)
	}
}

func TestStatusMachine(t *testing.T) {
	t.Parallel() // its own sandbox
	e := start(t, Options{})
	id := "id:1"
	e.ok("POST", "/contact/"+id+"/conversation/status", map[string]any{"status": "close", "category": "Resolved", "summary": "done"})
	if c := e.ok("GET", "/contact/"+id, nil); c["status"] != "close" {
		t.Fatalf("status %v", c["status"])
	}
	ev := lastEvent(e, id)
	if ev["category"] != "status" || ev["action"] != "done" || ev["by"] != "api" || ev["data"].(map[string]any)["category"] != "Resolved" {
		t.Errorf("done event %v", ev)
	}
	e.ok("POST", "/contact/"+id+"/conversation/status", map[string]any{"status": "open"})
	if ev := lastEvent(e, id); ev["action"] != "opened" {
		t.Errorf("reopen event %v", ev)
	}
	e.ok("POST", "/contact/"+id+"/conversation/status", map[string]any{"status": "close", "category": "", "summary": ""})
	e.ok("POST", "/contact/"+id+"/conversation/status", map[string]any{"status": "pending"})
	if c := e.ok("GET", "/contact/"+id, nil); c["status"] != "pending" {
		t.Errorf("pending: %v", c["status"])
	}
	until := e.clock.Now().Add(2 * time.Hour).Unix()
	e.ok("POST", "/contact/"+id+"/conversation/status", map[string]any{"status": "snooze", "snoozeUntil": until})
	c := e.ok("GET", "/contact/"+id, nil)
	if c["status"] != "snoozed" || num(c["snoozedUntil"]) != until {
		t.Fatalf("snoozed: %v %v", c["status"], c["snoozedUntil"])
	}
	if ev := lastEvent(e, id); ev["category"] != "snooze" || ev["action"] != "snoozed" {
		t.Errorf("snooze event %v", ev)
	}
	// Snooze expires on the sandbox clock: the contact comes back open.
	e.clock.Advance(2*time.Hour + time.Second)
	c = e.ok("GET", "/contact/"+id, nil)
	if c["status"] != "open" || c["snoozedUntil"] != nil {
		t.Fatalf("after snooze: %v %v", c["status"], c["snoozedUntil"])
	}
	if ev := lastEvent(e, id); ev["action"] != "unsnoozed" || ev["by"] != "automation" {
		t.Errorf("unsnooze event %v", ev)
	}
	// Manual unsnooze through status open.
	e.ok("POST", "/contact/"+id+"/conversation/status", map[string]any{"status": "snooze", "snoozeUntil": e.clock.Now().Add(time.Hour).Unix()})
	e.ok("POST", "/contact/"+id+"/conversation/status", map[string]any{"status": "open"})
	if ev := lastEvent(e, id); ev["action"] != "unsnoozed" || ev["by"] != "api" {
		t.Errorf("manual unsnooze event %v", ev)
	}
	for _, bad := range []any{
		map[string]any{"status": "close", "category": strings.Repeat("x", 129)},
		map[string]any{"status": "close", "summary": strings.Repeat("x", 513)},
		map[string]any{"status": "snooze"},
		map[string]any{"status": "snooze", "snoozeUntil": e.clock.Now().Add(-time.Minute).Unix()},
		map[string]any{"status": "archived"},
		map[string]any{},
	} {
		e.wantError(400, "POST", "/contact/"+id+"/conversation/status", bad)
	}
	e.ok("POST", "/contact/"+id+"/conversation/status", map[string]any{"status": "close", "category": strings.Repeat("é", 128), "summary": strings.Repeat("x", 512)})
	if n := len(auditRows(e, "contactId=1&action=closed")); n != 3 {
		t.Errorf("closed audit rows %d", n)
	}
}

func TestComment(t *testing.T) {
	t.Parallel() // its own sandbox
	e := start(t, Options{})
	r := e.ok("POST", "/contact/id:2/comment", map[string]any{"text": "Called the customer"})
	if num(r["contactId"]) != 2 || r["text"] != "Called the customer" || num(r["created_at"]) != e.clock.Now().Unix() {
		t.Errorf("comment %v", r)
	}
	e.ok("POST", "/contact/id:2/comment", map[string]any{"text": strings.Repeat("ü", 1000)})
	e.wantError(400, "POST", "/contact/id:2/comment", map[string]any{"text": strings.Repeat("a", 1001)})
	e.wantError(400, "POST", "/contact/id:2/comment", map[string]any{"text": ""})
	e.wantError(400, "POST", "/contact/id:2/comment", map[string]any{"text": 12})
}

func TestEventsPagination(t *testing.T) {
	t.Parallel() // its own sandbox
	e := start(t, Options{})
	for i := 0; i < 5; i++ {
		e.ok("POST", "/contact/id:7/conversation/assignee", map[string]any{"assignee": 1 + i%2})
	}
	p := e.ok("GET", "/contact/id:7/conversation/event/list?limit=3", nil)
	list := items(p)
	if len(list) != 3 || num(list[0]["id"]) < num(list[1]["id"]) {
		t.Fatalf("events not newest first: %v", list)
	}
	next := p["pagination"].(map[string]any)["next"].(string)
	if !strings.Contains(next, fmt.Sprintf("cursorId=%d", num(list[2]["id"]))) {
		t.Errorf("next %q", next)
	}
	p2 := items(e.ok("GET", strings.TrimPrefix(next, e.srv.URL()), nil))
	if len(p2) == 0 || num(p2[0]["id"]) >= num(list[2]["id"]) {
		t.Errorf("page 2 %v", p2)
	}
}
