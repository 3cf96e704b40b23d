// Command bench reruns every performance figure respondctl claims, side by side, on the
// machine it runs on, and writes them to docs/benchmarks.md:
//
//	go run ./bench -quick          # CI-size run, under 2 minutes
//	go run ./bench                 # full run (several minutes)
//	go run ./bench -out /tmp/b.md  # write elsewhere
//
// It builds the real binary, starts in-process sandboxes (sandbox.Start) on 127.0.0.1 and
// measures: CLI start-up; the sandbox's list, count and message-page latencies and seeding
// time at 100,000 contacts; `views` and `contacts list` end to end; the peak memory of
// streaming a 10,000- and a 100,000-message conversation; bulk assign against a rate limit
// compared with a shell loop of single calls and an unthrottled concurrent loop (429s are
// counted by a small reverse proxy between the client and the sandbox).
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

// plan is the size of one run; quick and full differ only in sizes and repetitions.
type plan struct {
	Name           string
	Contacts       int // large:N seed for the read benchmarks
	SeedRuns       int // how many times the large seed is timed
	StartupRuns    int
	LatencySamples int // requests per sandbox endpoint
	CLIRuns        int // `views` / `contacts list` runs
	HistoryRuns    int // runs per conversation size
	BulkContacts   int // contacts assigned by the bulk engine
	LoopContacts   int // contacts of the shell loop (one process each)
	UnthrottledN   int // requests of the unthrottled concurrent loop
	Rate           float64
}

var (
	quickPlan = plan{Name: "quick", Contacts: 100_000, SeedRuns: 1, StartupRuns: 20, LatencySamples: 50,
		CLIRuns: 7, HistoryRuns: 3, BulkContacts: 500, LoopContacts: 60, UnthrottledN: 500, Rate: 50}
	fullPlan = plan{Name: "full", Contacts: 100_000, SeedRuns: 3, StartupRuns: 50, LatencySamples: 300,
		CLIRuns: 21, HistoryRuns: 5, BulkContacts: 1000, LoopContacts: 200, UnthrottledN: 1000, Rate: 50}
)

func main() {
	if os.Getenv(launchEnv) != "" {
		os.Exit(launch())
	}
	quick := flag.Bool("quick", false, "CI-size run (under 2 minutes)")
	out := flag.String("out", filepath.Join("docs", "benchmarks.md"), "markdown report to write")
	contacts := flag.Int("contacts", 0, "override the contact count of the large seed")
	flag.BoolVar(&bigRun.on, "big", false, "also measure at 1,000,000 contacts and messages (seeds 1M: minutes)")
	flag.StringVar(&bigRun.db, "big-db", "", "database file for -big, kept between runs (seeded when new)")
	only := flag.String("only", "", "comma-separated sections to run (startup,reads,history,bulk,faults,coreviews,big,bighistory); default all (big only with -big; bighistory is big's 1,000,000-message history alone)")
	flag.Parse()
	if err := sections.set(*only); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(2)
	}

	p := fullPlan
	if *quick {
		p = quickPlan
	}
	if *contacts > 0 {
		p.Contacts = *contacts
	}
	if err := run(context.Background(), p, *out); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, p plan, out string) error {
	started := time.Now()
	work, err := os.MkdirTemp("", "respondctl-bench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(work)

	logf("building respondctl")
	bin, err := buildBinary(ctx, work)
	if err != nil {
		return err
	}
	r := &report{Plan: p, Machine: describeMachine(), Date: started.UTC()}

	if sections.want("startup") {
		logf("start-up (%d runs each)", p.StartupRuns)
		if err := benchStartup(ctx, r, bin, work, p); err != nil {
			return fmt.Errorf("start-up: %w", err)
		}
	}
	if sections.want("reads") {
		logf("sandbox on large:%d", p.Contacts)
		if err := benchReads(ctx, r, bin, work, p); err != nil {
			return fmt.Errorf("reads: %w", err)
		}
	}
	if sections.want("history") {
		logf("history streaming")
		if err := benchHistory(ctx, r, bin, work, p); err != nil {
			return fmt.Errorf("history: %w", err)
		}
	}
	if sections.want("bulk") {
		logf("bulk assign at --rate %v", p.Rate)
		if err := benchBulk(ctx, r, bin, work, p); err != nil {
			return fmt.Errorf("bulk: %w", err)
		}
	}
	if sections.want("faults") {
		logf("bulk assign under the fault mix")
		fr, err := benchFaultBulk(ctx, bin, work, p)
		if err != nil {
			return fmt.Errorf("bulk under faults: %w", err)
		}
		r.Perf.Fault = &fr
	}
	if sections.want("coreviews") {
		logf("views against a core-only sandbox at 5 requests/s")
		cv, err := benchCoreViews(ctx, bin, work, min(p.CLIRuns, 5))
		if err != nil {
			return fmt.Errorf("core-only views: %w", err)
		}
		r.Perf.CoreViews = append(r.Perf.CoreViews, cv)
	}
	if bigRun.on || sections.only["big"] {
		if err := benchBig(ctx, r, bin, work, p); err != nil {
			return fmt.Errorf("big: %w", err)
		}
	} else if sections.only["bighistory"] {
		if err := benchBigHistory(ctx, r, bin, work); err != nil {
			return fmt.Errorf("big history: %w", err)
		}
		r.Perf.BigNote = "One run per figure: the 1,000,000-message conversation of `-big` alone (`-only bighistory`)."
	}
	r.Machine.Load += " → " + loadAverage()
	r.Elapsed = time.Since(started)

	if err := os.MkdirAll(filepath.Dir(out), 0o755); err != nil {
		return err
	}
	if err := os.WriteFile(out, []byte(r.markdown()), 0o644); err != nil {
		return err
	}
	logf("wrote %s in %s", out, r.Elapsed.Round(time.Second))
	return nil
}

func logf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "bench: "+format+"\n", args...)
}

// sectionSet is the -only selection: empty runs every section.
type sectionSet struct{ only map[string]bool }

var sections sectionSet

var knownSections = []string{"startup", "reads", "history", "bulk", "faults", "coreviews", "big", "bighistory"}

func (s *sectionSet) set(list string) error {
	for _, name := range strings.Split(list, ",") {
		name = strings.TrimSpace(name)
		if name == "" {
			continue
		}
		if !slices.Contains(knownSections, name) {
			return fmt.Errorf("-only: unknown section %q (known: %s)", name, strings.Join(knownSections, ", "))
		}
		if s.only == nil {
			s.only = map[string]bool{}
		}
		s.only[name] = true
	}
	return nil
}

func (s sectionSet) want(name string) bool { return s.only == nil || s.only[name] }
