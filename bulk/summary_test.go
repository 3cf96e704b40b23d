package bulk

import (
	"testing"
	"time"
)

func TestSummaryString(t *testing.T) {
	tests := []struct {
		s    Summary
		want string
	}{
		{Summary{Done: 980, Skipped: 15, Failed: 3, Unknown: 2, Elapsed: 100 * time.Second, Rate: 9.8},
			"done 980, skipped 15, failed 3, unknown 2 in 1m40s (9.8/s)"},
		{Summary{Done: 3, Elapsed: 350 * time.Millisecond, Rate: 8.571},
			"done 3, skipped 0, failed 0, unknown 0 in 350ms (8.6/s)"},
		{Summary{Done: 20, NotAttempted: 80, Interrupted: true, Elapsed: 2540 * time.Millisecond, Rate: 7.87},
			"done 20, skipped 0, failed 0, unknown 0 in 2.5s (7.9/s); 80 not attempted"},
		{Summary{Done: 5, AlreadyComplete: 995, Elapsed: time.Second, Rate: 5},
			"done 5, skipped 0, failed 0, unknown 0 in 1s (5.0/s); 995 already complete from an earlier run"},
		{Summary{}, "done 0, skipped 0, failed 0, unknown 0 in 0s (0.0/s)"},
		{Summary{DryRun: true, WouldChange: 10, Skipped: 2, Elapsed: 2 * time.Second, Rate: 6},
			"dry run: would change 10, skipped 2, failed 0 in 2s (6.0/s)"},
	}
	for _, tt := range tests {
		if got := tt.s.String(); got != tt.want {
			t.Errorf("got  %q\nwant %q", got, tt.want)
		}
	}
}

func TestSummaryElapsedAndRateUseTheClock(t *testing.T) {
	t0 := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	calls := 0
	clock := func() time.Time { calls++; return t0.Add(time.Duration(calls-1) * 50 * time.Second) }
	a := newFake("assign", true)
	sum, err := Run(t.Context(), a, targetsN(490), Options{Now: clock})
	if err != nil || sum.Elapsed != 50*time.Second || sum.Rate != 9.8 {
		t.Fatalf("summary %+v err %v", sum, err)
	}
}

func TestSummaryPartialAndResumeCommand(t *testing.T) {
	if (Summary{Done: 3, Skipped: 1}).Partial() || !(Summary{Failed: 1}).Partial() || !(Summary{Unknown: 1}).Partial() {
		t.Error("Partial is wrong")
	}
	s := Summary{Action: "done", JournalPath: "/home/u/My Journals/done-1.jsonl"}
	if got := s.ResumeCommand("respondctl"); got != "respondctl done --resume '/home/u/My Journals/done-1.jsonl'" {
		t.Errorf("ResumeCommand = %q", got)
	}
	if (Summary{Action: "done"}).ResumeCommand("respondctl") != "" {
		t.Error("resume command without a journal")
	}
}
