package store

import (
	"context"
	"testing"
	"time"
)

var fixedNow = time.Date(2024, 11, 24, 12, 0, 0, 0, time.UTC)

func openDemo(t testing.TB) *Store {
	t.Helper()
	s, err := Open(context.Background(), ":memory:", "demo", func() time.Time { return fixedNow })
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func TestDemoSeedCounts(t *testing.T) {
	s := openDemo(t)
	for table, min := range map[string]int{"users": 6, "channels": 10, "contacts": 250, "messages": 3000, "events": 300, "views": 3, "closing_notes": 3} {
		var n int
		if err := s.DB().QueryRow(`SELECT COUNT(*) FROM ` + table).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n < min {
			t.Errorf("%s: %d rows, want >= %d", table, n, min)
		}
		t.Logf("%s: %d", table, n)
	}
	var v int
	s.DB().QueryRow(`SELECT version FROM schema_version`).Scan(&v)
	if v != SchemaVersion {
		t.Errorf("schema version %d, want %d", v, SchemaVersion)
	}
}

func TestParseSeed(t *testing.T) {
	for _, bad := range []string{"large:", "large:0", "large:x", "nope"} {
		if _, err := ParseSeed(bad); err == nil {
			t.Errorf("ParseSeed(%q) succeeded", bad)
		}
	}
	if p, err := ParseSeed("large:100"); err != nil || p.Large != 100 {
		t.Errorf("large:100 = %+v, %v", p, err)
	}
}

func TestLargeSeed(t *testing.T) {
	s, err := Open(context.Background(), ":memory:", "large:30", func() time.Time { return fixedNow })
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var contacts, big, other, version, indexes int
	db := s.DB()
	db.QueryRow(`SELECT COUNT(*) FROM contacts`).Scan(&contacts)
	db.QueryRow(`SELECT COUNT(*) FROM messages WHERE contact_id = ?`, BigConversationContact).Scan(&big)
	db.QueryRow(`SELECT COUNT(*) FROM messages WHERE contact_id = 2`).Scan(&other)
	db.QueryRow(`SELECT version FROM schema_version`).Scan(&version)
	db.QueryRow(`SELECT COUNT(*) FROM sqlite_master WHERE type = 'index' AND name = 'messages_contact'`).Scan(&indexes)
	if contacts != 30 || big != BigConversationSize || other != 20 || version != SchemaVersion || indexes != 1 {
		t.Errorf("contacts %d, big %d, other %d, version %d, index %d", contacts, big, other, version, indexes)
	}
}
