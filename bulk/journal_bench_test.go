package bulk

import (
	"os"
	"sync/atomic"
	"testing"
)

// benchJournal creates a journal in BULK_BENCH_DIR (default: a temp dir) —
// point it at a real disk: fsync on tmpfs costs nothing.
func benchJournal(b *testing.B, n int) *Journal {
	dir := os.Getenv("BULK_BENCH_DIR")
	if dir == "" {
		dir = b.TempDir()
	} else {
		var err error
		if dir, err = os.MkdirTemp(dir, "bulkbench"); err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { os.RemoveAll(dir) })
	}
	j, err := CreateJournal(dir+"/bench.jsonl", JournalHeader{Action: "send"}, targetsN(n))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { j.Close() })
	return j
}

// One worker: every record pays its own fsync (the per-record baseline).
func BenchmarkJournalResultSerial(b *testing.B) {
	j := benchJournal(b, 1)
	r := Result{Target: Target{ID: "id:1"}, Outcome: OutcomeDone, Detail: "sent", Extra: Facts{MessageID: 88002}}
	for b.Loop() {
		if err := j.result(0, r); err != nil {
			b.Fatal(err)
		}
	}
}

// Eight workers, like the engine: group commit shares fsyncs among them.
func BenchmarkJournalResultParallel8(b *testing.B) {
	j := benchJournal(b, 1)
	r := Result{Target: Target{ID: "id:1"}, Outcome: OutcomeDone, Detail: "sent", Extra: Facts{MessageID: 88002}}
	var failed atomic.Bool
	b.SetParallelism(8) // × GOMAXPROCS goroutines; with -cpu 1 exactly 8
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if err := j.result(0, r); err != nil {
				failed.Store(true)
			}
		}
	})
	if failed.Load() {
		b.Fatal("write failed")
	}
}
