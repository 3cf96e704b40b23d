package timeparse

import (
	"strings"
	"testing"
	"time"
	_ "time/tzdata" // the zones below, whatever the machine has installed
)

func mustZone(t *testing.T, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

// A local time skipped by a daylight-saving change moves forward by the gap (02:30 on the
// night the clocks go from 02:00 to 03:00 is 03:30), never an hour early, and says so.
func TestUntilInADaylightSavingGapMovesForward(t *testing.T) {
	berlin := mustZone(t, "Europe/Berlin")
	ny := mustZone(t, "America/New_York")
	for _, tc := range []struct {
		in   string
		now  time.Time
		loc  *time.Location
		want time.Time // UTC
	}{
		// Berlin: 2026-03-29 02:00 CET → 03:00 CEST.
		{"2026-03-29 02:30", time.Date(2026, 3, 28, 12, 0, 0, 0, time.UTC), berlin, time.Date(2026, 3, 29, 1, 30, 0, 0, time.UTC)},
		{"tomorrow 02:30", time.Date(2026, 3, 28, 12, 0, 0, 0, time.UTC), berlin, time.Date(2026, 3, 29, 1, 30, 0, 0, time.UTC)},
		{"sunday 02:15", time.Date(2026, 3, 26, 12, 0, 0, 0, time.UTC), berlin, time.Date(2026, 3, 29, 1, 15, 0, 0, time.UTC)},
		// New York: 2027-03-14 02:00 EST → 03:00 EDT.
		{"2027-03-14 02:30", time.Date(2027, 3, 13, 12, 0, 0, 0, time.UTC), ny, time.Date(2027, 3, 14, 7, 30, 0, 0, time.UTC)},
	} {
		got, note, err := ParseUntil(tc.in, tc.now, tc.loc)
		if err != nil {
			t.Fatalf("%s: %v", tc.in, err)
		}
		if !got.Equal(tc.want) {
			t.Errorf("%s in %s: got %s (%s), want %s", tc.in, tc.loc, got.UTC(), got.In(tc.loc), tc.want)
		}
		if !strings.Contains(note, "does not exist") || !strings.Contains(note, "using 03:") {
			t.Errorf("%s: note %q", tc.in, note)
		}
	}
	// Times that exist are untouched and carry no note, on both sides of the change.
	for in, want := range map[string]time.Time{
		"2026-03-29 01:30": time.Date(2026, 3, 29, 0, 30, 0, 0, time.UTC),
		"2026-03-29 03:30": time.Date(2026, 3, 29, 1, 30, 0, 0, time.UTC),
		"2026-10-25 12:00": time.Date(2026, 10, 25, 11, 0, 0, 0, time.UTC),
	} {
		got, note, err := ParseUntil(in, time.Date(2026, 3, 28, 12, 0, 0, 0, time.UTC), berlin)
		if err != nil || !got.Equal(want) || note != "" {
			t.Errorf("%s: %s %q %v, want %s", in, got.UTC(), note, err, want)
		}
	}
}
