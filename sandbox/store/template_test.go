package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"testing"
	"time"
)

// dump lists every row of every table, in order: two databases with equal dumps hold the
// same data.
func dump(t *testing.T, db *sql.DB) string {
	t.Helper()
	rows, err := db.Query(`SELECT name FROM sqlite_schema WHERE type = 'table' AND sql NOT LIKE 'CREATE VIRTUAL%' AND name NOT LIKE 'contacts_search%' ORDER BY name`)
	if err != nil {
		t.Fatal(err)
	}
	var tables []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			t.Fatal(err)
		}
		tables = append(tables, n)
	}
	rows.Close()
	var b strings.Builder
	for _, tbl := range tables {
		r, err := db.Query(`SELECT * FROM "` + tbl + `" ORDER BY 1, 2`)
		if err != nil {
			r, err = db.Query(`SELECT * FROM "` + tbl + `" ORDER BY 1`)
		}
		if err != nil {
			t.Fatalf("%s: %v", tbl, err)
		}
		cols, _ := r.Columns()
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		n := 0
		for r.Next() {
			if err := r.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			fmt.Fprintf(&b, "%s %v\n", tbl, vals)
			n++
		}
		r.Close()
		fmt.Fprintf(&b, "%s: %d rows\n", tbl, n)
	}
	return b.String()
}

// A sandbox restored from the template of its (plan, second) holds exactly what seeding it
// would have, and is a database of its own: a change to one is not seen by the other.
func TestSeedTemplateGivesTheSeededDatabase(t *testing.T) {
	ctx := context.Background()
	at := time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC)
	clock := func() time.Time { return at }
	for _, seed := range []string{"demo"} {
		first, err := Open(ctx, "", seed, clock) // seeds, and keeps the template
		if err != nil {
			t.Fatal(err)
		}
		defer first.Close()
		plan, _ := ParseSeed(seed)
		if findTemplate(templateKey(plan, at.Unix())) == nil {
			t.Fatalf("%s: no template kept", seed)
		}
		second, err := Open(ctx, "", seed, clock) // restored
		if err != nil {
			t.Fatal(err)
		}
		defer second.Close()
		if a, b := dump(t, first.DB()), dump(t, second.DB()); a != b {
			t.Fatalf("%s: the restored database differs from the seeded one", seed)
		}
		// A database seeded without a template (another second: a miss) has the same rows
		// but for the times, which follow the clock.
		if _, err := first.DB().Exec(`UPDATE contacts SET first_name = 'Changed' WHERE id = 1`); err != nil {
			t.Fatal(err)
		}
		var name string
		if err := second.DB().QueryRow(`SELECT first_name FROM contacts WHERE id = 1`).Scan(&name); err != nil || name == "Changed" {
			t.Fatalf("%s: a change to one sandbox reached the other (%q, %v)", seed, name, err)
		}
		// Search works on the restored copy (the FTS index came with the pages).
		var n int
		if err := second.DB().QueryRow(`SELECT count(*) FROM contacts_search WHERE contacts_search MATCH '"exa"'`).Scan(&n); err != nil || n == 0 {
			t.Fatalf("%s: search index of the restored copy: %d rows, %v", seed, n, err)
		}
	}
}

// The template is what a fresh seed produces: the same plan seeded in the same second with
// the templates set aside gives the same dump.
func TestSeedTemplateMatchesAFreshSeed(t *testing.T) {
	ctx := context.Background()
	at := time.Date(2026, 5, 6, 7, 8, 9, 0, time.UTC)
	clock := func() time.Time { return at }
	a, err := Open(ctx, "", "demo", clock)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	templates.mu.Lock()
	saved := templates.list
	templates.list = nil
	templates.mu.Unlock()
	b, err := Open(ctx, "", "demo", clock) // no template: seeds
	templates.mu.Lock()
	for _, t := range templates.list {
		t.keep.Close()
		t.db.Close()
	}
	templates.list = saved
	templates.mu.Unlock()
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	if dump(t, a.DB()) != dump(t, b.DB()) {
		t.Fatal("a seed restored from the template differs from a fresh seed of the same second")
	}
}
