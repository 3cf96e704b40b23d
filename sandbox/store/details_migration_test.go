package store

import (
	"context"
	"path/filepath"
	"testing"
)

// A database made before migration 4 gets the contact-detail tables and the workspace's
// definitions when it is opened, keeping its contacts.
func TestMigrationAddsDetailsToOldDatabase(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "old.db")
	s, err := Open(ctx, path, "demo", nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{`DROP TABLE custom_fields`, `DROP TABLE tags`, `DROP TABLE lifecycle_stages`, `DROP TABLE templates`,
		`UPDATE schema_version SET version = 3`} {
		if _, err := s.DB().ExecContext(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	s.Close()
	s, err = Open(ctx, path, "demo", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var version, fields, templates, contacts int
	db := s.DB()
	for q, dst := range map[string]*int{`SELECT version FROM schema_version`: &version, `SELECT COUNT(*) FROM custom_fields`: &fields,
		`SELECT COUNT(*) FROM templates`: &templates, `SELECT COUNT(*) FROM contacts`: &contacts} {
		if err := db.QueryRowContext(ctx, q).Scan(dst); err != nil {
			t.Fatal(err)
		}
	}
	if version != SchemaVersion || fields != 9 || templates != 9 || contacts != DemoContacts {
		t.Fatalf("version %d, %d fields, %d templates, %d contacts", version, fields, templates, contacts)
	}
}

// A bulk (large) seed skips the index migrations, applies migration 4, then the indexes.
func TestLargeSeedHasDetails(t *testing.T) {
	s, err := Open(context.Background(), filepath.Join(t.TempDir(), "large.db"), "large:50", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var version, templates int
	_ = s.DB().QueryRow(`SELECT version FROM schema_version`).Scan(&version)
	_ = s.DB().QueryRow(`SELECT COUNT(*) FROM templates`).Scan(&templates)
	if version != SchemaVersion || templates != 9 {
		t.Fatalf("version %d, %d templates", version, templates)
	}
}
