package sandbox

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/respondctl/respondctl/sandbox/store"
)

func TestCoreOnly(t *testing.T) {
	t.Parallel() // its own sandbox
	e := start(t, Options{CoreOnly: true})
	for _, p := range []struct{ method, path string }{
		{"GET", "/space/capabilities"}, {"POST", "/contact/count"}, {"GET", "/space/view/list"}, {"GET", "/contact/id:1/conversation/event/list"},
	} {
		e.wantError(404, p.method, p.path, allList)
	}
	c := e.ok("GET", "/contact/id:1", nil)
	for _, k := range []string{"lastMessageTime", "unreadCount", "snoozedUntil"} {
		if _, ok := c[k]; ok {
			t.Errorf("core contact has %s", k)
		}
	}
	m := items(e.ok("GET", "/contact/id:1/message/list", nil))[0]
	if _, ok := m["timestamp"]; ok {
		t.Errorf("core message has timestamp")
	}
	for _, f := range []map[string]any{
		listBodyWith(cond("contactField", "unread", "isGreaterThan", 0)),
		listBodyWith(cond("contactField", "status", "isEqualTo", "pending")),
		listBodyWith(cond("contactField", "status", "isEqualTo", "snoozed")),
		listBodyWith(cond("contactField", "assigneeUserId", "doesNotExist", nil)),
	} {
		e.wantError(400, "POST", "/contact/list", f)
	}
	e.wantError(400, "POST", "/contact/id:1/conversation/status", map[string]any{"status": "pending"})
	e.wantError(400, "POST", "/contact/id:1/conversation/status", map[string]any{"status": "snooze", "snoozeUntil": time.Now().Add(time.Hour).Unix()})
	// Core order: id descending, cursor by id.
	p := e.ok("POST", "/contact/list?limit=3", listBodyWith(cond("contactField", "status", "isEqualTo", "open")))
	list := items(p)
	if num(list[0]["id"]) <= num(list[1]["id"]) {
		t.Errorf("core order not id desc")
	}
	for _, c := range list {
		if c["status"] != "open" {
			t.Errorf("status %v", c["status"])
		}
	}
}

func TestSeedCoverage(t *testing.T) {
	t.Parallel() // its own sandbox
	e := start(t, Options{})
	db := e.srv.Store().DB()
	for _, k := range store.SeedEventKinds {
		var n int
		if err := db.QueryRow(`SELECT COUNT(*) FROM events WHERE category = ? AND action = ? AND by = ?`, k.Category, k.Action, k.By).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n == 0 {
			t.Errorf("demo seed lacks event %+v", k)
		}
	}
	var url string
	db.QueryRow(`SELECT json_extract(data, '$.url') FROM events WHERE category = 'page' LIMIT 1`).Scan(&url)
	if !strings.HasPrefix(url, "https://") {
		t.Errorf("page change url %q", url)
	}
	checks := map[string]string{
		"statuses":          `SELECT COUNT(DISTINCT status) = 4 FROM contacts`,
		"unread":            `SELECT COUNT(*) > 20 FROM contacts WHERE unread_count > 0`,
		"failed reasons":    `SELECT COUNT(*) > 5 FROM messages WHERE final_status = 'failed' AND fail_reason <> ''`,
		"final statuses":    `SELECT COUNT(DISTINCT final_status) = 4 FROM messages`,
		"types":             `SELECT COUNT(DISTINCT json_extract(body, '$.type')) >= 10 FROM messages`,
		"unsupported":       `SELECT COUNT(*) > 0 FROM messages WHERE json_extract(body, '$.type') = 'unsupported'`,
		"templates":         `SELECT COUNT(*) > 0 FROM messages WHERE json_extract(body, '$.type') = 'whatsapp_template'`,
		"closing windows":   `SELECT COUNT(*) >= 3 FROM contact_channels cc JOIN channels ch ON ch.id = cc.channel_id WHERE ch.source = 'whatsapp_cloud' AND ? - cc.last_incoming_message_time BETWEEN 22*3600 AND 24*3600`,
		"outside windows":   `SELECT COUNT(*) >= 10 FROM contact_channels cc JOIN channels ch ON ch.id = cc.channel_id WHERE ch.source = 'whatsapp_cloud' AND ? - cc.last_incoming_message_time > 24*3600`,
		"every channel":     `SELECT COUNT(DISTINCT channel_id) = 10 FROM contact_channels`,
		"rejecting":         `SELECT COUNT(*) = 4 FROM contact_channels WHERE reject_reason IS NOT NULL`,
		"lifecycles":        `SELECT COUNT(DISTINCT lifecycle) >= 4 FROM contacts`,
		"custom fields":     `SELECT COUNT(DISTINCT name) >= 3 FROM contact_fields`,
		"all senders":       `SELECT COUNT(DISTINCT json_extract(sender, '$.source')) >= 7 FROM messages WHERE traffic = 'outgoing'`,
		"message count":     `SELECT COUNT(*) >= 3000 FROM messages`,
		"contacts":          `SELECT COUNT(*) >= 250 FROM contacts`,
		"snoozed in future": `SELECT COUNT(*) > 0 FROM contacts WHERE status = 'snoozed' AND snoozed_until > ?`,
	}
	now := e.clock.Now().Unix()
	for name, q := range checks {
		var ok bool
		var args []any
		if strings.Contains(q, "?") {
			args = append(args, now)
		}
		if err := db.QueryRow(q, args...).Scan(&ok); err != nil || !ok {
			t.Errorf("%s: %v (%v)", name, ok, err)
		}
	}
}

