package output

import (
	"testing"
	"time"
)

func TestRelativeTimes(t *testing.T) {
	tf := TimeFormatter{TTY: true, Now: func() time.Time { return testNow }}
	for _, tc := range []struct {
		d    time.Duration // offset from now
		want string
	}{
		{0, "just now"},
		{-30 * time.Second, "just now"},
		{30 * time.Second, "just now"},
		{-5 * time.Minute, "5m ago"},
		{-3*time.Hour - 59*time.Minute, "3h ago"},
		{-49 * time.Hour, "2d ago"},
		{3*time.Hour + 12*time.Minute, "in 3h 12m"},
		{50 * time.Hour, "in 2d 2h"},
		{-40 * 24 * time.Hour, "2026-10-15"},
	} {
		if got := tf.Format(testNow.Add(tc.d)); got != tc.want {
			t.Errorf("%v: got %q, want %q", tc.d, got, tc.want)
		}
	}
	if tf.Format(time.Time{}) != "" {
		t.Error("zero time must format as empty")
	}
}

func TestPipedTimesAreRFC3339(t *testing.T) {
	myt := time.FixedZone("MYT", 8*3600)
	ts := time.Date(2026, 11, 24, 14, 0, 0, 0, myt)
	if got := (TimeFormatter{}).Format(ts); got != "2026-11-24T06:00:00Z" {
		t.Errorf("piped default: %q", got)
	}
	if got := (TimeFormatter{Loc: myt}).Format(ts.UTC()); got != "2026-11-24T14:00:00+08:00" {
		t.Errorf("piped with --tz: %q", got)
	}
	if got := (TimeFormatter{}).Format(time.Time{}); got != "" {
		t.Errorf("zero: %q", got)
	}
}

func TestClock(t *testing.T) {
	myt := time.FixedZone("MYT", 8*3600)
	tf := TimeFormatter{TTY: true, Now: func() time.Time { return testNow }, Loc: myt}
	if got := tf.Clock(testNow.Add(2 * time.Hour)); got != "today 16:00" {
		t.Errorf("today: %q", got)
	}
	if got := tf.ClockZone(testNow.Add(2 * time.Hour)); got != "today 16:00 MYT" {
		t.Errorf("today with zone: %q", got)
	}
	if got := tf.Clock(testNow.Add(-3 * 24 * time.Hour)); got != "Sat 21 Nov 14:00" {
		t.Errorf("a few days ago: %q", got)
	}
	if got := tf.Clock(testNow.Add(2 * 24 * time.Hour)); got != "Thu 26 Nov 14:00" {
		t.Errorf("near: %q", got)
	}
	if got := tf.Clock(testNow.Add(-10 * 24 * time.Hour)); got != "2026-11-14 14:00 MYT" {
		t.Errorf("far: %q", got)
	}
	if got := (TimeFormatter{Loc: myt}).Clock(time.Date(2020, 1, 2, 3, 4, 0, 0, time.UTC)); got != "2020-01-02 11:04 MYT" {
		t.Errorf("Clock far from now: %q", got)
	}
}

func TestFormatDuration(t *testing.T) {
	for d, want := range map[time.Duration]string{
		0:                              "0s",
		500 * time.Millisecond:         "0s",
		45 * time.Second:               "45s",
		12*time.Minute + 5*time.Second: "12m 5s",
		3 * time.Hour:                  "3h",
		3*time.Hour + 12*time.Minute:   "3h 12m",
		52 * time.Hour:                 "2d 4h",
		-90 * time.Minute:              "-1h 30m",
	} {
		if got := FormatDuration(d); got != want {
			t.Errorf("%v: got %q, want %q", d, got, want)
		}
	}
}
