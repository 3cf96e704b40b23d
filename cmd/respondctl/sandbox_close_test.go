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
	t.Parallel() // see TestMain
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

// The --sandbox notice is said once, when the database is created, not on every command.
func TestSandboxNoticeOnlyWhenCreated(t *testing.T) {
	t.Parallel() // see TestMain
	dir := t.TempDir()
	env := map[string]string{"HOME": dir, "XDG_STATE_HOME": dir + "/state", "XDG_CONFIG_HOME": dir + "/config"}
	first := runWith(t, env, "--sandbox", "users", "list")
	second := runWith(t, env, "--sandbox", "users", "list")
	if first.code != 0 || second.code != 0 {
		t.Fatalf("exit %d, %d: %s %s", first.code, second.code, first.stderr, second.stderr)
	}
	if !strings.Contains(first.stderr, "Created the local sandbox") {
		t.Errorf("first run: no notice: %q", first.stderr)
	}
	if second.stderr != "" {
		t.Errorf("second run repeats itself on stderr: %q", second.stderr)
	}
}
