package output

import (
	"fmt"
	"time"
)

// TimeFormatter renders times for humans (TTY: relative) or scripts
// (RFC 3339). Loc nil means UTC for RFC 3339 and local time for clock
// formats; callers set Loc only when the user gave --tz.
type TimeFormatter struct {
	TTY bool
	Now func() time.Time
	Loc *time.Location
}

// TimeFormatter returns a formatter for this stream's stdout.
func (ios *IOStreams) TimeFormatter(opts Options) TimeFormatter {
	return TimeFormatter{TTY: ios.IsStdoutTTY(), Now: opts.Now, Loc: opts.Loc}
}

func (tf TimeFormatter) now() time.Time {
	if tf.Now != nil {
		return tf.Now()
	}
	return time.Now()
}

func (tf TimeFormatter) clockLoc() *time.Location {
	if tf.Loc != nil {
		return tf.Loc
	}
	return time.Local
}

// Format: "" for the zero time; relative on a TTY; RFC 3339 otherwise.
func (tf TimeFormatter) Format(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	if !tf.TTY {
		return tf.RFC3339(t)
	}
	return tf.Relative(t)
}

// RFC3339 formats t in UTC, or in Loc when set.
func (tf TimeFormatter) RFC3339(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	loc := time.UTC
	if tf.Loc != nil {
		loc = tf.Loc
	}
	return t.In(loc).Format(time.RFC3339)
}

// Relative: "just now", "5m ago", "3h ago", "2d ago", "in 3h 12m"; times
// more than 30 days in the past show as a date.
func (tf TimeFormatter) Relative(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	d := tf.now().Sub(t)
	switch {
	case d > -time.Minute && d < time.Minute:
		return "just now"
	case d < 0:
		return "in " + FormatDuration(-d)
	case d < time.Hour:
		return fmt.Sprintf("%dm ago", int(d/time.Minute))
	case d < 24*time.Hour:
		return fmt.Sprintf("%dh ago", int(d/time.Hour))
	case d < 30*24*time.Hour:
		return fmt.Sprintf("%dd ago", int(d/(24*time.Hour)))
	default:
		return t.In(tf.clockLoc()).Format("2006-01-02")
	}
}

// Clock names a moment for people, in Loc (--tz) or local time, always with its day:
// "today 14:00" on the current day, "Thu 26 Nov 14:00" within six days of now, else
// "2026-11-14 14:00 MYT".
func (tf TimeFormatter) Clock(t time.Time) string {
	s, _ := tf.clock(t)
	return s
}

// ClockZone is Clock with the zone always named ("today 14:00 MYT"), for confirmations
// printed without a header that names the zone.
func (tf TimeFormatter) ClockZone(t time.Time) string {
	s, zoned := tf.clock(t)
	if s == "" || zoned {
		return s
	}
	abbr, _ := t.In(tf.clockLoc()).Zone()
	return s + " " + abbr
}

func (tf TimeFormatter) clock(t time.Time) (s string, zoned bool) {
	if t.IsZero() {
		return "", false
	}
	loc := tf.clockLoc()
	lt := t.In(loc)
	now := tf.now().In(loc)
	d := lt.Sub(now)
	if d < 0 {
		d = -d
	}
	switch {
	case sameDay(lt, now):
		return lt.Format("today 15:04"), false
	case d < 6*24*time.Hour:
		return lt.Format("Mon 2 Jan 15:04"), false
	}
	return lt.Format("2006-01-02 15:04 MST"), true
}

func sameDay(a, b time.Time) bool {
	ay, am, ad := a.Date()
	by, bm, bd := b.Date()
	return ay == by && am == bm && ad == bd
}

// FormatDuration is compact with at most two units: "45s", "12m 5s",
// "3h 12m", "2d 4h". Negative durations get a leading "-".
func FormatDuration(d time.Duration) string {
	sign := ""
	if d < 0 {
		sign, d = "-", -d
	}
	type unit struct {
		size time.Duration
		name string
	}
	units := []unit{{24 * time.Hour, "d"}, {time.Hour, "h"}, {time.Minute, "m"}, {time.Second, "s"}}
	for i, u := range units {
		if d < u.size {
			continue
		}
		s := fmt.Sprintf("%s%d%s", sign, int64(d/u.size), u.name)
		if i+1 < len(units) {
			next := units[i+1]
			if rest := (d % u.size) / next.size; rest > 0 {
				s += fmt.Sprintf(" %d%s", int64(rest), next.name)
			}
		}
		return s
	}
	return "0s"
}
