package store

import (
	"context"
	"database/sql"
	"strings"
)

// bulkInserter buffers rows and writes them with a prepared multi-row INSERT,
// which is what makes the large seed fast.
type bulkInserter struct {
	ctx   context.Context
	tx    *sql.Tx
	head  string
	ncols int
	batch int
	stmt  *sql.Stmt
	buf   []any
	err   error
	sink  bool // discard every row (see discardRows)
}

// discardRows accepts rows and writes nothing.
var discardRows = &bulkInserter{sink: true}

func newBulk(ctx context.Context, tx *sql.Tx, table string, cols []string) *bulkInserter {
	b := &bulkInserter{ctx: ctx, tx: tx, ncols: len(cols)}
	b.head = "INSERT INTO " + table + " (" + strings.Join(cols, ", ") + ") VALUES "
	b.batch = 4000 / len(cols)
	if b.batch > 500 {
		b.batch = 500
	}
	b.stmt, b.err = tx.PrepareContext(ctx, b.values(b.batch))
	return b
}

func (b *bulkInserter) values(rows int) string {
	row := "(" + placeholders(b.ncols) + ")"
	return b.head + strings.TrimSuffix(strings.Repeat(row+",", rows), ",")
}

// add buffers one row (len(vals) must equal the column count).
func (b *bulkInserter) add(vals ...any) {
	if b.err != nil || b.sink {
		return
	}
	b.buf = append(b.buf, vals...)
	if len(b.buf) == b.batch*b.ncols {
		_, b.err = b.stmt.ExecContext(b.ctx, b.buf...)
		b.buf = b.buf[:0]
	}
}

// close flushes the remaining rows and reports the first error.
func (b *bulkInserter) close() error {
	if b.err == nil && len(b.buf) > 0 {
		_, b.err = b.tx.ExecContext(b.ctx, b.values(len(b.buf)/b.ncols), b.buf...)
		b.buf = nil
	}
	if b.stmt != nil {
		b.stmt.Close()
	}
	return b.err
}
