package main

import (
	"context"
	"fmt"
	"path/filepath"
	"time"

	"github.com/respondctl/respondctl/sandbox"
	"github.com/respondctl/respondctl/sandbox/store"
)

// readRate is the sandbox's per-endpoint limit for the read benchmarks: high enough never to
// throttle, but announced (X-RateLimit-Limit) so the client paces at it rather than at the
// platform's default of 5 requests/s it assumes when a server says nothing.
const readRate = 100_000

// historySizes are the conversation lengths streamed by benchHistory: the large seed's own
// 10,000 messages and ten times as many.
var historySizes = []int{store.BigConversationSize, 10 * store.BigConversationSize}

// historyWorkspace is the base seed of the conversation sandboxes: contact 1's conversation is
// what is measured, so the rest of the workspace is kept small.
const historyWorkspace = "large:200"

// benchReads seeds a large sandbox, then measures its endpoints, the read commands end to
// end and the memory of streaming long conversations.
func benchReads(ctx context.Context, r *report, bin, work string, p plan) error {
	seed := fmt.Sprintf("large:%d", p.Contacts)
	var seedTimes []time.Duration
	var srv *sandbox.Server
	for i := 0; i < p.SeedRuns; i++ {
		if srv != nil {
			_ = srv.Close()
		}
		t0 := time.Now()
		s, err := sandbox.Start(ctx, sandbox.Options{Seed: seed, Rate: readRate})
		if err != nil {
			return fmt.Errorf("seeding %s: %w", seed, err)
		}
		seedTimes = append(seedTimes, time.Since(t0))
		srv = s
	}
	defer srv.Close()
	r.Sandbox = append(r.Sandbox, figure{Name: fmt.Sprintf("seed %s (start to listening)", seed), Unit: "s", Format: "%.1f",
		Sample: seconds(seedTimes), Target: 60})

	if err := benchEndpoints(ctx, r, srv, p); err != nil {
		return err
	}
	logf("search and concurrent readers")
	search, err := benchSearch(ctx, srv, p.Contacts, p.LatencySamples, true)
	if err != nil {
		return fmt.Errorf("search: %w", err)
	}
	r.Perf.Search = search
	env := cliEnv(filepath.Join(work, "reads-home"), srv.URL(), srv.Token())
	// "Mine" needs to know who you are, as after `auth login --user`.
	if _, err := runOK(ctx, bin, env, "", "config", "set", "me", "lee@example.com"); err != nil {
		return err
	}
	if err := benchReadCommands(ctx, r, bin, env, p); err != nil {
		return err
	}
	return nil
}

func seconds(ds []time.Duration) sample {
	s := make(sample, len(ds))
	for i, d := range ds {
		s[i] = d.Seconds()
	}
	return s
}

// benchReadCommands runs `views` and `contacts list` as a user would, end to end.
func benchReadCommands(ctx context.Context, r *report, bin string, env []string, p plan) error {
	cases := []struct {
		name   string
		args   []string
		target float64
	}{
		{"`respondctl views`", []string{"views"}, 300},
		{"`respondctl views -o json`", []string{"views", "-o", "json"}, 300},
		{"`respondctl contacts list --view \"VIP open\" -L 20`", []string{"contacts", "list", "--view", "VIP open", "-L", "20"}, 0},
		{"`respondctl contacts list --status open --assignee 1 -L 20 -o json`", []string{"contacts", "list", "--status", "open", "--assignee", "1", "-L", "20", "-o", "json"}, 0},
	}
	for _, c := range cases {
		// The first run fills the capability cache, as any user's first command does.
		if _, err := runOK(ctx, bin, env, "", c.args...); err != nil {
			return err
		}
		var walls []time.Duration
		for i := 0; i < p.CLIRuns; i++ {
			res, err := runOK(ctx, bin, env, "", c.args...)
			if err != nil {
				return err
			}
			walls = append(walls, res.Wall)
		}
		r.Commands = append(r.Commands, figure{Name: c.name, Unit: "ms", Format: "%.0f", Sample: durations(walls), Target: c.target})
	}
	return nil
}

// benchHistory streams a 10,000- and a 100,000-message conversation with `--all -o jsonl`
// and records the child's peak RSS: streaming means the 10× longer history costs (almost)
// no more memory. Each size gets its own sandbox, seeded with the documented option
// large:200,conversation:M (contact 1 has exactly M messages), and is read over HTTP only.
func benchHistory(ctx context.Context, r *report, bin, work string, p plan) error {
	var medians []float64
	for _, size := range historySizes {
		seed := fmt.Sprintf("%s,conversation:%d", historyWorkspace, size)
		t0 := time.Now()
		srv, err := sandbox.Start(ctx, sandbox.Options{Seed: seed, Rate: readRate})
		if err != nil {
			return fmt.Errorf("seeding %s: %w", seed, err)
		}
		seeded := time.Since(t0)
		env := cliEnv(filepath.Join(work, fmt.Sprintf("history-%d-home", size)), srv.URL(), srv.Token())
		rss, walls, lines, err := streamHistory(ctx, bin, env, p.HistoryRuns)
		if err == nil {
			err = historyVersusPython(ctx, r, bin, work, srv, size, p.HistoryRuns)
		}
		_ = srv.Close()
		if err != nil {
			return err
		}
		if size == historySizes[0] {
			r.Perf.rss10k = rss.median()
		}
		label := fmt.Sprintf("%d messages", size)
		note := fmt.Sprintf("%d JSON lines (messages and events)", lines)
		r.History = append(r.History,
			figure{Name: "peak RSS, " + label, Unit: "MiB", Format: "%.1f", Sample: rss, Target: 30, Note: note},
			figure{Name: "wall time, " + label, Unit: "s", Format: "%.2f", Sample: seconds(walls)},
			figure{Name: fmt.Sprintf("seed %s (start to listening)", seed), Unit: "s", Format: "%.1f", Sample: seconds([]time.Duration{seeded})})
		medians = append(medians, rss.median())
	}
	r.HistoryGrowth = medians[1]/medians[0] - 1
	return nil
}

// streamHistory runs `conversation show 1 --all -o jsonl` runs times.
func streamHistory(ctx context.Context, bin string, env []string, runs int) (rss sample, walls []time.Duration, lines int64, err error) {
	for i := 0; i < runs; i++ {
		res, err := runMeasured(ctx, bin, env, "conversation", "show", fmt.Sprint(store.BigConversationContact), "--all", "-o", "jsonl")
		if err != nil {
			return nil, nil, 0, err
		}
		rss = append(rss, float64(res.MaxRSS)/(1<<20))
		walls = append(walls, res.Wall)
		lines = res.Lines
	}
	return rss, walls, lines, nil
}