func dump(t *testing.T, s *store.Store) string {
	var b strings.Builder
	for _, q := range []string{
		`SELECT id, first_name, last_name, phone, email, status, assignee_id, lifecycle, created_at, last_message_time, unread_count, snoozed_until FROM contacts ORDER BY id`,
		`SELECT id, contact_id, channel_id, traffic, body, sender, created_at, final_status, fail_reason FROM messages ORDER BY id`,
		`SELECT id, contact_id, timestamp, category, action, by, data FROM events ORDER BY id`,
		`SELECT contact_id, tag FROM contact_tags ORDER BY 1, 2`,
		`SELECT contact_id, name, value FROM contact_fields ORDER BY 1, 2`,
		`SELECT * FROM contact_channels ORDER BY id`,
	} {
		rows, err := s.DB().Query(q)
		if err != nil {
			t.Fatal(err)
		}
		cols, _ := rows.Columns()
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		for rows.Next() {
			rows.Scan(ptrs...)
			for _, v := range vals {
				b.WriteString(strings.TrimSpace(strings.ReplaceAll(fmtAny(v), "\n", " ")))
				b.WriteByte('|')
			}
			b.WriteByte('\n')
		}
		rows.Close()
	}
	return b.String()
}

func fmtAny(v any) string {
	switch x := v.(type) {
	case []byte:
		return string(x)
	case nil:
		return "NULL"
	default:
		return strings.TrimSpace(strings.Trim(strings.TrimSpace(fmtV(x)), "\x00"))
	}
}

func TestSeedDeterminism(t *testing.T) {
	now := func() time.Time { return time.Date(2024, 11, 24, 12, 0, 0, 0, time.UTC) }
	a, err := store.Open(context.Background(), ":memory:", "demo", now)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	b, err := store.Open(context.Background(), ":memory:", "demo", now)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	da, db := dump(t, a), dump(t, b)
	if da != db {
		t.Fatal("two demo seeds differ")
	}
	if len(da) < 100000 {
		t.Fatalf("dump suspiciously small: %d bytes", len(da))
	}
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func TestLogNeverShowsToken(t *testing.T) {
	t.Parallel() // its own sandbox
	var log syncBuffer
	e := start(t, Options{Log: &log, Token: "secret-token-123"})
	e.ok("GET", "/contact/id:1", nil)
	e.doToken("GET", "/space/user?cursorId=secret-token-123", nil, "")
	out := log.String()
	if strings.Contains(out, "secret-token-123") {
		t.Fatalf("log leaks token: %s", out)
	}
	if !strings.Contains(out, "GET /v2/contact/id:1 200") || !strings.Contains(out, "401") {
		t.Errorf("log lines: %s", out)
	}
}

func TestRateLimitAndFaultsWired(t *testing.T) {
	t.Parallel() // its own sandbox
	e := start(t, Options{Rate: 1})
	r1 := e.do("GET", "/space/user", nil)
	if r1.header.Get("X-RateLimit-Limit") == "" {
		t.Fatalf("no rate limit headers: %v", r1.header)
	}
	var limited bool
	for i := 0; i < 5; i++ {
		if r := e.do("GET", "/space/user", nil); r.status == 429 {
			limited = r.header.Get("Retry-After") != ""
			break
		}
	}
	if !limited {
		t.Errorf("never rate limited at 1 req/s")
	}
	// Another endpoint has its own budget; sandbox endpoints are never limited.
	if r := e.do("GET", "/space/channel", nil); r.status != 200 {
		t.Errorf("other endpoint: %d", r.status)
	}
	for i := 0; i < 5; i++ {
		if r := e.do("GET", "/sandbox/audit", nil); r.status != 200 {
			t.Errorf("sandbox endpoint limited: %d", r.status)
		}
	}
	f := start(t, Options{Faults: "500=1"})
	if r := f.do("GET", "/space/user", nil); r.status != 500 {
		t.Errorf("fault 500=1: status %d", r.status)
	}
	if _, err := Start(context.Background(), Options{Faults: "bogus=1"}); err == nil {
		t.Errorf("bad fault spec accepted")
	}
}

func TestFileDatabaseIsNotReseeded(t *testing.T) {
	t.Parallel() // its own sandbox
	path := t.TempDir() + "/sandbox.db"
	e := start(t, Options{DBPath: path})
	e.ok("POST", "/contact/id:1/conversation/status", map[string]any{"status": "close"})
	e.srv.Close()
	e2 := start(t, Options{DBPath: path, Seed: "empty"})
	if c := e2.ok("GET", "/contact/id:1", nil); c["status"] != "close" {
		t.Errorf("state lost or reseeded: %v", c["status"])
	}
	empty := start(t, Options{Seed: "empty"})
	if n := len(items(empty.ok("POST", "/contact/list", allList))); n != 0 {
		t.Errorf("empty seed has %d contacts", n)
	}
	if n := len(items(empty.ok("GET", "/space/user", nil))); n != 6 {
		t.Errorf("empty seed has %d users", n)
	}
}

func fmtV(v any) string { return fmt.Sprint(v) }
