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

// hugeConversationContact gets ten copies of the big seeded conversation (100,000 messages).
const hugeConversationContact = store.BigConversationContact + 1

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
	env := cliEnv(filepath.Join(work, "reads-home"), srv.URL(), srv.Token())
	// "Mine" needs to know who you are, as after `auth login --user`.
	if _, err := runOK(ctx, bin, env, "", "config", "set", "me", "lee@example.com"); err != nil {
		return err
	}
	if err := benchReadCommands(ctx, r, bin, env, p); err != nil {
		return err
	}
	return benchHistory(ctx, r, srv, bin, env, p)
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
// no more memory.
func benchHistory(ctx context.Context, r *report, srv *sandbox.Server, bin string, env []string, p plan) error {
	n, err := makeHugeConversation(ctx, srv)
	if err != nil {
		return err
	}
	var medians []float64
	for _, c := range []struct {
		contact int64
		label   string
	}{
		{store.BigConversationContact, fmt.Sprintf("%d messages", store.BigConversationSize)},
		{hugeConversationContact, fmt.Sprintf("%d messages", n)},
	} {
		var rss sample
		var walls []time.Duration
		var lines int64
		for i := 0; i < p.HistoryRuns; i++ {
			res, err := runMeasured(ctx, bin, env, "conversation", "show", fmt.Sprint(c.contact), "--all", "-o", "jsonl")
			if err != nil {
				return err
			}
			rss = append(rss, float64(res.MaxRSS)/(1<<20))
			walls = append(walls, res.Wall)
			lines = res.Lines
		}
		note := fmt.Sprintf("%d JSON lines (messages and events)", lines)
		r.History = append(r.History,
			figure{Name: "peak RSS, " + c.label, Unit: "MiB", Format: "%.1f", Sample: rss, Target: 40, Note: note},
			figure{Name: "wall time, " + c.label, Unit: "s", Format: "%.2f", Sample: seconds(walls)})
		medians = append(medians, rss.median())
	}
	r.HistoryGrowth = medians[1]/medians[0] - 1
	return nil
}

// makeHugeConversation gives hugeConversationContact ten copies of the seeded 10,000-message
// conversation, oldest copy first so ids and times rise together, straight into the store:
// a hundred thousand API calls would measure the seeding, not the reading.
func makeHugeConversation(ctx context.Context, srv *sandbox.Server) (int, error) {
	db := srv.Store().DB()
	var lo, hi int64
	if err := db.QueryRowContext(ctx, `SELECT MIN(created_at), MAX(created_at) FROM messages WHERE contact_id = ?`,
		store.BigConversationContact).Scan(&lo, &hi); err != nil {
		return 0, fmt.Errorf("reading the big conversation: %w", err)
	}
	span := hi - lo + 1
	if _, err := db.ExecContext(ctx, `DELETE FROM messages WHERE contact_id = ?`, hugeConversationContact); err != nil {
		return 0, err
	}
	for copyN := 9; copyN >= 0; copyN-- {
		if _, err := db.ExecContext(ctx, `INSERT INTO messages (contact_id, channel_id, channel_message_id, traffic, body, sender, created_at, final_status, fail_reason)
			SELECT ?, channel_id, channel_message_id, traffic, body, sender, created_at - ?, final_status, fail_reason
			FROM messages WHERE contact_id = ? ORDER BY id`, hugeConversationContact, int64(copyN)*span, store.BigConversationContact); err != nil {
			return 0, fmt.Errorf("copying the big conversation: %w", err)
		}
	}
	var n int
	err := db.QueryRowContext(ctx, `SELECT COUNT(*) FROM messages WHERE contact_id = ?`, hugeConversationContact).Scan(&n)
	return n, err
}
