package inbox

import (
	"encoding/binary"
	"fmt"
	"os"
)

// spoolChunkSize is the size of the blocks a reverseSpool writes and reads back: one
// write and one read syscall per block, not per record.
const spoolChunkSize = 128 << 10

// reverseSpool stores records on a temporary file and replays them last-in first-out.
// The API lists messages newest first; printing a whole conversation oldest first
// would otherwise need every message in memory.
//
// Records are packed into chunks of about spoolChunkSize bytes, each record followed by
// its length (4 bytes), so a chunk is walked backwards from its end. Memory: the chunk
// being filled or replayed, plus one offset per chunk (8 bytes per 128 KiB of records:
// about 26 KiB for a conversation of 1,000,000 messages), never one per record. 128 KiB
// (it was 512) keeps the chunk buffer, live for the whole run, a small part of the heap;
// it is still one write per ~300 records.
type reverseSpool struct {
	f      *os.File
	chunk  []byte  // records not yet written
	starts []int64 // file offset of each written chunk; its end is the next start (or size)
	size   int64
	n      int
}

func newReverseSpool(dir string) (*reverseSpool, error) {
	f, err := os.CreateTemp(dir, "respondctl-history-*.spool")
	if err != nil {
		return nil, fmt.Errorf("creating a temporary file for the history: %w", err)
	}
	// Unlink at once where the OS allows it: the file disappears even if we are killed.
	_ = os.Remove(f.Name())
	return &reverseSpool{f: f, chunk: make([]byte, 0, spoolChunkSize)}, nil
}

// Append adds one record (copied).
func (s *reverseSpool) Append(rec []byte) error {
	if len(s.chunk) > 0 && len(s.chunk)+len(rec)+4 > spoolChunkSize {
		if err := s.flush(); err != nil {
			return err
		}
	}
	s.chunk = append(s.chunk, rec...)
	s.chunk = binary.LittleEndian.AppendUint32(s.chunk, uint32(len(rec)))
	s.n++
	return nil
}

func (s *reverseSpool) flush() error {
	if _, err := s.f.Write(s.chunk); err != nil {
		return fmt.Errorf("writing the history spool: %w", err)
	}
	s.starts = append(s.starts, s.size)
	s.size += int64(len(s.chunk))
	s.chunk = s.chunk[:0]
	return nil
}

// Len is the number of records stored.
func (s *reverseSpool) Len() int { return s.n }

// Reverse calls fn on each record, the last appended first; after each chunk it calls
// chunkDone (if set), so a writer can flush a block at a time. The record's bytes are
// only valid during the call.
func (s *reverseSpool) Reverse(fn func(rec []byte) error, chunkDone func() error) error {
	// The chunk still in memory holds the newest records: replay it first, then the
	// written chunks backwards, each read with a single ReadAt into the same buffer.
	buf := s.chunk
	end := s.size
	for i := len(s.starts); i >= 0; i-- {
		if i < len(s.starts) {
			start := s.starts[i]
			n := int(end - start)
			if cap(buf) < n {
				buf = make([]byte, n)
			}
			buf = buf[:n]
			if _, err := s.f.ReadAt(buf, start); err != nil {
				return fmt.Errorf("reading the history spool: %w", err)
			}
			end = start
		}
		if err := walkChunkBackwards(buf, fn); err != nil {
			return err
		}
		if chunkDone != nil {
			if err := chunkDone(); err != nil {
				return err
			}
		}
	}
	return nil
}

// walkChunkBackwards calls fn on each record of a chunk, last first.
func walkChunkBackwards(b []byte, fn func([]byte) error) error {
	for len(b) > 0 {
		if len(b) < 4 {
			return fmt.Errorf("reading the history spool: damaged chunk")
		}
		n := int(binary.LittleEndian.Uint32(b[len(b)-4:]))
		if n > len(b)-4 {
			return fmt.Errorf("reading the history spool: damaged chunk")
		}
		rec := b[len(b)-4-n : len(b)-4]
		if err := fn(rec); err != nil {
			return err
		}
		b = b[:len(b)-4-n]
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
