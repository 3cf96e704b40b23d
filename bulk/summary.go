package bulk

import (
	"fmt"
	"strings"
	"time"
)

// Summary counts a run's outcomes.
type Summary struct {
	Action                         string
	Total                          int // targets in the run, including those AlreadyComplete
	Done, Skipped, Failed, Unknown int
	WouldChange                    int // dry run only
	// NotAttempted targets were never settled: the run was interrupted or
	// stopped on a fatal error. A resume picks them up.
	NotAttempted int
	// AlreadyComplete targets were done or skipped by an earlier run (resume only).
	AlreadyComplete int
	Elapsed         time.Duration
	Rate            float64 // targets settled per second in this run
	Interrupted     bool    // ctx was cancelled with targets left
	DryRun          bool
	JournalPath     string
}

// Partial reports failures or unknown outcomes: the command exits 3.
func (s Summary) Partial() bool { return s.Failed > 0 || s.Unknown > 0 }

// String is the summary line for stderr, e.g.
// "done 980, skipped 15, failed 3, unknown 2 in 1m40s (9.8/s)".
func (s Summary) String() string {
	var b strings.Builder
	if s.DryRun {
		fmt.Fprintf(&b, "dry run: would change %d, skipped %d, failed %d", s.WouldChange, s.Skipped, s.Failed)
		if s.Unknown > 0 {
			fmt.Fprintf(&b, ", unknown %d", s.Unknown)
		}
	} else {
		fmt.Fprintf(&b, "done %d, skipped %d, failed %d, unknown %d", s.Done, s.Skipped, s.Failed, s.Unknown)
	}
	fmt.Fprintf(&b, " in %s (%.1f/s)", formatElapsed(s.Elapsed), s.Rate)
	if s.NotAttempted > 0 {
		fmt.Fprintf(&b, "; %d not attempted", s.NotAttempted)
	}
	if s.AlreadyComplete > 0 {
		fmt.Fprintf(&b, "; %d already complete from an earlier run", s.AlreadyComplete)
	}
	return b.String()
}

// ResumeCommand is the command line that finishes this run, e.g.
// "respondctl assign --resume /home/u/.local/state/respondctl/journals/assign-20250101T120000Z.jsonl"
// (the path is single-quoted when the shell needs it).
// Empty without a journal.
func (s Summary) ResumeCommand(program string) string {
	if s.JournalPath == "" {
		return ""
	}
	return fmt.Sprintf("%s %s --resume %s", program, s.Action, shellQuote(s.JournalPath))
}

func formatElapsed(d time.Duration) string {
	switch {
	case d <= 0:
		return "0s"
	case d < time.Second:
		return d.Round(time.Millisecond).String()
	case d < 10*time.Second:
		return d.Round(100 * time.Millisecond).String()
	default:
		return d.Round(time.Second).String()
	}
}

// shellQuote leaves plain paths alone and single-quotes anything else.
func shellQuote(s string) string {
	safe := s != "" && strings.IndexFunc(s, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("/._-+:=@%,", r))
	}) < 0
	if safe {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
