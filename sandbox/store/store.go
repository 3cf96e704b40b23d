// Package store is the SQLite state of the sandbox: schema and migrations,
// queries used by the HTTP handlers, and the deterministic seeds.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	_ "modernc.org/sqlite" // registers the "sqlite" driver
)

// ErrNotFound is returned when a looked-up row does not exist.
var ErrNotFound = errors.New("not found")

// Store wraps the database. Writes are serialised by mu so that SQLite never
// has to upgrade concurrent read transactions (which would fail with BUSY).
type Store struct {
	db   *sql.DB
	keep *sql.Conn // in memory: holds the database open (see Open)
	temp string    // a temporary database file, removed by Close

	// While buildSeeded loads a bulk seed: a second database the messages are loaded
	// into and indexed on a connection of their own (see seed).
	msgs     *sql.DB
	msgsPath string

	trigrams trigramStats // the search index's vocabulary counts (search.go)
	mu       sync.Mutex
	now      func() time.Time
}

// readConns is the size of the connection pool.
const readConns = 4

// memdbSeq numbers the in-memory databases of this process.
var memdbSeq atomic.Int64

// Open opens (creating if needed) the database at path (":memory:" for a
// private in-memory database), migrates it and, when it is new, seeds it.
// An existing database is never reseeded.
func Open(ctx context.Context, path, seed string, now func() time.Time) (*Store, error) {
	if now == nil {
		now = time.Now
	}
	if seed == "" {
		seed = "demo"
	}
	plan, err := ParseSeed(seed)
	if err != nil {
		return nil, err
	}
	memory := path == "" || path == ":memory:"
	var temp string
	if memory && plan.bulkLoad() {
		// A large seed "in memory" lives in a temporary file, deleted by Close: SQLite's
		// shared in-memory databases stop at 1 GiB, and a private one cost about 950 MiB
		// of RAM per 100,000 contacts; on a file the process holds only the page caches
		// and the OS caches the rest.
		f, err := os.CreateTemp("", "respondctl-sandbox-*.db")
		if err != nil {
			return nil, fmt.Errorf("open database: %w", err)
		}
		f.Close()
		path, temp, memory = f.Name(), f.Name(), false
	}
	if !memory {
		// Every seeded file is built aside and renamed into place: a process killed
		// mid-seed (even the first `--sandbox` run's, killed -9) leaves no file that a
		// later start would take for a seeded, empty database.
		if err := buildSeeded(ctx, path, plan, now, temp == ""); err != nil {
			return nil, fmt.Errorf("seed %q: %w", seed, err)
		}
	}
	var dsn string
	if memory {
		// Not ":memory:", which is private to one connection (so every request queued
		// behind the one slow query on it): the memdb VFS shares one in-memory database
		// between the connections of the pool, with SQLite's ordinary locking, so readers
		// run side by side. The name is unique to this Store; the database lives until
		// its last connection closes (see keep).
		dsn = fmt.Sprintf("file:/respondctl-sandbox-%d-%d?vfs=memdb&_pragma=foreign_keys(0)&_pragma=busy_timeout(10000)&_txlock=immediate",
			os.Getpid(), memdbSeq.Add(1))
	} else {
		dsn = "file:" + (&url.URL{Path: path}).EscapedPath() +
			"?_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)&_txlock=immediate" +
			"&_pragma=cache_size(-65536)"
		if temp != "" {
			// Nothing to keep after a crash; and a smaller page cache per connection, as
			// the point of the file is to keep the process small.
			dsn = strings.Replace(dsn, "synchronous(NORMAL)", "synchronous(OFF)", 1)
			dsn = strings.Replace(dsn, "cache_size(-65536)", "cache_size(-16384)", 1)
		}
	}
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("open database: %w", err)
	}
	// A pool: readers no longer queue behind one another (writes are still serialised
	// by mu). Four connections for two cores: a slow query occupies one, not all.
	db.SetMaxOpenConns(readConns)
	db.SetMaxIdleConns(readConns)
	db.SetConnMaxLifetime(0)
	db.SetConnMaxIdleTime(0)
	s := &Store{db: db, now: now, temp: temp}
	if err := db.PingContext(ctx); err != nil {
		s.Close()
		return nil, fmt.Errorf("open database %s: %w", path, err)
	}
	if memory {
		// The pool may close idle connections; this one stays open for the Store's life,
		// so the shared in-memory database is never dropped.
		if s.keep, err = db.Conn(ctx); err != nil {
			db.Close()
			return nil, fmt.Errorf("open database: %w", err)
		}
	}
	// A small in-memory seed is copied from the template of the same plan and second when
	// there is one (template.go), and kept as that template otherwise.
	var key string
	if memory && !plan.bulkLoad() {
		key = templateKey(plan, s.Now())
		restored, err := restoreTemplate(ctx, s.keep, key)
		if err != nil {
			s.Close()
			return nil, fmt.Errorf("seed %q: %w", seed, err)
		}
		if restored {
			if at, err := seededAt(ctx, s.keep); err == nil && templateKey(plan, at) == key {
				return s, nil
			}
			// A copy that does not say it is the seed of this plan and second.
			s.Close()
			return nil, fmt.Errorf("seed %q: the seeded template did not restore", seed)
		}
	}
	fresh, err := migrate(ctx, db, plan.bulkLoad())
	if err != nil {
		s.Close()
		return nil, err
	}
	if fresh {
		if err := s.seed(ctx, plan); err != nil {
			s.Close()
			return nil, fmt.Errorf("seed %q: %w", seed, err)
		}
		if key != "" {
			// Keyed by the second the seed itself used (its seeded_at), which may be one
			// past the second the lookup above used.
			if at, err := seededAt(ctx, s.keep); err == nil {
				saveTemplate(ctx, s.keep, templateKey(plan, at))
			}
		}
	}
	return s, nil
}

