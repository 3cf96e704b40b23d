package timeparse

import (
	"strings"
	"testing"
	"time"
)

var testNow = time.Date(2026, 11, 24, 6, 0, 0, 0, time.UTC) // a Tuesday

func TestParseDurationOrTime(t *testing.T) {
	myt := time.FixedZone("MYT", 8*3600)
	now := testNow // Tue 2026-11-24 06:00 UTC = 14:00 MYT
	for _, tc := range []struct {
		in   string
		want time.Time
	}{
		{"30m", now.Add(30 * time.Minute)},
		{"2h", now.Add(2 * time.Hour)},
		{" 2D ", now.Add(48 * time.Hour)},
		{"1w", now.Add(7 * 24 * time.Hour)},
		{"1h30m", now.Add(90 * time.Minute)},
		{"tomorrow 09:00", time.Date(2026, 11, 25, 9, 0, 0, 0, myt)},
		{"today 17:30", time.Date(2026, 11, 24, 17, 30, 0, 0, myt)},
		{"15:00", time.Date(2026, 11, 24, 15, 0, 0, 0, myt)},
		{"9:00", time.Date(2026, 11, 25, 9, 0, 0, 0, myt)}, // already past today
		{"mon 09:00", time.Date(2026, 11, 30, 9, 0, 0, 0, myt)},
		{"Tuesday 15:00", time.Date(2026, 11, 24, 15, 0, 0, 0, myt)},
		{"tue 13:00", time.Date(2026, 12, 1, 13, 0, 0, 0, myt)},
		{"2026-11-25 14:00", time.Date(2026, 11, 25, 14, 0, 0, 0, myt)},
		{"2026-11-25", time.Date(2026, 11, 25, 0, 0, 0, 0, myt)},
		{"2026-11-25T14:00:00Z", time.Date(2026, 11, 25, 14, 0, 0, 0, time.UTC)},
	} {
		got, err := ParseDurationOrTime(tc.in, now, myt)
		if err != nil || !got.Equal(tc.want) {
			t.Errorf("%q: got %v, %v; want %v", tc.in, got, err, tc.want)
		}
	}
}

func TestParseDurationOrTimeErrors(t *testing.T) {
	for _, in := range []string{"", "2x", "0m", "tomorrow", "25:00", "9:5", "someday 09:00", "1h 30m", "-2h", "99999999999999w", "2026-13-01"} {
		_, err := ParseDurationOrTime(in, testNow, time.UTC)
		want := `invalid duration "` + in + `": use e.g. 30m, 2h, 2d, tomorrow 09:00 or an RFC 3339 time`
		if err == nil || err.Error() != want {
			t.Errorf("%q: got %v", in, err)
		}
	}
	_, err := ParseDurationOrTime("2020-01-01", testNow, time.UTC)
	if err == nil || err.Error() != `time "2020-01-01" is in the past` {
		t.Errorf("past: %v", err)
	}
}

func TestParseSince(t *testing.T) {
	myt := time.FixedZone("MYT", 8*3600)
	now := testNow.In(myt)
	for _, tc := range []struct {
		in   string
		want time.Time
	}{
		{"2d", testNow.Add(-48 * time.Hour)},
		{"30m", testNow.Add(-30 * time.Minute)},
		{"1w", testNow.Add(-7 * 24 * time.Hour)},
		{"today", time.Date(2026, 11, 24, 0, 0, 0, 0, myt)},
		{"yesterday", time.Date(2026, 11, 23, 0, 0, 0, 0, myt)},
		{"2026-11-20", time.Date(2026, 11, 20, 0, 0, 0, 0, myt)},
		{"2026-11-20 08:15", time.Date(2026, 11, 20, 8, 15, 0, 0, myt)},
		{"2026-11-20T08:15:00Z", time.Date(2026, 11, 20, 8, 15, 0, 0, time.UTC)},
	} {
		got, err := ParseSince(tc.in, now)
		if err != nil || !got.Equal(tc.want) {
			t.Errorf("%q: got %v, %v; want %v", tc.in, got, err, tc.want)
		}
	}
	for _, in := range []string{"", "2x", "tomorrow 09:00", "d2"} {
		if _, err := ParseSince(in, now); err == nil || !strings.HasPrefix(err.Error(), `invalid duration "`) {
			t.Errorf("%q: got %v", in, err)
		}
	}
	if _, err := ParseSince("2030-01-01", now); err == nil || !strings.Contains(err.Error(), "in the future") {
		t.Errorf("future: %v", err)
	}
}

func FuzzParseDurationOrTime(f *testing.F) {
	for _, s := range []string{"30m", "2h", "2d", "1w", "tomorrow 09:00", "09:00", "mon 9:30", "2026-11-25 14:00", "2026-11-25T14:00:00+08:00", "2x", ""} {
		f.Add(s)
	}
	myt := time.FixedZone("MYT", 8*3600)
	f.Fuzz(func(t *testing.T, s string) {
		got, err := ParseDurationOrTime(s, testNow, myt)
		if err == nil && !got.After(testNow) {
			t.Errorf("%q: %v is not in the future", s, got)
		}
		if err != nil && strings.Contains(err.Error(), "\n") && !strings.Contains(s, "\n") {
			t.Errorf("%q: multi-line error %q", s, err)
		}
		since, err := ParseSince(s, testNow)
		if err == nil && since.After(testNow) {
			t.Errorf("%q: since %v is in the future", s, since)
		}
	})
}
