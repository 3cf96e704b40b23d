// Package mirror is the local copy of a workspace's inbox that the platform's webhooks
// keep current: one SQLite database per profile in the state directory holding the
// contacts' conversation state, the normalised event log and the raw webhook bodies.
// It answers what the core API cannot (view counts, last-message order, "awaiting reply",
// conversation events) in milliseconds. Webhooks arrive duplicated and out of order:
// every change is applied by event_id once, and per contact and field the newest change
// wins, so an older event never overwrites a newer one.
package mirror

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"time"

	_ "modernc.org/sqlite" // registers the "sqlite" driver
)

// Mirror is an open mirror database. Writes are serialised by mu.
type Mirror struct {
	db   *sql.DB
	mu   sync.Mutex
	path string
	now  func() time.Time
	// stmts caches the write statements (guarded by mu): parsing them, and the triggers
	// an UPDATE of contacts compiles in, was a third of an event's cost.
	stmts map[string]*sql.Stmt
}

// wtx is a write transaction whose statements come from the mirror's cache.
type wtx struct {
	*sql.Tx
	m *Mirror
}

func (t *wtx) stmt(ctx context.Context, q string) (*sql.Stmt, error) {
	st := t.m.stmts[q]
	if st == nil {
		var err error
		if st, err = t.m.db.PrepareContext(ctx, q); err != nil {
			return nil, err
		}
		t.m.stmts[q] = st
	}
	return t.Tx.StmtContext(ctx, st), nil
}

// ExecContext runs q with a cached prepared statement.
func (t *wtx) ExecContext(ctx context.Context, q string, args ...any) (sql.Result, error) {
	st, err := t.stmt(ctx, q)
	if err != nil {
		return nil, err
	}
	return st.ExecContext(ctx, args...)
}

// QueryRowContext runs q with a cached prepared statement.
func (t *wtx) QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row {
	st, err := t.stmt(ctx, q)
	if err != nil {
		return t.Tx.QueryRowContext(ctx, q, args...) // reports the same error
	}
	return st.QueryRowContext(ctx, args...)
}

// QueryContext runs q with a cached prepared statement.
func (t *wtx) QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	st, err := t.stmt(ctx, q)
	if err != nil {
		return nil, err
	}
	return st.QueryContext(ctx, args...)
}

// Path is where the mirror of profile lives under the state directory.
func Path(stateDir, profile string) string {
	if profile == "" {
		profile = "default"
	}
	return filepath.Join(stateDir, "mirror", url.PathEscape(profile)+".db")
}

// ErrNoMirror is returned by OpenExisting when the profile has no mirror yet.
var ErrNoMirror = errors.New("no mirror")

// OpenExisting opens the mirror at path only when it exists (read commands never create one).
func OpenExisting(ctx context.Context, path string) (*Mirror, error) {
	if _, err := os.Stat(path); err != nil {
		if os.IsNotExist(err) {
			return nil, ErrNoMirror
		}
		return nil, err
	}
	return Open(ctx, path)
}

// Open opens (creating and migrating) the mirror at path.
func Open(ctx context.Context, path string) (*Mirror, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("mirror directory: %w", err)
	}
	// WAL with synchronous=NORMAL: a committed event survives the listener being killed
	// (kill -9) because it is in the WAL file; only a power loss can drop the last commits.
	dsn := "file:" + (&url.URL{Path: path}).EscapedPath() +
		"?_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)&_txlock=immediate"
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("open mirror: %w", err)
	}
	db.SetMaxOpenConns(4)
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("open mirror %s: %w", path, err)
	}
	os.Chmod(path, 0o600)
	if err := migrate(ctx, db); err != nil {
		db.Close()
		return nil, err
	}
	return &Mirror{db: db, path: path, now: time.Now, stmts: map[string]*sql.Stmt{}}, nil
}

// Close closes the database.
func (m *Mirror) Close() error {
	m.mu.Lock()
	for _, st := range m.stmts {
		st.Close()
	}
	m.stmts = map[string]*sql.Stmt{}
	m.mu.Unlock()
	return m.db.Close()
}

// DB exposes the handle for tests and benchmarks.
func (m *Mirror) DB() *sql.DB { return m.db }

// FilePath is the database file.
func (m *Mirror) FilePath() string { return m.path }

// SetClock replaces the clock (tests).
func (m *Mirror) SetClock(now func() time.Time) { m.now = now }

func (m *Mirror) write(ctx context.Context, fn func(tx *wtx) error) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	tx, err := m.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := fn(&wtx{Tx: tx, m: m}); err != nil {
		return err
	}
	return tx.Commit()
}

