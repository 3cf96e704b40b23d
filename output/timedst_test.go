package output

import (
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

// Human times honour --tz and carry their date when the day is not today.
func TestClockAcrossZonesAndDays(t *testing.T) {
	berlin := mustZone(t, "Europe/Berlin")
	now := time.Date(2026, 3, 28, 22, 30, 0, 0, time.UTC) // 23:30 CET on Sat 28 Mar in Berlin
	tf := TimeFormatter{TTY: true, Now: func() time.Time { return now }, Loc: berlin}
	for _, tc := range []struct {
		at   time.Time
		want string
	}{
		{time.Date(2026, 3, 28, 22, 45, 0, 0, time.UTC), "today 23:45 CET"},
		{time.Date(2026, 3, 29, 7, 0, 0, 0, time.UTC), "Sun 29 Mar 09:00 CEST"}, // after the change
		{time.Date(2026, 3, 20, 7, 0, 0, 0, time.UTC), "2026-03-20 08:00 CET"},
	} {
		if got := tf.ClockZone(tc.at); got != tc.want {
			t.Errorf("%s: got %q, want %q", tc.at, got, tc.want)
		}
	}
	// The same moment in UTC is on another day there.
	utc := TimeFormatter{TTY: true, Now: func() time.Time { return now }, Loc: time.UTC}
	if got := utc.ClockZone(time.Date(2026, 3, 28, 23, 15, 0, 0, time.UTC)); got != "today 23:15 UTC" {
		t.Errorf("utc: %q", got)
	}
}
