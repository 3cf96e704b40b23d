package main

import (
	"context"
	"fmt"
	"path/filepath"
	"time"
)

// benchStartup times `--help` and `version`: both must do no disk or network I/O, so the
// figure is the binary's own start-up (process exec, runtime init, command tree).
func benchStartup(ctx context.Context, r *report, bin, work string, p plan) error {
	env := cliEnv(filepath.Join(work, "startup-home"), "", "")
	for _, args := range [][]string{{"--help"}, {"version"}} {
		// Warm the page cache first: the figure is a warm start, as in daily use.
		for i := 0; i < 3; i++ {
			if _, err := runOK(ctx, bin, env, "", args...); err != nil {
				return err
			}
		}
		var walls []time.Duration
		for i := 0; i < p.StartupRuns; i++ {
			res, err := runOK(ctx, bin, env, "", args...)
			if err != nil {
				return err
			}
			walls = append(walls, res.Wall)
		}
		r.Startup = append(r.Startup, figure{
			Name: fmt.Sprintf("`respondctl %s`", args[0]), Unit: "ms", Format: "%.1f",
			Sample: durations(walls), Target: 15,
		})
	}
	return nil
}
