package store

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// scanSearch is the search as a full scan (the pre-index query): the reference the
// indexed search must equal.
func scanSearch(t *testing.T, s *Store, term string) []int64 {
	t.Helper()
	q := ContactQuery{Search: term}
	where, args, err := q.whereClause()
	if err != nil {
		t.Fatal(err)
	}
	const indexCond = "c.id IN (SELECT rowid FROM contacts_search WHERE contacts_search MATCH ?) AND "
	if strings.Contains(where, indexCond) {
		where, args = strings.Replace(where, indexCond, "", 1), args[1:] // drop the index condition
	}
	rows, err := s.DB().Query(`SELECT c.id FROM contacts c WHERE `+where+` ORDER BY c.id DESC`, args...)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		rows.Scan(&id)
		ids = append(ids, id)
	}
	return ids
}

func indexedSearch(t *testing.T, s *Store, term string) []int64 {
	t.Helper()
	list, _, err := s.ListContacts(context.Background(), ContactQuery{Search: term}, Page{Limit: 1000})
	if err != nil {
		t.Fatalf("search %q: %v", term, err)
	}
	var ids []int64
	for _, c := range list {
		ids = append(ids, c.ID)
	}
	count, _, err := s.CountContacts(context.Background(), ContactQuery{Search: term})
	if err != nil || count != int64(len(ids)) {
		t.Fatalf("count %q = %d, %v; list has %d", term, count, err, len(ids))
	}
	return ids
}

func TestSearchIndexMatchesScan(t *testing.T) {
	s := openDemo(t)
	terms := []string{"aisha", "AISHA RAH", "ha r", "rahman", "example.com", "@exa", "lim1", "+60", "+60 12-345",
		"6012345", "601", "a", "li", "zz", "nobody-at-all", `"q"uote`, "%", "50_", "ai%sh", "Tan", "élé", "  siti  "}
	for _, term := range terms {
		want, got := scanSearch(t, s, term), indexedSearch(t, s, term)
		slices.Sort(want)
		slices.Sort(got)
		if !slices.Equal(want, got) {
			t.Errorf("search %q: index gives %d contacts %v, scan %d %v", term, len(got), head(got), len(want), head(want))
		}
	}
}

func head(ids []int64) []int64 { return ids[:min(len(ids), 5)] }

// The index follows inserts, updates and deletes of contacts, whoever writes them.
func TestSearchIndexFollowsWrites(t *testing.T) {
	s := openDemo(t)
	db := s.DB()
	mustExec := func(q string, args ...any) {
		t.Helper()
		if _, err := db.Exec(q, args...); err != nil {
			t.Fatal(err)
		}
	}
	mustExec(`INSERT INTO contacts (id, first_name, last_name, email, phone, phone_digits, created_at) VALUES (9001, 'Zebedee', 'Quux', 'zq@corp.test', '+44 7700 900123', '447700900123', 0)`)
	for _, term := range []string{"zebedee q", "corp.test", "7700 900"} {
		if got := indexedSearch(t, s, term); !slices.Equal(got, []int64{9001}) {
			t.Fatalf("after insert, %q finds %v", term, got)
		}
	}
	mustExec(`UPDATE contacts SET first_name = 'Yolanda', email = NULL, phone_digits = '111222333' WHERE id = 9001`)
	for term, want := range map[string][]int64{"zebedee": nil, "yolanda qu": {9001}, "corp.test": nil, "7700900": nil, "1112223": {9001}} {
		if got := indexedSearch(t, s, term); !slices.Equal(got, want) {
			t.Fatalf("after update, %q finds %v, want %v", term, got, want)
		}
	}
	mustExec(`DELETE FROM contacts WHERE id = 9001`)
	if got := indexedSearch(t, s, "yolanda"); len(got) != 0 {
		t.Fatalf("after delete, found %v", got)
	}
}

// A file database migrated from before the index and the counts (version 3) gets both, filled.
func TestSearchIndexMigration(t *testing.T) {
	path := t.TempDir() + "/old.db"
	s, err := Open(context.Background(), path, "demo", func() time.Time { return fixedNow })
	if err != nil {
		t.Fatal(err)
	}
	db := s.DB()
	for _, q := range []string{`DROP TRIGGER contacts_search_insert`, `DROP TRIGGER contacts_search_update`,
		`DROP TRIGGER contacts_search_delete`, `DROP TABLE contacts_search_vocab`, `DROP TABLE contacts_search`,
		`DROP TRIGGER contact_counts_insert`, `DROP TRIGGER contact_counts_delete`, `DROP TRIGGER contact_counts_update`,
		`DROP TRIGGER contact_counts_tag_insert`, `DROP TRIGGER contact_counts_tag_delete`, `DROP TRIGGER contact_counts_tag_update`,
		`DROP TABLE contact_counts`, `UPDATE schema_version SET version = 3`} {
		if _, err := db.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	s.Close()
	s, err = Open(context.Background(), path, "demo", func() time.Time { return fixedNow })
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	want, got := scanSearch(t, s, "rahman"), indexedSearch(t, s, "rahman")
	slices.Sort(want)
	slices.Sort(got)
	if len(want) == 0 || !slices.Equal(want, got) {
		t.Fatalf("after migration: index %v, scan %v", got, want)
	}
	checkCube(t, s, "after migration") // migration 5 fills the maintained counts too
}

// Readers of the in-memory database do not queue behind one another: a query holding
// one connection open does not stop another reader.
func TestInMemoryReadersRunSideBySide(t *testing.T) {
	s := openDemo(t)
	ctx := context.Background()
	rows, err := s.DB().QueryContext(ctx, `SELECT id FROM contacts`) // holds a connection until closed
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	rows.Next()
	done := make(chan error, 1)
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		_, err := s.GetContact(ctx, 1)
		done <- err
	}()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("a read waited for another reader's open query")
	}
	wg.Wait()
	// A write started beside an open reader waits for it (busy timeout), then commits.
	wrote := make(chan error, 1)
	go func() {
		_, err := s.DB().ExecContext(ctx, `UPDATE contacts SET unread_count = unread_count WHERE id = 1`)
		wrote <- err
	}()
	for rows.Next() {
	}
	rows.Close()
	if err := <-wrote; err != nil {
		t.Fatal(fmt.Errorf("write beside a reader: %w", err))
	}
}
