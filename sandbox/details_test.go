package sandbox

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/respondctl/respondctl/sandbox/store"
)

// lastEvent returns the newest event of a contact.
func (e *env) lastEvent(contact string) map[string]any {
	e.t.Helper()
	list := items(e.ok("GET", "/contact/"+contact+"/conversation/event/list?limit=1", nil))
	if len(list) == 0 {
		e.t.Fatalf("no events for %s", contact)
	}
	return list[0]
}

// auditRows returns the audit rows of an action, newest first.
func (e *env) auditRows(action string) []store.AuditRow {
	e.t.Helper()
	rows, _, err := e.srv.Store().ListAudit(context.Background(), 0, action, store.Page{Limit: 100})
	if err != nil {
		e.t.Fatal(err)
	}
	return rows
}

func TestContactCreateUpdateDelete(t *testing.T) {
	t.Parallel() // its own sandbox
	e := start(t, Options{Seed: "demo"})
	// Create: string code, the identifier fills the email, custom fields validated.
	body := map[string]any{"firstName": "Zed", "lastName": "Zulu", "custom_fields": []any{
		map[string]any{"name": "loyalty_points", "value": 12}, map[string]any{"name": "plan", "value": "pro"}}}
	m := e.ok("POST", "/contact/email:zed@example.com", body)
	if m["code"] != "200" || m["message"] != "Contact added successfully!" {
		t.Fatalf("create answer %v", m)
	}
	c := e.ok("GET", "/contact/email:zed@example.com", nil)
	if c["firstName"] != "Zed" || c["email"] != "zed@example.com" || c["status"] != "open" {
		t.Fatalf("created %v", c)
	}
	cf, _ := json.Marshal(c["custom_fields"])
	if string(cf) != `[{"name":"loyalty_points","value":12},{"name":"plan","value":"Pro"}]` {
		t.Fatalf("custom fields %s", cf)
	}
	id := "id:" + jsonNum(c["id"])
	if ev := e.lastEvent(id); ev["category"] != "contact" || ev["action"] != "created" || ev["by"] != "api" {
		t.Fatalf("create event %v", ev)
	}
	// The contact is visible through the list filters.
	list := e.ok("POST", "/contact/list", map[string]any{"search": "", "filter": map[string]any{"$and": []any{
		map[string]any{"category": "contactField", "field": "loyalty_points", "operator": "isEqualTo", "value": "12"}}}})
	if len(items(list)) != 1 {
		t.Fatalf("filter by new field: %v", list)
	}
	// Validation before any change: existing, id identifier, unknown field, wrong type, bad phone.
	e.wantError(409, "POST", "/contact/email:zed@example.com", body)
	e.wantError(400, "POST", "/contact/id:5", body)
	e.wantError(400, "POST", "/contact/email:new@example.com", map[string]any{"lastName": "x"})
	if msg := e.wantError(400, "POST", "/contact/email:new@example.com", map[string]any{"firstName": "N",
		"custom_fields": []any{map[string]any{"name": "shoe_size", "value": 9}}}); !strings.Contains(msg, `unknown custom field "shoe_size"`) {
		t.Fatalf("unknown field: %s", msg)
	}
	for _, bad := range []map[string]any{
		{"name": "loyalty_points", "value": "lots"}, {"name": "newsletter_opt_in", "value": "maybe"},
		{"name": "plan", "value": "Gold"}, {"name": "birthday", "value": "31/12/1990"}, {"name": "website", "value": "acme"},
		{"name": "billing_email", "value": "nope"}, {"name": "preferred_time", "value": "noon"}, {"name": "order_id", "value": 5},
	} {
		msg := e.wantError(400, "PUT", "/contact/"+id, map[string]any{"custom_fields": []any{bad}})
		if !strings.Contains(msg, bad["name"].(string)) {
			t.Errorf("%v: %s", bad, msg)
		}
	}
	e.wantError(400, "PUT", "/contact/"+id, map[string]any{"phone": "0123"})
	e.wantError(409, "PUT", "/contact/"+id, map[string]any{"email": "aisha@example.com"})
	if n := len(e.auditRows("contact_created")); n != 5 {
		t.Fatalf("%d contact_created audit rows, want 5 (1 ok, 4 refused)", n)
	}
	// Update: only what changed is recorded; a no-op records no event.
	m = e.ok("PUT", "/contact/"+id, map[string]any{"lastName": nil, "countryCode": "MY", "custom_fields": []any{
		map[string]any{"name": "newsletter_opt_in", "value": "true"}, map[string]any{"name": "loyalty_points", "value": nil}}})
	if jsonNum(m["contactId"]) != strings.TrimPrefix(id, "id:") {
		t.Fatalf("update answer %v", m)
	}
	ev := e.lastEvent(id)
	changed, _ := json.Marshal(ev["data"].(map[string]any)["changed"])
	if ev["action"] != "updated" || string(changed) != `["countryCode","custom_fields.loyalty_points","custom_fields.newsletter_opt_in","lastName"]` {
		t.Fatalf("update event %v %s", ev, changed)
	}
	c = e.ok("GET", "/contact/"+id, nil)
	if c["lastName"] != nil || c["countryCode"] != "MY" {
		t.Fatalf("updated %v", c)
	}
	e.ok("PUT", "/contact/"+id, map[string]any{"countryCode": "MY"})
	if e.lastEvent(id)["id"] != ev["id"] {
		t.Fatal("a no-op update recorded an event")
	}
	// Create-or-update: creates once, then updates the same contact.
	a := e.ok("POST", "/contact/create_or_update/phone:+60199990000", map[string]any{"firstName": "Pat"})
	b := e.ok("POST", "/contact/create_or_update/phone:+60199990000", map[string]any{"firstName": "Patricia"})
	if a["contactId"] != b["contactId"] {
		t.Fatalf("create_or_update: %v then %v", a, b)
	}
	if got := e.ok("GET", "/contact/phone:+60199990000", nil); got["firstName"] != "Patricia" {
		t.Fatalf("create_or_update did not update: %v", got)
	}
	rows := e.auditRows("")
	if rows[0].Action != "contact_updated" || rows[1].Action != "contact_created" || rows[0].Endpoint != "POST /contact/create_or_update/{identifier}" {
		t.Fatalf("create_or_update audit %+v %+v", rows[0], rows[1])
	}
	// Delete: gone, with its conversation.
	e.ok("DELETE", "/contact/"+id, nil)
	e.wantError(404, "GET", "/contact/"+id, nil)
	e.wantError(404, "DELETE", "/contact/"+id, nil)
	e.wantError(404, "GET", "/contact/"+id+"/conversation/event/list", nil)
}

