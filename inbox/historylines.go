package inbox

import (
	"bufio"
	"context"
	"fmt"
	"io"
)

// linesPerFlush: the streaming paths flush their buffered output once per API page (100
// items), so a reader of a pipe sees each page as soon as it is read.
const linesPerFlush = 100

// WriteHistoryLines is WalkHistory for output whose records are self-contained lines
// (-o jsonl): encode turns an item into its final line once, and that line is what --all
// spools and replays — no second encoding, no decoding of the spool. Output goes through
// one buffered writer, flushed per page (per spool chunk when replaying) and at the end.
// It returns the number of lines written.
func WriteHistoryLines(ctx context.Context, it ItemIterator, w HistoryWindow, encode func(HistoryItem) ([]byte, error), out io.Writer) (int, error) {
	bw := bufio.NewWriterSize(out, 64<<10)
	n := 0
	write := func(line []byte) error {
		n++
		_, err := bw.Write(line)
		return err
	}
	if !w.All || w.NewestFirst {
		err := WalkHistory(ctx, it, w, func(h HistoryItem) error {
			line, err := encode(h)
			if err != nil {
				return err
			}
			if err := write(line); err != nil {
				return err
			}
			if n%linesPerFlush == 0 {
				return bw.Flush()
			}
			return nil
		})
		if ferr := bw.Flush(); err == nil {
			err = ferr
		}
		return n, err
	}
	spool, err := newReverseSpool(w.SpoolDir)
	if err != nil {
		return 0, err
	}
	defer spool.Close()
	for it.Next(ctx) {
		h := it.Item()
		if !w.includes(h) {
			break
		}
		line, err := encode(h)
		if err != nil {
			return 0, err
		}
		if err := spool.Append(line); err != nil {
			return 0, fmt.Errorf("spooling history: %w", err)
		}
	}
	if err := it.Err(); err != nil {
		return 0, err
	}
	err = spool.Reverse(write, bw.Flush)
	if ferr := bw.Flush(); err == nil {
		err = ferr
	}
	return n, err
}