// bulkBuildDSN is how a bulk seed opens the file it builds (buildSeeded): no rollback
// journal and no syncs (a failed or interrupted build is deleted, never used), one
// connection holding an exclusive lock, and a helper thread for the sorts of CREATE
// INDEX. The page cache stays at 16 MiB: 256 MiB made no measurable difference to the
// load, and the process keeps what SQLite allocated (the process of an "in memory"
// large:100000 sandbox holds 55 MB after the seed with 16 MiB, 160 MB with 64 MiB).
const bulkBuildDSN = "?_pragma=journal_mode(OFF)&_pragma=synchronous(OFF)&_pragma=locking_mode(EXCLUSIVE)" +
	"&_pragma=cache_size(-16384)&_pragma=threads(2)&_pragma=foreign_keys(0)"

// buildSeeded creates and seeds the database at path when path does not exist yet
// (or is empty, like Open's temporary file). It builds the database in path+".seeding"
// with the journal off and renames it to path once it is complete, so a crash or an
// error part-way leaves no file at path, and the next start seeds again instead of
// taking a half-loaded database for a seeded one. An existing database is left alone.
//
// durable syncs the file before the rename; not for a temporary file, which no crash
// can leave for a later start.
func buildSeeded(ctx context.Context, path string, plan SeedPlan, now func() time.Time, durable bool) error {
	if st, err := os.Stat(path); err == nil && st.Size() > 0 {
		return nil
	} else if err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	side := path + ".seeding"
	msgs := path + ".seeding-messages"
	removeSide := func() {
		for _, f := range []string{side, msgs} {
			for _, suffix := range []string{"", "-journal", "-wal", "-shm"} {
				_ = os.Remove(f + suffix)
			}
		}
	}
	removeSide() // what an interrupted build left
	ok := false
	defer func() {
		if !ok {
			removeSide()
		}
	}()
	open := func(file string) (*sql.DB, error) {
		db, err := sql.Open("sqlite", "file:"+(&url.URL{Path: file}).EscapedPath()+bulkBuildDSN)
		if err == nil {
			db.SetMaxOpenConns(1)
		}
		return db, err
	}
	db, err := open(side)
	if err != nil {
		return err
	}
	defer db.Close()
	s := &Store{db: db, now: now, msgsPath: msgs}
	fresh, err := migrate(ctx, db, plan.bulkLoad())
	if err != nil {
		return err
	}
	if !fresh {
		return fmt.Errorf("%s: not a new database", side)
	}
	if plan.bulkLoad() {
		// The messages table, as migrated, in a database of its own (see seed).
		var messagesDDL string
		if err := db.QueryRowContext(ctx, `SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = 'messages'`).Scan(&messagesDDL); err != nil {
			return err
		}
		if s.msgs, err = open(msgs); err != nil {
			return err
		}
		defer func() {
			if s.msgs != nil {
				s.msgs.Close()
			}
		}()
		if _, err := s.msgs.ExecContext(ctx, messagesDDL); err != nil {
			return err
		}
	}
	if err := s.seed(ctx, plan); err != nil {
		return err
	}
	// WAL, as Open would set it; recorded in the file's header.
	var mode string
	if err := db.QueryRowContext(ctx, `PRAGMA journal_mode=WAL`).Scan(&mode); err != nil {
		return err
	}
	if err := db.Close(); err != nil {
		return err
	}
	// The build never synced: make the file durable before it takes the real name.
	if durable {
		if err := syncFile(side); err != nil {
			return err
		}
	}
	if err := os.Rename(side, path); err != nil {
		return err
	}
	ok = true
	removeSide() // the messages' file (side has its real name now)
	if durable {
		// The rename itself; best effort (some systems cannot sync a directory).
		_ = syncFile(filepath.Dir(path))
	}
	return nil
}

// syncFile flushes a file (or a directory, after a rename in it) to disk.
func syncFile(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	return f.Sync()
}

// Close closes the database.
func (s *Store) Close() error {
	if s.keep != nil {
		_ = s.keep.Close()
	}
	err := s.db.Close()
	if s.temp != "" {
		for _, suffix := range []string{"", "-wal", "-shm"} {
			_ = os.Remove(s.temp + suffix)
		}
	}
	return err
}

// DB exposes the handle for tests and benchmarks.
func (s *Store) DB() *sql.DB { return s.db }

// Now is the sandbox clock in whole seconds.
func (s *Store) Now() int64 { return s.now().Unix() }

// write runs fn in a transaction while holding the write lock.
func (s *Store) write(ctx context.Context, fn func(tx *sql.Tx) error) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	// Deferred, not only on error: a panic in fn (recovered by the server as a 500) must not
	// leave the transaction open, which on ":memory:" holds the only connection for good.
	defer tx.Rollback()
	if err := fn(tx); err != nil {
		return err
	}
	return tx.Commit()
}

// placeholders returns "?,?,?" for n values.
func placeholders(n int) string {
	if n <= 0 {
		return ""
	}
	return strings.TrimSuffix(strings.Repeat("?,", n), ",")
}

func nullStr(ns sql.NullString) *string {
	if !ns.Valid {
		return nil
	}
	v := ns.String
	return &v
}

func nullInt(ni sql.NullInt64) *int64 {
	if !ni.Valid {
		return nil
	}
	v := ni.Int64
	return &v
}
