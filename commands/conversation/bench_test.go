//go:build unix

package conversation_test

import (
	"fmt"
	"strconv"
	"testing"

	"github.com/respondctl/respondctl/commands/cmdtest"
)

// BenchmarkConversationAllJSONL runs the built binary on `conversation show --all -o jsonl`
// of a 10,000-message conversation and of a larger one, and reports the child's
// peak RSS (getrusage Maxrss). Target: under 30 MiB, within 20% of each other, because
// --all spools to a file instead of holding the conversation. Full size:
//
//	RESPONDCTL_BENCH_MESSAGES=100000 go test ./commands/conversation -run '^$' -bench ConversationAllJSONL -benchtime 3x
func BenchmarkConversationAllJSONL(b *testing.B) {
	if testing.Short() {
		b.Skip("builds the binary and a large conversation")
	}
	big := cmdtest.EnvInt("RESPONDCTL_BENCH_MESSAGES", 20_000)
	bin := cmdtest.BuildBinary(b, b.TempDir())
	peaks := map[int]int64{}
	for _, messages := range []int{10_000, big} {
		// One sandbox per size, contact 1 holding the whole conversation (seed option
		// large:200,conversation:M): the CLI only ever sees the HTTP API.
		child := cmdtest.NewChild(b, bin, cmdtest.StartConversation(b, messages))
		contact := strconv.Itoa(cmdtest.AishaID)
		b.Run(fmt.Sprintf("messages=%d", messages), func(b *testing.B) {
			var peak int64
			for i := 0; i < b.N; i++ {
				r := child.Run("conversation", "show", contact, "--all", "-o", "jsonl")
				peak = max(peak, r.MaxRSS)
			}
			peaks[messages] = peak
			b.ReportMetric(float64(peak)/(1<<20), "peak-RSS-MB")
			if peak > 30<<20 {
				b.Errorf("peak RSS %.1f MiB, target under 30 MiB", float64(peak)/(1<<20))
			}
		})
	}
	small, large := peaks[10_000], peaks[big]
	if small > 0 && large > 0 && float64(large) > 1.2*float64(small) {
		b.Errorf("peak RSS grows with the conversation: %.1f MB for 10,000 messages, %.1f MB for %d",
			float64(small)/(1<<20), float64(large)/(1<<20), big)
	}
}
