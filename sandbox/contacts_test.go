package sandbox

import (
	"strings"
	"testing"
)

func cond(category string, field any, op string, value any) map[string]any {
	return map[string]any{"category": category, "field": field, "operator": op, "value": value}
}

func listBodyWith(conds ...map[string]any) map[string]any {
	c := make([]any, len(conds))
	for i, x := range conds {
		c[i] = x
	}
	return map[string]any{"search": "", "timezone": "UTC", "filter": map[string]any{"$and": c}}
}

func TestContactListOrderAndCursor(t *testing.T) {
	t.Parallel() // its own sandbox
	e := start(t, Options{})
	var all []map[string]any
	path := "/contact/list?limit=100"
	for pages := 0; ; pages++ {
		if pages > 10 {
			t.Fatal("too many pages")
		}
		p := e.ok("POST", path, allList)
		all = append(all, items(p)...)
		next := p["pagination"].(map[string]any)["next"].(string)
		if next == "" {
			break
		}
		path = strings.TrimPrefix(next, e.srv.URL())
	}
	if len(all) != 300 {
		t.Fatalf("paged %d contacts, want 300", len(all))
	}
	seen := map[int64]bool{}
	for i, c := range all {
		id := num(c["id"])
		if seen[id] {
			t.Fatalf("contact %d listed twice", id)
		}
		seen[id] = true
		if i > 0 {
			a, b := num(all[i-1]["lastMessageTime"]), num(c["lastMessageTime"])
			if a < b || (a == b && num(all[i-1]["id"]) < id) {
				t.Fatalf("not sorted by lastMessageTime desc at %d", i)
			}
		}
	}
	count := e.ok("POST", "/contact/count", allList)
	if num(count["count"]) != 300 || num(count["unread"]) == 0 {
		t.Errorf("count %v", count)
	}
}

