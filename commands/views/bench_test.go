//go:build unix

package views_test

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/respondctl/respondctl/commands/cmdtest"
	"github.com/respondctl/respondctl/sandbox"
)

// BenchmarkViewsEndToEnd runs the built binary's `views` against a large:N sandbox (built
// once) that advertises a high rate budget. Target: a median under 300 ms for 100,000 contacts.
// Against a server that advertises nothing the client paces each endpoint at 5 requests/s
// (burst 1), and `views` sends one /contact/count per distinct view, so it then takes at
// least 200 ms per count after the first whatever the server's speed. Full size:
//
//	RESPONDCTL_BENCH_CONTACTS=100000 go test ./commands/views -run '^$' -bench ViewsEndToEnd -benchtime 20x
func BenchmarkViewsEndToEnd(b *testing.B) {
	if testing.Short() {
		b.Skip("builds the binary and a large sandbox")
	}
	n := cmdtest.EnvInt("RESPONDCTL_BENCH_CONTACTS", 10_000)
	dir := b.TempDir()
	srv := cmdtest.Start(b, sandbox.Options{Seed: fmt.Sprintf("large:%d", n), Rate: cmdtest.BenchRate})
	child := cmdtest.NewChild(b, cmdtest.BuildBinary(b, dir), srv)
	child.Run("config", "set", "me", "lee@example.com")
	child.Run("views") // warm the sandbox's caches and the capability cache
	b.Run(fmt.Sprintf("contacts=%d", n), func(b *testing.B) {
		walls := make([]time.Duration, 0, b.N)
		for i := 0; i < b.N; i++ {
			walls = append(walls, child.Run("views").Wall)
		}
		slices.Sort(walls)
		b.ReportMetric(float64(walls[len(walls)/2])/1e6, "median-ms")
		b.ReportMetric(float64(walls[len(walls)-1])/1e6, "worst-ms")
	})
}
