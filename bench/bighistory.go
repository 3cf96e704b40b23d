package main

import (
	"context"
	"fmt"

	"github.com/respondctl/respondctl/sandbox"
)

// benchBigHistory streams a 1,000,000-message conversation with the CLI and the Python loop
// (one run each: the seed is in memory, a temporary file, about half a minute). Part of
// -big; alone it is `-only bighistory`, which does not need the 1,000,000-contact database.
func benchBigHistory(ctx context.Context, r *report, bin, work string) error {
	logf("-big: a %d-message conversation", bigMessages)
	seed := fmt.Sprintf("%s,conversation:%d", historyWorkspace, bigMessages)
	hs, err := sandbox.Start(ctx, sandbox.Options{Seed: seed, Rate: readRate})
	if err != nil {
		return err
	}
	defer hs.Close()
	cli, py, rss, err := benchHistoryVersusPython(ctx, bin, work, hs, 1)
	if err != nil {
		return err
	}
	growth := "no 10,000-message run to compare with (-only without history)"
	if r.Perf.rss10k > 0 {
		growth = fmt.Sprintf("%+.1f%% against 10,000 messages (target within 20%%)", 100*(rss.median()/r.Perf.rss10k-1))
	}
	r.Perf.Big = append(r.Perf.Big,
		figure{Name: "`conversation show --all -o jsonl` peak RSS, 1,000,000 messages", Unit: "MiB", Format: "%.1f", Sample: rss, Target: 30,
			Note: growth},
		figure{Name: "respondctl items/s, 1,000,000 messages", Unit: "items/s", Format: "%.0f", Sample: cli, Target: py.median(), Higher: true,
			Note: "target: the Python loop's"},
		figure{Name: "Python http.client loop items/s, 1,000,000 messages", Unit: "items/s", Format: "%.0f", Sample: py})
	return nil
}