func TestContactFilters(t *testing.T) {
	t.Parallel() // its own sandbox
	e := start(t, Options{})
	check := func(name string, body map[string]any, pred func(map[string]any) bool) {
		t.Helper()
		p := e.ok("POST", "/contact/list?limit=100", body)
		list := items(p)
		if len(list) == 0 {
			t.Errorf("%s: no contacts", name)
		}
		for _, c := range list {
			if !pred(c) {
				t.Errorf("%s: contact does not match: %v", name, c)
				break
			}
		}
		cnt := e.ok("POST", "/contact/count", body)
		if num(cnt["count"]) < int64(len(list)) {
			t.Errorf("%s: count %v < page %d", name, cnt, len(list))
		}
	}
	check("open", listBodyWith(cond("contactField", "status", "isEqualTo", "open")), func(c map[string]any) bool { return c["status"] == "open" })
	check("snoozed", listBodyWith(cond("contactField", "status", "isEqualTo", "snoozed")), func(c map[string]any) bool {
		return c["status"] == "snoozed" && c["snoozedUntil"] != nil
	})
	check("unassigned", listBodyWith(cond("contactField", "assigneeUserId", "doesNotExist", nil)), func(c map[string]any) bool { return c["assignee"] == nil })
	check("assignee 1", listBodyWith(cond("contactField", "assigneeUserId", "isEqualTo", "1")), func(c map[string]any) bool {
		a, _ := c["assignee"].(map[string]any)
		return a != nil && num(a["id"]) == 1
	})
	check("unread", listBodyWith(cond("contactField", "unread", "isGreaterThan", 0)), func(c map[string]any) bool { return num(c["unreadCount"]) > 0 })
	check("vip", listBodyWith(cond("contactTag", nil, "hasAnyOf", []string{"vip"})), func(c map[string]any) bool {
		return strings.Contains(string(mustJSON(c["tags"])), `"vip"`)
	})
	check("no vip", listBodyWith(cond("contactTag", nil, "hasNoneOf", []string{"vip"})), func(c map[string]any) bool {
		return !strings.Contains(string(mustJSON(c["tags"])), `"vip"`)
	})
	check("hot", listBodyWith(cond("lifecycle", nil, "isEqualTo", "Hot Lead")), func(c map[string]any) bool { return c["lifecycle"] == "Hot Lead" })
	check("MY", listBodyWith(cond("contactField", "countryCode", "isEqualTo", "MY")), func(c map[string]any) bool { return c["countryCode"] == "MY" })
	check("custom", listBodyWith(cond("contactField", "order_id", "isEqualTo", "A-1001")), func(c map[string]any) bool { return num(c["id"]) == 1 })
	check("custom number", listBodyWith(cond("contactField", "loyalty_points", "isGreaterThan", 2500)), func(c map[string]any) bool { return true })
	check("created", listBodyWith(cond("contactField", "createdAt", "isTimestampAfter", "2024-06-01 00:00")), func(c map[string]any) bool {
		return num(c["created_at"]) > 1717200000
	})
	check("between", listBodyWith(cond("contactField", "createdAt", "isTimestampBetween", map[string]string{"from": "2024-01-01 00:00", "to": "2024-12-31 23:59"})),
		func(c map[string]any) bool { return true })
	or := map[string]any{"search": "", "filter": map[string]any{"$or": []any{
		cond("contactField", "status", "isEqualTo", "pending"), cond("contactField", "status", "isEqualTo", "close")}}}
	check("or", or, func(c map[string]any) bool { return c["status"] == "pending" || c["status"] == "close" })
	check("search name", map[string]any{"search": "aisha rah", "filter": noConditions}, func(c map[string]any) bool { return c["firstName"] == "Aisha" && c["lastName"] == "Rahman" })
	check("search phone", map[string]any{"search": "+60 12-345 6789", "filter": noConditions}, func(c map[string]any) bool { return num(c["id"]) == 1 })
	check("search email", map[string]any{"search": "AISHA@example", "filter": noConditions}, func(c map[string]any) bool { return num(c["id"]) == 1 })
	for _, bad := range []map[string]any{
		listBodyWith(cond("contactField", "status", "isEqualTo", "weird")),
		listBodyWith(cond("contactField", "status", "frobnicate", "open")),
		listBodyWith(cond("nope", "status", "isEqualTo", "open")),
		listBodyWith(cond("contactField", nil, "isEqualTo", "x")),
		listBodyWith(cond("contactField", "createdAt", "isTimestampAfter", "yesterday")),
		listBodyWith(cond("contactField", "lastMessageTime", "isGreaterThan", 1)),
		{"search": "", "filter": map[string]any{"$xor": []any{}}},
		{"search": "", "filter": "status=open"},
	} {
		e.wantError(400, "POST", "/contact/list", bad)
		e.wantError(400, "POST", "/contact/count", bad)
	}
	// filter is required in /contact/list, as the vendor SDK's types say; the
	// answer names it.
	for _, body := range []string{`{"search":""}`, `{"search":"","filter":null}`} {
		r := e.do("POST", "/contact/list", body)
		if r.status != 400 || !strings.Contains(string(r.body), `\"filter\" is required`) {
			t.Errorf("%s: %d %s", body, r.status, r.body)
		}
	}
}

func TestContactChannels(t *testing.T) {
	t.Parallel() // its own sandbox
	e := start(t, Options{})
	p := e.ok("GET", "/contact/id:1/channels", nil)
	list := items(p)
	if len(list) != 1 || num(list[0]["id"]) != 31 || list[0]["source"] != "whatsapp_cloud" || list[0]["lastIncomingMessageTime"] == nil {
		t.Fatalf("channels %v", list)
	}
	if _, ok := list[0]["contactChannelId"]; !ok {
		t.Errorf("no contactChannelId")
	}
	e.wantError(404, "GET", "/contact/id:99999/channels", nil)
}

func TestContactListPreviousPage(t *testing.T) {
	t.Parallel() // its own sandbox
	e := start(t, Options{})
	p1 := e.ok("POST", "/contact/list?limit=7", allList)
	next := p1["pagination"].(map[string]any)["next"].(string)
	p2 := e.ok("POST", strings.TrimPrefix(next, e.srv.URL()), allList)
	prev := p2["pagination"].(map[string]any)["previous"].(string)
	if prev == "" {
		t.Fatal("no previous link on page 2")
	}
	back := items(e.ok("POST", strings.TrimPrefix(prev, e.srv.URL()), allList))
	first := items(p1)
	if len(back) != len(first) {
		t.Fatalf("previous page has %d items, want %d", len(back), len(first))
	}
	for i := range back {
		if num(back[i]["id"]) != num(first[i]["id"]) {
			t.Fatalf("previous page differs at %d", i)
		}
	}
	e.wantError(400, "POST", "/contact/list?cursorId=999999", allList)
}
