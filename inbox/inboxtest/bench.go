//go:build unix

package inboxtest

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/respondctl/respondctl/sandbox"
	_ "modernc.org/sqlite" // the sandbox's own driver, to grow a conversation in its file
)

// BenchRate is the budget the benchmark sandboxes advertise (X-RateLimit-Limit): the client
// adopts it after the first response per endpoint, so benchmarks measure the CLI and the
// server rather than the default 5 requests/s pacing.
const BenchRate = 100_000

// EnvInt reads a positive integer from the environment (benchmark sizes), or def.
func EnvInt(name string, def int) int {
	if v, err := strconv.Atoi(os.Getenv(name)); err == nil && v > 0 {
		return v
	}
	return def
}

// BigConversationContact is the contact StartConversations gives the larger conversation.
const BigConversationContact = 2

// StartConversations starts a sandbox (large seed, file database under dir) in which contact
// 1 has the seed's 10,000 messages and contact 2 has `big` messages: the seed offers no
// larger conversation, so contact 1's are copied (times shifted back) straight into the
// sandbox's SQLite file before the server opens it — far faster than simulating incoming
// messages through the API.
func StartConversations(tb testing.TB, dir string, big int) *Server {
	tb.Helper()
	db := filepath.Join(dir, "conversations.db")
	ctx := context.Background()
	seedSrv, err := sandbox.Start(ctx, sandbox.Options{DBPath: db, Seed: "large:200"})
	if err != nil {
		tb.Fatal(err)
	}
	if err := seedSrv.Close(); err != nil {
		tb.Fatal(err)
	}
	if err := growConversation(ctx, db, big); err != nil {
		tb.Fatalf("growing contact %d's conversation to %d messages: %v", BigConversationContact, big, err)
	}
	return Start(tb, sandbox.Options{DBPath: db, Rate: BenchRate})
}

func growConversation(ctx context.Context, path string, want int) error {
	db, err := sql.Open("sqlite", path)
	if err != nil {
		return err
	}
	defer db.Close()
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var n, first, last int64
	if err := tx.QueryRowContext(ctx, `SELECT count(*), min(created_at), max(created_at) FROM messages WHERE contact_id = 1`).Scan(&n, &first, &last); err != nil {
		return err
	}
	if n == 0 {
		return fmt.Errorf("contact 1 has no messages to copy")
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM messages WHERE contact_id = ?`, BigConversationContact); err != nil {
		return err
	}
	span := last - first + 3600
	rounds := (int64(want) + n - 1) / n
	for k := int64(0); k < rounds; k++ {
		limit := min(n, int64(want)-k*n)
		// Oldest round first, so ids and times both grow through the conversation.
		if _, err := tx.ExecContext(ctx, `INSERT INTO messages (contact_id, channel_id, channel_message_id, traffic, body, sender,
			created_at, final_status, fail_reason)
			SELECT ?, channel_id, channel_message_id, traffic, body, sender, created_at - ?, final_status, fail_reason
			FROM messages WHERE contact_id = 1 ORDER BY id LIMIT ?`, BigConversationContact, (rounds-k)*span, limit); err != nil {
			return err
		}
	}
	return tx.Commit()
}

// BuildBinary builds cmd/respondctl once into dir, for measuring a real process (its peak
// RSS). The benchmark is skipped when the module does not build (another package mid-edit).
func BuildBinary(tb testing.TB, dir string) string {
	tb.Helper()
	bin := filepath.Join(dir, "respondctl")
	gobin := filepath.Join(runtime.GOROOT(), "bin", "go")
	out, err := exec.Command(gobin, "build", "-o", bin, "github.com/respondctl/respondctl/cmd/respondctl").CombinedOutput()
	if err != nil {
		tb.Skipf("cannot build respondctl: %v\n%s", err, out)
	}
	return bin
}

// ChildRun is one run of the binary: wall time and peak resident memory.
type ChildRun struct {
	Wall   time.Duration
	MaxRSS int64 // bytes
}

// Child runs the built binary against a sandbox, with its own HOME (configuration).
type Child struct {
	tb  testing.TB
	bin string
	env []string
}

// NewChild prepares runs of bin against srv.
func NewChild(tb testing.TB, bin string, srv *Server) *Child {
	home := tb.TempDir()
	env := append(os.Environ(), "RESPOND_API_BASE="+srv.URL(), "RESPOND_TOKEN="+srv.Token(), "HOME="+home,
		"XDG_CONFIG_HOME="+filepath.Join(home, ".config"), "XDG_CACHE_HOME="+filepath.Join(home, ".cache"),
		"XDG_STATE_HOME="+filepath.Join(home, ".state"), "NO_COLOR=1")
	return &Child{tb: tb, bin: bin, env: env}
}

// Run runs the binary with args, stdout discarded, and reports its wall time and peak RSS.
func (c *Child) Run(args ...string) ChildRun {
	tb := c.tb
	tb.Helper()
	cmd := exec.Command(c.bin, args...)
	cmd.Env = c.env
	devnull, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
	if err != nil {
		tb.Fatal(err)
	}
	defer devnull.Close()
	cmd.Stdout = devnull
	var stderr limitedBuffer
	cmd.Stderr = &stderr
	start := time.Now()
	if err := cmd.Run(); err != nil {
		tb.Fatalf("%v: %v\n%s", args, err, stderr.b)
	}
	run := ChildRun{Wall: time.Since(start)}
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		run.MaxRSS = ru.Maxrss * 1024 // kilobytes on Linux
	}
	return run
}

// limitedBuffer keeps the first 4 kB of a child's stderr for failure messages.
type limitedBuffer struct{ b []byte }

func (l *limitedBuffer) Write(p []byte) (int, error) {
	if room := 4096 - len(l.b); room > 0 {
		l.b = append(l.b, p[:min(room, len(p))]...)
	}
	return len(p), nil
}
