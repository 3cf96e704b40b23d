package store

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"strconv"
	"sync"

	"modernc.org/sqlite"
)

// Seeded templates. An in-memory sandbox with a small seed (demo, large:N under the bulk
// threshold, conversation:M) is a pure function of its seed plan and of the clock's second
// at Open: the generator draws from a fixed-seed RNG and writes times in whole seconds. So
// the first Open of a (plan, second) seeds as usual and keeps a copy of the result; a later
// Open with the same plan in the same second restores that copy with SQLite's backup API
// (a page copy: milliseconds instead of ~40 ms of seeding for the demo), and gets the same
// database, byte for byte. Processes that start many sandboxes at once — the test suites,
// which start hundreds — pay the seed once per second instead of once per sandbox.
//
// Bounded: the last templateCap templates are kept (a few MB each), older ones closed.

const templateCap = 4

type seedTemplate struct {
	key  string
	uri  string
	db   *sql.DB
	keep *sql.Conn // holds the shared in-memory database open
}

var templates struct {
	mu   sync.Mutex
	list []*seedTemplate // oldest first
	seq  int
}

// seededAt is the second a database's seed used (its meta seeded_at).
func seededAt(ctx context.Context, conn *sql.Conn) (int64, error) {
	var at int64
	err := conn.QueryRowContext(ctx, `SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'seeded_at'`).Scan(&at)
	return at, err
}

// templateKey identifies what a seed produces: the plan and the second of the clock.
func templateKey(plan SeedPlan, now int64) string {
	return plan.String() + "@" + strconv.FormatInt(now, 10)
}

func findTemplate(key string) *seedTemplate {
	templates.mu.Lock()
	defer templates.mu.Unlock()
	return findTemplateLocked(key)
}

// findTemplateLocked is findTemplate for a caller holding templates.mu.
func findTemplateLocked(key string) *seedTemplate {
	for _, t := range templates.list {
		if t.key == key {
			return t
		}
	}
	return nil
}

// withBackup runs fn on conn's driver connection, which must have SQLite's backup API.
func withBackup(conn *sql.Conn, fn func(backupConn) error) error {
	return conn.Raw(func(dc any) error {
		bc, ok := dc.(backupConn)
		if !ok {
			return fmt.Errorf("sqlite driver without the backup API")
		}
		return fn(bc)
	})
}

// backupConn is the part of modernc.org/sqlite's connection the templates use.
type backupConn interface {
	NewBackup(dstURI string) (*sqlite.Backup, error)
	NewRestore(srcURI string) (*sqlite.Backup, error)
}

// copyPages runs a backup to its end.
func copyPages(b *sqlite.Backup, err error) error {
	if err != nil {
		return err
	}
	for {
		more, err := b.Step(-1)
		if err != nil {
			b.Finish()
			return err
		}
		if !more {
			return b.Finish()
		}
	}
}

// restoreTemplate fills the (empty) database held by conn with the template of key, if
// there is one; false when there is none. The templates' lock is held for the copy (a few
// milliseconds), so a template is never closed under a restore.
func restoreTemplate(ctx context.Context, conn *sql.Conn, key string) (bool, error) {
	templates.mu.Lock()
	defer templates.mu.Unlock()
	t := findTemplateLocked(key)
	if t == nil {
		return false, nil
	}
	err := withBackup(conn, func(bc backupConn) error { return copyPages(bc.NewRestore(t.uri)) })
	return err == nil, err
}

// saveTemplate keeps a copy of the database held by conn as the template of key.
// Failing to keep one costs only speed: the error is dropped.
func saveTemplate(ctx context.Context, conn *sql.Conn, key string) {
	if findTemplate(key) != nil {
		return
	}
	templates.mu.Lock()
	templates.seq++
	uri := fmt.Sprintf("file:/respondctl-seed-template-%d-%d?vfs=memdb", os.Getpid(), templates.seq)
	templates.mu.Unlock()
	db, err := sql.Open("sqlite", uri)
	if err != nil {
		return
	}
	keep, err := db.Conn(ctx)
	if err != nil {
		db.Close()
		return
	}
	if err := withBackup(conn, func(bc backupConn) error { return copyPages(bc.NewBackup(uri)) }); err != nil {
		keep.Close()
		db.Close()
		return
	}
	templates.mu.Lock()
	defer templates.mu.Unlock()
	templates.list = append(templates.list, &seedTemplate{key: key, uri: uri, db: db, keep: keep})
	for len(templates.list) > templateCap {
		old := templates.list[0]
		templates.list = templates.list[1:]
		old.keep.Close()
		old.db.Close()
	}
}