var migrations = []string{
	// 1: contacts and their state with the time each field was last set (ms), the event
	// log, raw bodies, messages seen, and key/value state (heartbeat, sync progress).
	`CREATE TABLE contacts (
		id INTEGER PRIMARY KEY, first_name TEXT NOT NULL DEFAULT '', last_name TEXT, phone TEXT, email TEXT,
		language TEXT, country_code TEXT, created_at INTEGER NOT NULL DEFAULT 0,
		status TEXT, assignee_id INTEGER, assignee TEXT, lifecycle TEXT,
		last_message_ms INTEGER NOT NULL DEFAULT 0, last_incoming_ms INTEGER NOT NULL DEFAULT 0,
		last_incoming INTEGER NOT NULL DEFAULT 0,
		profile_at INTEGER NOT NULL DEFAULT 0, status_at INTEGER NOT NULL DEFAULT 0,
		assignee_at INTEGER NOT NULL DEFAULT 0, lifecycle_at INTEGER NOT NULL DEFAULT 0,
		tags_at INTEGER NOT NULL DEFAULT 0, fields_at INTEGER NOT NULL DEFAULT 0);
	CREATE TABLE contact_tags (contact_id INTEGER NOT NULL, tag TEXT NOT NULL COLLATE NOCASE, PRIMARY KEY (contact_id, tag)) WITHOUT ROWID;
	CREATE TABLE contact_fields (contact_id INTEGER NOT NULL, name TEXT NOT NULL, value TEXT, PRIMARY KEY (contact_id, name)) WITHOUT ROWID;
	CREATE TABLE contact_channels (
		contact_id INTEGER NOT NULL, channel_id INTEGER NOT NULL, source TEXT,
		last_message_ms INTEGER NOT NULL DEFAULT 0, last_incoming_ms INTEGER NOT NULL DEFAULT 0,
		PRIMARY KEY (contact_id, channel_id)) WITHOUT ROWID;
	CREATE TABLE messages (
		contact_id INTEGER NOT NULL, message_id INTEGER NOT NULL, channel_id INTEGER, traffic TEXT NOT NULL,
		type TEXT, time_ms INTEGER NOT NULL, PRIMARY KEY (contact_id, message_id)) WITHOUT ROWID;
	CREATE TABLE events (
		seq INTEGER PRIMARY KEY, event_id TEXT NOT NULL UNIQUE, event_type TEXT NOT NULL, contact_id INTEGER,
		time_ms INTEGER NOT NULL, received_ms INTEGER NOT NULL,
		category TEXT NOT NULL, action TEXT NOT NULL, by TEXT NOT NULL, actor TEXT, data TEXT);
	CREATE TABLE raw (event_id TEXT PRIMARY KEY, received_ms INTEGER NOT NULL, body BLOB NOT NULL);
	CREATE TABLE state (key TEXT PRIMARY KEY, value TEXT NOT NULL);
	CREATE INDEX contacts_count ON contacts (status, assignee_id, last_incoming, lifecycle);
	CREATE INDEX contacts_lmt ON contacts (last_message_ms DESC, id DESC);
	CREATE INDEX contact_tags_tag ON contact_tags (tag, contact_id);
	CREATE INDEX events_contact ON events (contact_id, time_ms);
	CREATE INDEX events_received ON events (received_ms);`,
	// 2: contacts counted by (status, assignee, last message incoming), kept by triggers, so
	// the built-in views (All, Mine, Unassigned) are a sum over a few rows instead of a scan.
	// akey is the assignee with -1 for none (UNIQUE treats NULLs as distinct).
	`CREATE TABLE contact_groups (
		status TEXT NOT NULL, assignee_id INTEGER, akey INTEGER NOT NULL, last_incoming INTEGER NOT NULL, n INTEGER NOT NULL,
		UNIQUE (status, akey, last_incoming));
	INSERT INTO contact_groups (status, assignee_id, akey, last_incoming, n)
		SELECT status, assignee_id, COALESCE(assignee_id, -1), last_incoming, COUNT(*) FROM contacts WHERE status IS NOT NULL GROUP BY 1, 2, 4;
	CREATE TRIGGER contact_groups_insert AFTER INSERT ON contacts WHEN new.status IS NOT NULL BEGIN
		INSERT INTO contact_groups (status, assignee_id, akey, last_incoming, n)
			VALUES (new.status, new.assignee_id, COALESCE(new.assignee_id, -1), new.last_incoming, 1)
			ON CONFLICT (status, akey, last_incoming) DO UPDATE SET n = n + 1;
	END;
	CREATE TRIGGER contact_groups_delete AFTER DELETE ON contacts WHEN old.status IS NOT NULL BEGIN
		UPDATE contact_groups SET n = n - 1
			WHERE status = old.status AND akey = COALESCE(old.assignee_id, -1) AND last_incoming = old.last_incoming;
	END;
	CREATE TRIGGER contact_groups_update AFTER UPDATE OF status, assignee_id, last_incoming ON contacts
		WHEN old.status IS NOT new.status OR old.assignee_id IS NOT new.assignee_id OR old.last_incoming IS NOT new.last_incoming BEGIN
		UPDATE contact_groups SET n = n - 1
			WHERE old.status IS NOT NULL AND status = old.status AND akey = COALESCE(old.assignee_id, -1) AND last_incoming = old.last_incoming;
		INSERT INTO contact_groups (status, assignee_id, akey, last_incoming, n)
			SELECT new.status, new.assignee_id, COALESCE(new.assignee_id, -1), new.last_incoming, 1 WHERE new.status IS NOT NULL
			ON CONFLICT (status, akey, last_incoming) DO UPDATE SET n = n + 1;
	END;
	CREATE INDEX contacts_lifecycle ON contacts (lifecycle COLLATE NOCASE, status, last_incoming);`,
	// 3: the conversations whose messages the current `mirror sync --messages` pass has read,
	// so a rerun after an interruption reads only the rest (emptied when the pass completes).
	`CREATE TABLE message_sync (contact_id INTEGER PRIMARY KEY);`,
}

