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
	}
	return s, nil
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
