//go:build unix

package views_test

import (
	"fmt"
	"testing"

	"github.com/respondctl/respondctl/inbox/inboxtest"
	"github.com/respondctl/respondctl/sandbox"
)

// BenchmarkViewsEndToEnd runs the built binary's `views` against a large:N sandbox (built
// once) that advertises a high rate budget. Target: under 300 ms for 100,000 contacts.
// Against a server that advertises nothing the client paces each endpoint at 5 requests/s
// (burst 1), and `views` sends one /contact/count per distinct view, so it then takes at
// least 200 ms per count after the first whatever the server's speed. Full size:
//
//	RESPONDCTL_BENCH_CONTACTS=100000 go test ./commands/views -run '^$' -bench ViewsEndToEnd -benchtime 20x
func BenchmarkViewsEndToEnd(b *testing.B) {
	if testing.Short() {
		b.Skip("builds the binary and a large sandbox")
	}
	n := inboxtest.EnvInt("RESPONDCTL_BENCH_CONTACTS", 10_000)
	dir := b.TempDir()
	srv := inboxtest.Start(b, sandbox.Options{Seed: fmt.Sprintf("large:%d", n), Rate: inboxtest.BenchRate})
	child := inboxtest.NewChild(b, inboxtest.BuildBinary(b, dir), srv)
	child.Run("config", "set", "me", "lee@example.com")
	child.Run("views") // warm the sandbox's caches and the capability cache
	b.Run(fmt.Sprintf("contacts=%d", n), func(b *testing.B) {
		var worst int64
		for i := 0; i < b.N; i++ {
			r := child.Run("views")
			worst = max(worst, int64(r.Wall))
		}
		b.ReportMetric(float64(worst)/1e6, "worst-ms")
	})
}