// SchemaVersion is the version of a fully migrated mirror.
var SchemaVersion = len(migrations)

func migrate(ctx context.Context, db *sql.DB) error {
	if _, err := db.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)`); err != nil {
		return fmt.Errorf("mirror schema: %w", err)
	}
	var version int
	err := db.QueryRowContext(ctx, `SELECT version FROM schema_version`).Scan(&version)
	if errors.Is(err, sql.ErrNoRows) {
		if _, err := db.ExecContext(ctx, `INSERT INTO schema_version (version) VALUES (0)`); err != nil {
			return err
		}
	} else if err != nil {
		return fmt.Errorf("mirror schema version: %w", err)
	}
	if version > len(migrations) {
		return fmt.Errorf("mirror schema version %d is newer than this respondctl (%d): upgrade respondctl", version, len(migrations))
	}
	for i := version; i < len(migrations); i++ {
		tx, err := db.BeginTx(ctx, nil)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, migrations[i]); err != nil {
			tx.Rollback()
			return fmt.Errorf("mirror migration %d: %w", i+1, err)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE schema_version SET version = ?`, i+1); err != nil {
			tx.Rollback()
			return err
		}
		if err := tx.Commit(); err != nil {
			return err
		}
	}
	return nil
}

// State keys.
const (
	keyHeartbeat  = "listener.heartbeat" // ms, written by `listen` while it runs
	keyListenAddr = "listener.addr"
	keySyncCursor = "sync.cursor"   // last contact id backfilled
	keySyncDone   = "sync.done"     // ms of the last complete contact backfill
	keySyncMsgs   = "sync.messages" // ms of the last message backfill
	keySyncSince  = "sync.since"
	// keySyncMsgsPending is "1" from the start of a message pass to its end: a rerun then
	// skips the (complete) contact pass and reads only the conversations not in message_sync.
	keySyncMsgsPending = "sync.messages.pending"
)

func (m *Mirror) setState(ctx context.Context, kv ...string) error {
	return m.write(ctx, func(tx *wtx) error {
		for i := 0; i+1 < len(kv); i += 2 {
			if _, err := tx.ExecContext(ctx, `INSERT INTO state (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value`, kv[i], kv[i+1]); err != nil {
				return err
			}
		}
		return nil
	})
}

func (m *Mirror) state(ctx context.Context, key string) (string, error) {
	var v string
	err := m.db.QueryRowContext(ctx, `SELECT value FROM state WHERE key = ?`, key).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return v, err
}

func (m *Mirror) stateInt(ctx context.Context, key string) int64 {
	v, _ := m.state(ctx, key)
	n, _ := strconv.ParseInt(v, 10, 64)
	return n
}

// Heartbeat records that a listener is running at addr.
func (m *Mirror) Heartbeat(ctx context.Context, addr string) error {
	return m.setState(ctx, keyHeartbeat, strconv.FormatInt(m.now().UnixMilli(), 10), keyListenAddr, addr)
}

// StopHeartbeat records that the listener stopped (the mirror goes stale at once).
func (m *Mirror) StopHeartbeat(ctx context.Context) error {
	return m.setState(ctx, keyHeartbeat, "0")
}
