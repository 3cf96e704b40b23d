package store

import (
	"context"
	"database/sql"
	"strings"
	"sync"
	"sync/atomic"
)

// bulkInserter buffers rows and writes them with a prepared multi-row INSERT,
// which is what makes the large seed fast. Full batches go to a bulkWriter, which
// runs them on its own goroutine: SQLite inserts one batch while the generator
// builds the next (2 cores: about a quarter off a large seed's load).
type bulkInserter struct {
	w     *bulkWriter
	head  string
	ncols int
	batch int
	stmt  *sql.Stmt
	buf   []any
	sink  bool // discard every row (see discardRows)
}

// discardRows accepts rows and writes nothing.
var discardRows = &bulkInserter{sink: true}

// bulkWriter executes the batches of every bulkInserter of one transaction, in the
// order they were filled, on one goroutine (a transaction is one connection).
type bulkWriter struct {
	ctx    context.Context
	tx     *sql.Tx
	jobs   chan bulkJob
	free   chan []any // spent argument slices, reused
	done   sync.WaitGroup
	failed atomic.Bool
	err    error // the writer's first error; read after it has stopped
	prep   error // the first error preparing a statement (generator side)
}

type bulkJob struct {
	stmt  *sql.Stmt // nil: query
	query string
	args  []any
}

func newBulkWriter(ctx context.Context, tx *sql.Tx) *bulkWriter {
	w := &bulkWriter{ctx: ctx, tx: tx, jobs: make(chan bulkJob, 8), free: make(chan []any, 16)}
	w.done.Add(1)
	go w.run()
	return w
}

func (w *bulkWriter) run() {
	defer w.done.Done()
	for j := range w.jobs {
		if w.err != nil {
			continue // drain: the generator stops sending once it sees failed
		}
		if j.stmt != nil {
			_, w.err = j.stmt.ExecContext(w.ctx, j.args...)
		} else {
			_, w.err = w.tx.ExecContext(w.ctx, j.query, j.args...)
		}
		if w.err != nil {
			w.failed.Store(true)
			continue
		}
		clear(j.args) // drop the references before the slice waits for reuse
		select {
		case w.free <- j.args[:0]:
		default:
		}
	}
}

// send queues a batch; false once a batch has failed.
func (w *bulkWriter) send(j bulkJob) bool {
	if w.failed.Load() {
		return false
	}
	w.jobs <- j
	return true
}

// buffer returns an empty argument slice for n values.
func (w *bulkWriter) buffer(n int) []any {
	select {
	case b := <-w.free:
		if cap(b) >= n {
			return b
		}
	default:
	}
	return make([]any, 0, n)
}

// close waits for every queued batch and reports the first error.
func (w *bulkWriter) close() error {
	close(w.jobs)
	w.done.Wait()
	if w.prep != nil {
		return w.prep
	}
	return w.err
}

func newBulk(w *bulkWriter, table string, cols []string) *bulkInserter {
	b := &bulkInserter{w: w, ncols: len(cols)}
	b.head = "INSERT INTO " + table + " (" + strings.Join(cols, ", ") + ") VALUES "
	b.batch = 4000 / len(cols)
	if b.batch > 500 {
		b.batch = 500
	}
	stmt, err := w.tx.PrepareContext(w.ctx, b.values(b.batch))
	if err != nil && w.prep == nil {
		w.prep = err
		w.failed.Store(true)
	}
	b.stmt = stmt
	b.buf = w.buffer(b.batch * b.ncols)
	return b
}

func (b *bulkInserter) values(rows int) string {
	row := "(" + placeholders(b.ncols) + ")"
	return b.head + strings.TrimSuffix(strings.Repeat(row+",", rows), ",")
}

// add buffers one row (len(vals) must equal the column count).
func (b *bulkInserter) add(vals ...any) {
	if b.sink {
		return
	}
	b.buf = append(b.buf, vals...)
	if len(b.buf) == b.batch*b.ncols {
		b.w.send(bulkJob{stmt: b.stmt, args: b.buf})
		b.buf = b.w.buffer(b.batch * b.ncols)
	}
}

// flush queues the remaining rows. The writer must be closed (which waits for them)
// before the statement is closed.
func (b *bulkInserter) flush() {
	if len(b.buf) > 0 {
		b.w.send(bulkJob{query: b.values(len(b.buf) / b.ncols), args: b.buf})
		b.buf = nil
	}
}
