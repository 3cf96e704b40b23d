package store

import (
	"context"
	"database/sql"
	"errors"
	"os"
	"path/filepath"
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

// A panic inside a write (the server recovers it as a 500) must roll the transaction back:
// an in-memory store has one connection, and a transaction left open would hold it forever.
func TestWritePanicReleasesConnection(t *testing.T) {
	s, err := Open(context.Background(), ":memory:", "empty", func() time.Time { return fixedNow })
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	func() {
		defer func() { _ = recover() }()
		_ = s.write(context.Background(), func(tx *sql.Tx) error {
			if _, err := tx.Exec(`INSERT INTO views (name, filter) VALUES ('half', '{}')`); err != nil {
				t.Fatal(err)
			}
			panic("boom")
		})
	}()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	var n int
	if err := s.DB().QueryRowContext(ctx, `SELECT COUNT(*) FROM views WHERE name = 'half'`).Scan(&n); err != nil {
		t.Fatalf("store unusable after a panicking write: %v", err)
	}
	if n != 0 {
		t.Errorf("the panicking write was committed (%d rows)", n)
	}
}

// TestBulkSeedInterruptedLeavesNoDatabase: a bulk seed builds its file aside (journal off)
// and renames it into place when complete, so an interrupted seed leaves nothing a later
// start would take for a seeded database, and that start seeds afresh.
func TestBulkSeedInterruptedLeavesNoDatabase(t *testing.T) {
	path := filepath.Join(t.TempDir(), "big.db")
	// What a crash part-way through an earlier build left.
	if err := os.WriteFile(path+".seeding", []byte("half a database"), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	seedPhase = func(p string) {
		if p == "rows" {
			cancel()
		}
	}
	t.Cleanup(func() { seedPhase = func(string) {} })
	now := func() time.Time { return fixedNow }
	if s, err := Open(ctx, path, "large:200", now); err == nil {
		s.Close()
		t.Fatal("Open with the seed interrupted: no error")
	}
	for _, p := range []string{path, path + ".seeding", path + "-wal"} {
		if _, err := os.Stat(p); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("%s after an interrupted seed: %v, want no file", p, err)
		}
	}

	seedPhase = func(string) {}
	s, err := Open(context.Background(), path, "large:200", now)
	if err != nil {
		t.Fatal(err)
	}
	var contacts, version int
	var mode string
	s.DB().QueryRow(`SELECT COUNT(*) FROM contacts`).Scan(&contacts)
	s.DB().QueryRow(`SELECT version FROM schema_version`).Scan(&version)
	s.DB().QueryRow(`PRAGMA journal_mode`).Scan(&mode)
	var contactStats, messageStats int
	s.DB().QueryRow(`SELECT COUNT(*) FROM sqlite_stat1 WHERE tbl = 'contacts'`).Scan(&contactStats)
	s.DB().QueryRow(`SELECT COUNT(*) FROM sqlite_stat1 WHERE tbl = 'messages'`).Scan(&messageStats)
	s.Close()
	if contactStats == 0 || messageStats != 0 {
		t.Errorf("sqlite_stat1: %d rows for contacts, %d for messages; want some, none (see analyze)", contactStats, messageStats)
	}
	if contacts != 200 || version != SchemaVersion || mode != "wal" {
		t.Errorf("after the second start: %d contacts, schema version %d, journal %q; want 200, %d, wal", contacts, version, mode, SchemaVersion)
	}
	if _, err := os.Stat(path + ".seeding"); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("%s.seeding left behind: %v", path, err)
	}
	// A seeded database is never reseeded, whatever the seed asked for.
	s, err = Open(context.Background(), path, "large:300", now)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	s.DB().QueryRow(`SELECT COUNT(*) FROM contacts`).Scan(&contacts)
	if contacts != 200 {
		t.Errorf("reopened with large:300: %d contacts, want the 200 seeded", contacts)
	}
}

// The demo seed of a file database (the `--sandbox` default) is built aside too: a process
// killed mid-seed leaves no database that a later start would take for a seeded, empty one;
// and the file gets every index a seed in memory has.
func TestDemoSeedInterruptedLeavesNoDatabase(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sandbox.db")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	seedPhase = func(p string) {
		if p == "rows" {
			cancel()
		}
	}
	t.Cleanup(func() { seedPhase = func(string) {} })
	now := func() time.Time { return fixedNow }
	if s, err := Open(ctx, path, "demo", now); err == nil {
		s.Close()
		t.Fatal("Open with the seed interrupted: no error")
	}
	if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("%s after an interrupted seed: %v, want no file", path, err)
	}
	seedPhase = func(string) {}
	s, err := Open(context.Background(), path, "demo", now)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	mem, err := Open(context.Background(), "", "demo", now)
	if err != nil {
		t.Fatal(err)
	}
	defer mem.Close()
	count := func(db *sql.DB, q string) (n int) {
		if err := db.QueryRow(q).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	const indexes = `SELECT COUNT(*) FROM sqlite_schema WHERE type IN ('index', 'trigger')`
	if got, want := count(s.DB(), `SELECT COUNT(*) FROM contacts`), DemoContacts; got != want {
		t.Errorf("%d contacts after the second start, want %d", got, want)
	}
	if got, want := count(s.DB(), indexes), count(mem.DB(), indexes); got != want {
		t.Errorf("%d indexes and triggers in the file, %d in memory", got, want)
	}
}
