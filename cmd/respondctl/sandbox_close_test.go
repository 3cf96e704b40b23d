package main

import (
	"strings"
	"testing"
	"time"
)

// The quick start, `respondctl --sandbox views` on a fresh state directory, must close its
// in-process sandbox cleanly every time: its shutdown used to wait on a connection the client
// opened but never used, and failed with "closing the sandbox: context deadline exceeded".
func TestSandboxQuickStartClosesCleanly(t *testing.T) {
	runs := 50
	if testing.Short() {
		runs = 3
	}
	for i := 0; i < runs; i++ {
		start := time.Now()
		r := runWith(t, nil, "--sandbox", "views")
		if r.code != 0 || strings.Contains(r.stderr, "error") {
			t.Fatalf("run %d: exit %d\nstderr: %s", i+1, r.code, r.stderr)
		}
		if !strings.Contains(r.stdout, "Unassigned") {
			t.Fatalf("run %d: no views:\n%s", i+1, r.stdout)
		}
		if d := time.Since(start); d > 4*time.Second {
			t.Fatalf("run %d took %s: the close waited on something", i+1, d)
		}
	}
}