func jsonNum(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

func TestContactMerge(t *testing.T) {
	t.Parallel() // its own sandbox
	e := start(t, Options{Seed: "demo"})
	keepMsgs := len(items(e.ok("GET", "/contact/id:20/message/list?limit=100", nil)))
	dropMsgs := len(items(e.ok("GET", "/contact/id:21/message/list?limit=100", nil)))
	e.ok("POST", "/contact/id:21/tag", []string{"merge-me"})
	e.wantError(400, "POST", "/contact/merge", map[string]any{"contactIds": []any{20, 20}})
	e.wantError(400, "POST", "/contact/merge", map[string]any{"contactIds": []any{20}})
	e.wantError(404, "POST", "/contact/merge", map[string]any{"contactIds": []any{20, 99999}})
	m := e.ok("POST", "/contact/merge", map[string]any{"contactIds": []any{20, "21"}, "firstName": "Merged"})
	if num(m["contactId"]) != 20 {
		t.Fatalf("merge answer %v", m)
	}
	e.wantError(404, "GET", "/contact/id:21", nil)
	c := e.ok("GET", "/contact/id:20", nil)
	if c["firstName"] != "Merged" || !strings.Contains(jsonNum(c["tags"]), "merge-me") {
		t.Fatalf("kept contact %v", c)
	}
	if n := len(items(e.ok("GET", "/contact/id:20/message/list?limit=100", nil))); n != keepMsgs+dropMsgs {
		t.Fatalf("%d messages after merge, want %d+%d", n, keepMsgs, dropMsgs)
	}
	if ev := e.lastEvent("id:20"); ev["action"] != "merged" || num(ev["data"].(map[string]any)["mergedContactId"]) != 21 {
		t.Fatalf("merge event %v", ev)
	}
	rows := e.auditRows("contacts_merged")
	if len(rows) != 4 || rows[0].Result != "ok" || !strings.HasPrefix(rows[3].Result, "error 400") {
		t.Fatalf("merge audit %+v", rows)
	}
}

func TestContactTagsAndLifecycle(t *testing.T) {
	t.Parallel() // its own sandbox
	e := start(t, Options{Seed: "demo"})
	// Both body forms; idempotent; the workspace's spelling wins.
	e.ok("POST", "/contact/id:30/tag", []string{"VIP", "brand-new"})
	e.ok("POST", "/contact/id:30/tag", map[string]any{"tags": []string{"vip"}})
	c := e.ok("GET", "/contact/id:30", nil)
	tags := jsonNum(c["tags"])
	if !strings.Contains(tags, `"vip"`) || !strings.Contains(tags, `"brand-new"`) || strings.Contains(tags, "VIP") {
		t.Fatalf("tags %s", tags)
	}
	if ev := e.lastEvent("id:30"); ev["category"] != "tag" || (ev["action"] != "added") {
		t.Fatalf("tag event %v", ev)
	}
	list := e.ok("POST", "/contact/list", map[string]any{"search": "", "filter": map[string]any{"$and": []any{
		map[string]any{"category": "contactTag", "field": nil, "operator": "hasAnyOf", "value": []string{"brand-new"}}}}})
	if len(items(list)) != 1 {
		t.Fatalf("filter by new tag: %v", list)
	}
	eleven := make([]string, 11)
	for i := range eleven {
		eleven[i] = "t" + jsonNum(i)
	}
	if msg := e.wantError(400, "POST", "/contact/id:30/tag", eleven); !strings.Contains(msg, "at most 10") {
		t.Fatal(msg)
	}
	e.wantError(400, "POST", "/contact/id:30/tag", []string{})
	e.wantError(400, "POST", "/contact/id:30/tag", []string{strings.Repeat("x", 256)})
	e.wantError(400, "POST", "/contact/id:30/tag", `"vip"`)
	e.wantError(404, "POST", "/contact/id:99999/tag", []string{"vip"})
	e.ok("DELETE", "/contact/id:30/tag", []string{"brand-new", "never-had"})
	if strings.Contains(jsonNum(e.ok("GET", "/contact/id:30", nil)["tags"]), "brand-new") {
		t.Fatal("untag left the tag")
	}
	if ev := e.lastEvent("id:30"); ev["action"] != "removed" || ev["data"].(map[string]any)["tag"] != "brand-new" {
		t.Fatalf("untag event %v", ev)
	}
	// Lifecycle: set, unknown stage refused, clear with {"name": null} and a bare null.
	m := e.ok("POST", "/contact/id:30/lifecycle/update", map[string]any{"name": "customer"})
	if num(m["code"]) != 200 {
		t.Fatalf("lifecycle answer %v", m)
	}
	if c := e.ok("GET", "/contact/id:30", nil); c["lifecycle"] != "Customer" {
		t.Fatalf("lifecycle %v", c["lifecycle"])
	}
	if msg := e.wantError(400, "POST", "/contact/id:30/lifecycle/update", map[string]any{"name": "Prospect"}); !strings.Contains(msg, "New Lead, Hot Lead") {
		t.Fatal(msg)
	}
	e.wantError(400, "POST", "/contact/id:30/lifecycle/update", map[string]any{})
	e.ok("POST", "/contact/id:30/lifecycle/update", "null")
	if c := e.ok("GET", "/contact/id:30", nil); c["lifecycle"] != nil {
		t.Fatalf("lifecycle not cleared: %v", c["lifecycle"])
	}
	ev := e.lastEvent("id:30")
	if ev["category"] != "lifecycle" || ev["data"].(map[string]any)["oldLifecycle"] != "Customer" {
		t.Fatalf("lifecycle event %v", ev)
	}
	e.ok("POST", "/contact/id:30/lifecycle/update", map[string]any{"name": nil})
	if e.lastEvent("id:30")["id"] != ev["id"] {
		t.Fatal("clearing twice recorded an event")
	}
	if n := len(e.auditRows("tags_added")); n != 7 {
		t.Fatalf("%d tags_added audit rows, want 7", n)
	}
}

func TestCustomFieldDefinitions(t *testing.T) {
	t.Parallel() // its own sandbox
	e := start(t, Options{Seed: "demo"})
	p := e.ok("GET", "/space/custom_field?limit=100", nil)
	list := items(p)
	if len(list) != 9 || list[0]["name"] != "order_id" || list[4]["dataType"] != "list" || jsonNum(list[4]["allowedValues"]) != `["Free","Pro","Enterprise"]` {
		t.Fatalf("fields %v", list)
	}
	if f := e.ok("GET", "/space/custom_field/2", nil); f["dataType"] != "number" || f["slug"] != "loyalty_points" {
		t.Fatalf("field 2 %v", f)
	}
	e.wantError(404, "GET", "/space/custom_field/999", nil)
	f := e.ok("POST", "/space/custom_field", map[string]any{"name": "Shoe size", "dataType": "list", "allowedValues": map[string]any{"listValues": []string{"S", "M", "L"}}})
	if f["slug"] != "shoe_size" || num(f["id"]) != 10 {
		t.Fatalf("created %v", f)
	}
	e.ok("PUT", "/contact/id:3", map[string]any{"custom_fields": []any{map[string]any{"name": "shoe_size", "value": "m"}}})
	e.wantError(409, "POST", "/space/custom_field", map[string]any{"name": "shoe size", "dataType": "text"})
	e.wantError(400, "POST", "/space/custom_field", map[string]any{"name": "x", "dataType": "colour"})
	e.wantError(400, "POST", "/space/custom_field", map[string]any{"dataType": "text"})
	e.wantError(400, "POST", "/space/custom_field", map[string]any{"name": strings.Repeat("n", 51), "dataType": "text"})
	e.wantError(400, "POST", "/space/custom_field", map[string]any{"name": "y", "slug": "bad slug", "dataType": "text"})
	e.wantError(400, "POST", "/space/custom_field", map[string]any{"name": "z", "dataType": "list"})
	if n := len(e.auditRows("custom_field_created")); n != 7 {
		t.Fatalf("%d audit rows", n)
	}
}

func TestWorkspaceTags(t *testing.T) {
	t.Parallel() // its own sandbox
	e := start(t, Options{Seed: "demo"})
	vip := func() int {
		return len(items(e.ok("POST", "/contact/list?limit=100", map[string]any{"search": "", "filter": map[string]any{"$and": []any{
			map[string]any{"category": "contactTag", "field": nil, "operator": "hasAnyOf", "value": []string{"vip"}}}}})))
	}
	n := vip()
	if n == 0 {
		t.Fatal("seed has no vip contacts")
	}
	tg := e.ok("POST", "/space/tag", map[string]any{"name": "gold", "colorCode": "#FFD700"})
	if tg["name"] != "gold" || tg["colorCode"] != "#FFD700" {
		t.Fatalf("created tag %v", tg)
	}
	e.wantError(409, "POST", "/space/tag", map[string]any{"name": "GOLD"})
	e.wantError(400, "POST", "/space/tag", map[string]any{})
	// Rename moves every contact to the new name, one event each.
	tg = e.ok("PUT", "/space/tag", map[string]any{"currentName": "vip", "name": "very-important"})
	if tg["name"] != "very-important" || vip() != 0 {
		t.Fatalf("rename %v, %d vip left", tg, vip())
	}
	if ev := e.lastEvent("id:1"); ev["action"] != "renamed" || ev["data"].(map[string]any)["oldTag"] != "vip" {
		t.Fatalf("rename event %v", ev)
	}
	e.wantError(404, "PUT", "/space/tag", map[string]any{"currentName": "vip", "name": "x"})
	e.wantError(409, "PUT", "/space/tag", map[string]any{"currentName": "very-important", "name": "gold"})
	e.wantError(400, "PUT", "/space/tag", map[string]any{"name": "x"})
	// Delete takes it off every contact.
	m := e.ok("DELETE", "/space/tag", map[string]any{"name": "very-important"})
	if num(m["code"]) != 200 {
		t.Fatalf("delete %v", m)
	}
	if strings.Contains(jsonNum(e.ok("GET", "/contact/id:1", nil)["tags"]), "very-important") {
		t.Fatal("deleted tag still on contact 1")
	}
	e.wantError(404, "DELETE", "/space/tag", map[string]any{"name": "very-important"})
	rows := e.auditRows("tag_updated")
	if len(rows) != 4 || !strings.Contains(rows[3].Request, "contacts=") {
		t.Fatalf("tag_updated audit %+v", rows)
	}
}

func TestTemplatesBothPaths(t *testing.T) {
	t.Parallel() // its own sandbox
	e := start(t, Options{Seed: "demo"})
	p := e.ok("GET", "/space/channel/31/template?limit=100", nil)
	list := items(p)
	statuses, langs := map[string]int{}, map[string]bool{}
	for _, t := range list {
		statuses[t["status"].(string)]++
		langs[t["languageCode"].(string)] = true
	}
	if statuses["APPROVED"] < 3 || statuses["PENDING"] != 1 || statuses["REJECTED"] != 1 || len(langs) < 2 {
		t.Fatalf("seeded templates %v %v", statuses, langs)
	}
	first := list[0]
	if first["name"] != "order_update" || num(first["channelId"]) != 31 || first["namespace"] == "" {
		t.Fatalf("template %v", first)
	}
	if _, ok := first["components"].([]any); !ok {
		t.Fatalf("components not an array: %T", first["components"])
	}
	mtm := items(e.ok("GET", "/space/channel/31/mtm?limit=100", nil))
	if len(mtm) != len(list) {
		t.Fatalf("mtm has %d, template %d", len(mtm), len(list))
	}
	if _, ok := mtm[0]["components"].(string); !ok {
		t.Fatalf("mtm components not a string: %T", mtm[0]["components"])
	}
	one := e.ok("GET", "/space/mtm/504", nil)
	data, _ := one["data"].(map[string]any)
	if one["status"] == nil || data["name"] != "welcome_offer" || data["catalogProducts"] == nil {
		t.Fatalf("mtm one %v", one)
	}
	e.wantError(404, "GET", "/space/mtm/9", nil)
	e.wantError(404, "GET", "/space/channel/99/template", nil)
	e.wantError(400, "GET", "/space/channel/34/template", nil) // Telegram
	// Paging.
	p = e.ok("GET", "/space/channel/31/template?limit=2", nil)
	if len(items(p)) != 2 || p["pagination"].(map[string]any)["next"] == "" {
		t.Fatalf("page %v", p)
	}
}

// A whatsapp_template send is accepted and then fails as WhatsApp fails it.
func TestTemplateSendFailures(t *testing.T) {
	t.Parallel() // its own sandbox
	e := start(t, Options{Seed: "demo"})
	params := func(n int) []any {
		ps := make([]any, n)
		for i := range ps {
			ps[i] = map[string]any{"type": "text", "text": "p"}
		}
		return []any{map[string]any{"type": "body", "parameters": ps}}
	}
	cases := []struct {
		name, lang string
		comps      []any
		reason     string
	}{
		{"order_update", "en", params(3), ""},
		{"order_update", "ms", params(3), ""},
		{"order_updte", "en", params(3), store.ReasonTemplateMissing},
		{"order_update", "fr", params(3), store.ReasonTemplateMissing},
		{"holiday_promo", "en", params(2), store.ReasonTemplateNotActive},
		{"feedback_request", "en", params(1), store.ReasonTemplateNotActive},
		{"order_update", "en", params(2), store.ReasonTemplateParams},
		{"welcome_offer", "en", params(2), store.ReasonTemplateHeader},
		{"hello_world", "en_US", nil, ""},
	}
	for _, c := range cases {
		m := e.ok("POST", "/contact/id:1/message", map[string]any{"channelId": 31, "message": map[string]any{"type": "whatsapp_template",
			"template": map[string]any{"name": c.name, "languageCode": c.lang, "components": c.comps}}})
		e.clock.Advance(2e9)
		msg := e.ok("GET", "/contact/id:1/message/"+jsonNum(m["messageId"]), nil)
		st := msg["status"].([]any)
		last := st[len(st)-1].(map[string]any)
		switch {
		case c.reason == "" && last["value"] == "failed":
			t.Errorf("%s/%s failed: %v", c.name, c.lang, last)
		case c.reason != "" && (last["value"] != "failed" || !strings.HasPrefix(last["message"].(string), c.reason)):
			t.Errorf("%s/%s: %v, want failed with %q", c.name, c.lang, last, c.reason)
		}
	}
}
