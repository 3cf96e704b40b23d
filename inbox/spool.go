package inbox

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
)

// reverseSpool stores records on a temporary file and replays them last-in first-out.
// The API lists messages newest first; printing a whole conversation oldest first
// would otherwise need every message in memory. Memory cost: one int64 offset per record
// (800 kB for 100,000 messages), plus one record at a time.
type reverseSpool struct {
	f       *os.File
	w       *bufio.Writer
	offsets []int64 // start of each record; the end is the next start (or size)
	size    int64
	buf     []byte
}

func newReverseSpool(dir string) (*reverseSpool, error) {
	f, err := os.CreateTemp(dir, "respondctl-history-*.spool")
	if err != nil {
		return nil, fmt.Errorf("creating a temporary file for the history: %w", err)
	}
	// Unlink at once where the OS allows it: the file disappears even if we are killed.
	_ = os.Remove(f.Name())
	return &reverseSpool{f: f, w: bufio.NewWriterSize(f, 64<<10)}, nil
}

// Append adds one record.
func (s *reverseSpool) Append(rec []byte) error {
	s.offsets = append(s.offsets, s.size)
	n, err := s.w.Write(rec)
	s.size += int64(n)
	return err
}

// Len is the number of records stored.
func (s *reverseSpool) Len() int { return len(s.offsets) }

// Reverse calls fn on each record, newest appended first. The slice is reused between calls.
func (s *reverseSpool) Reverse(fn func(rec []byte) error) error {
	if err := s.w.Flush(); err != nil {
		return err
	}
	end := s.size
	for i := len(s.offsets) - 1; i >= 0; i-- {
		start := s.offsets[i]
		n := int(end - start)
		if cap(s.buf) < n {
			s.buf = make([]byte, n)
		}
		b := s.buf[:n]
		if _, err := s.f.ReadAt(b, start); err != nil && !(errors.Is(err, io.EOF) && n == 0) {
			return fmt.Errorf("reading the history spool: %w", err)
		}
		if err := fn(b); err != nil {
			return err
		}
		end = start
	}
	return nil
}

// Close removes the file.
func (s *reverseSpool) Close() error {
	name := s.f.Name()
	err := s.f.Close()
	_ = os.Remove(name)
	return err
}
