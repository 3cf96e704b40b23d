package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"testing"
	"time"
)

func TestParseSeedConversation(t *testing.T) {
	good := map[string]SeedPlan{
		"large:30,conversation:50": {Name: "large", Large: 30, Conversation: 50},
		"demo,conversation:7":      {Name: "demo", Conversation: 7},
		"large:1,conversation:1":   {Name: "large", Large: 1, Conversation: 1},
	}
	for in, want := range good {
		got, err := ParseSeed(in)
		if err != nil || got != want {
			t.Errorf("ParseSeed(%q) = %+v, %v; want %+v", in, got, err, want)
			continue
		}
		if again, err := ParseSeed(got.String()); err != nil || again != got {
			t.Errorf("%q: String() %q does not parse back: %+v, %v", in, got.String(), again, err)
		}
	}
	for _, bad := range []string{"conversation:5", ",conversation:3", "empty,conversation:5", "large:3,conversation:0", "demo,conversation:",
		"demo,conversation:x", "demo,foo:3", "demo,", "large:3,conversation:5,conversation:6",
		fmt.Sprintf("demo,conversation:%d", MaxConversation+1), "large:0,conversation:5"} {
		if p, err := ParseSeed(bad); err == nil {
			t.Errorf("ParseSeed(%q) = %+v, want an error", bad, p)
		}
	}
}

// TestConversationSeed: contact 1 gets exactly M messages, consistent with its
// contact row, and every other contact is the base seed's (message ids aside).
func TestConversationSeed(t *testing.T) {
	now := func() time.Time { return fixedNow }
	open := func(seed string) *Store {
		s, err := Open(context.Background(), ":memory:", seed, now)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		return s
	}
	for _, c := range []struct {
		base string
		m    int
	}{{"large:30", 50}, {"demo", 40}, {"demo", 1}} {
		seed := fmt.Sprintf("%s,conversation:%d", c.base, c.m)
		plain, sized := open(c.base), open(seed)
		db := sized.DB()
		var n, lastMsg, maxAt, unread int64
		var status string
		db.QueryRow(`SELECT COUNT(*), MAX(created_at) FROM messages WHERE contact_id = ?`, BigConversationContact).Scan(&n, &maxAt)
		db.QueryRow(`SELECT last_message_time, unread_count, status FROM contacts WHERE id = ?`, BigConversationContact).Scan(&lastMsg, &unread, &status)
		if n != int64(c.m) || lastMsg != maxAt || status != "open" || unread < 1 {
			t.Errorf("%s: contact 1 has %d messages (want %d), last_message_time %d (newest %d), status %s, unread %d",
				seed, n, c.m, lastMsg, maxAt, status, unread)
		}
		var backwards int
		db.QueryRow(`SELECT COUNT(*) FROM messages a JOIN messages b ON b.contact_id = a.contact_id AND b.id > a.id
			WHERE a.contact_id = ? AND b.created_at < a.created_at`, BigConversationContact).Scan(&backwards)
		if backwards != 0 {
			t.Errorf("%s: %d message pairs whose ids and times disagree", seed, backwards)
		}
		for _, q := range []string{
			`SELECT * FROM contacts WHERE id <> 1 ORDER BY id`,
			`SELECT contact_id, channel_id, traffic, sender, created_at, final_status, fail_reason FROM messages WHERE contact_id <> 1 ORDER BY contact_id, id`,
			`SELECT * FROM contact_channels WHERE contact_id <> 1 ORDER BY id`,
			`SELECT * FROM events WHERE contact_id <> 1 ORDER BY id`,
			`SELECT * FROM contact_tags ORDER BY contact_id, tag`,
		} {
			if a, b := dumpQuery(t, plain.DB(), q), dumpQuery(t, db, q); a != b {
				t.Errorf("%s differs from %s outside contact 1: %s", seed, c.base, q)
			}
		}
	}
}

// TestConversationSeedBulk: a conversation larger than the large seed's takes
// the bulk path (indexes after the load) even on the demo seed.
func TestConversationSeedBulk(t *testing.T) {
	if testing.Short() {
		t.Skip("seeds 12,000 messages")
	}
	s, err := Open(context.Background(), ":memory:", "demo,conversation:12000", func() time.Time { return fixedNow })
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var n, version, indexes int
	s.DB().QueryRow(`SELECT COUNT(*) FROM messages WHERE contact_id = ?`, BigConversationContact).Scan(&n)
	s.DB().QueryRow(`SELECT version FROM schema_version`).Scan(&version)
	s.DB().QueryRow(`SELECT COUNT(*) FROM sqlite_master WHERE type = 'index' AND name = 'messages_contact'`).Scan(&indexes)
	if n != 12000 || version != SchemaVersion || indexes != 1 {
		t.Errorf("messages %d, schema version %d, index %d", n, version, indexes)
	}
}

func dumpQuery(t *testing.T, db *sql.DB, q string) string {
	t.Helper()
	rows, err := db.Query(q)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	var b strings.Builder
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		for _, v := range vals {
			if bs, ok := v.([]byte); ok {
				v = string(bs)
			}
			fmt.Fprintf(&b, "%v\t", v)
		}
		b.WriteByte('\n')
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return b.String()
}
