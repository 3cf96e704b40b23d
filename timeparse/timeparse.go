// Package timeparse reads the times users type: --until (durations, dates, clock phrases
// such as "tomorrow 9am") and --since (durations and dates).
package timeparse

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// maxRelative bounds relative durations so "99999999999w" cannot overflow.
const maxRelative = 100 * 365 * 24 * time.Hour

var dateTimeLayouts = []string{
	"2006-01-02 15:04",
	"2006-01-02T15:04",
	"2006-01-02 15:04:05",
	"2006-01-02T15:04:05",
	"2006-01-02",
}

func untilError(s string) error {
	return fmt.Errorf("invalid duration %q: use e.g. 30m, 2h, 2d, tomorrow 09:00 or an RFC 3339 time", s)
}

func sinceError(s string) error {
	return fmt.Errorf("invalid duration %q: use e.g. 30m, 2h, 2d, 1w, 2026-11-20 or an RFC 3339 time", s)
}

// ParseDurationOrTime parses a future moment for flags like --until:
// "30m", "2h", "2d", "1w", "1h30m" (from now); "09:00" (its next occurrence);
// "today 17:00", "tomorrow 09:00", "monday 09:00"; "2026-11-25 14:00" or
// "2026-11-25" (in loc); or RFC 3339. loc nil means now's location.
// Times not after now are rejected.
func ParseDurationOrTime(s string, now time.Time, loc *time.Location) (time.Time, error) {
	if loc == nil {
		loc = now.Location()
	}
	in := strings.ToLower(strings.TrimSpace(s))
	if in == "" {
		return time.Time{}, untilError(s)
	}
	if d, ok := parseRelative(in); ok {
		if d <= 0 {
			return time.Time{}, untilError(s)
		}
		return now.Add(d), nil
	}
	t, ok := parseAbsolute(s, loc)
	if !ok {
		t, ok = parseClockPhrase(in, now.In(loc))
	}
	if !ok {
		return time.Time{}, untilError(s)
	}
	if !t.After(now) {
		return time.Time{}, fmt.Errorf("time %q is in the past", s)
	}
	return t, nil
}

// ParseSince parses a past moment for --since: "30m", "2h", "2d", "1w"
// (ago); "today", "yesterday"; "2026-11-20", "2026-11-20 14:00" (in now's
// location, so pass now.In(loc) to honour --tz); or RFC 3339.
func ParseSince(s string, now time.Time) (time.Time, error) {
	in := strings.ToLower(strings.TrimSpace(s))
	if in == "" {
		return time.Time{}, sinceError(s)
	}
	if d, ok := parseRelative(in); ok {
		return now.Add(-d), nil
	}
	var t time.Time
	switch in {
	case "today":
		t = midnight(now, 0)
	case "yesterday":
		t = midnight(now, -1)
	default:
		var ok bool
		if t, ok = parseAbsolute(s, now.Location()); !ok {
			return time.Time{}, sinceError(s)
		}
	}
	if t.After(now) {
		return time.Time{}, fmt.Errorf("time %q is in the future", s)
	}
	return t, nil
}

// parseRelative accepts one or more <number><unit> pairs, unit in w,d,h,m,s.
func parseRelative(s string) (time.Duration, bool) {
	if s == "" {
		return 0, false
	}
	var total time.Duration
	for s != "" {
		i := 0
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
		}
		if i == 0 || i == len(s) || i > 12 {
			return 0, false
		}
		n, err := strconv.ParseInt(s[:i], 10, 64)
		if err != nil {
			return 0, false
		}
		var unit time.Duration
		switch s[i] {
		case 'w':
			unit = 7 * 24 * time.Hour
		case 'd':
			unit = 24 * time.Hour
		case 'h':
			unit = time.Hour
		case 'm':
			unit = time.Minute
		case 's':
			unit = time.Second
		default:
			return 0, false
		}
		if n > int64(maxRelative/unit) {
			return 0, false
		}
		total += time.Duration(n) * unit
		if total > maxRelative {
			return 0, false
		}
		s = s[i+1:]
	}
	return total, true
}

func parseAbsolute(s string, loc *time.Location) (time.Time, bool) {
	s = strings.TrimSpace(s)
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, true
	}
	for _, layout := range dateTimeLayouts {
		if t, err := time.ParseInLocation(layout, s, loc); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// parseClockPhrase handles "HH:MM" and "<day> HH:MM" where day is today,
// tomorrow or a weekday name; now is already in the target location.
func parseClockPhrase(s string, now time.Time) (time.Time, bool) {
	fields := strings.Fields(s)
	var day, clock string
	switch len(fields) {
	case 1:
		clock = fields[0]
	case 2:
		day, clock = fields[0], fields[1]
	default:
		return time.Time{}, false
	}
	hh, mm, ok := parseHHMM(clock)
	if !ok {
		return time.Time{}, false
	}
	at := func(offsetDays int) time.Time {
		return time.Date(now.Year(), now.Month(), now.Day()+offsetDays, hh, mm, 0, 0, now.Location())
	}
	switch day {
	case "":
		if t := at(0); t.After(now) {
			return t, true
		}
		return at(1), true
	case "today":
		return at(0), true
	case "tomorrow":
		return at(1), true
	}
	wd, ok := parseWeekday(day)
	if !ok {
		return time.Time{}, false
	}
	offset := (int(wd) - int(now.Weekday()) + 7) % 7
	if t := at(offset); t.After(now) {
		return t, true
	}
	return at(offset + 7), true
}

func parseHHMM(s string) (int, int, bool) {
	h, m, found := strings.Cut(s, ":")
	if !found || len(h) < 1 || len(h) > 2 || len(m) != 2 {
		return 0, 0, false
	}
	hh, err1 := strconv.Atoi(h)
	mm, err2 := strconv.Atoi(m)
	if err1 != nil || err2 != nil || hh < 0 || hh > 23 || mm < 0 || mm > 59 || h[0] == '+' || h[0] == '-' {
		return 0, 0, false
	}
	return hh, mm, true
}

func parseWeekday(s string) (time.Weekday, bool) {
	for d := time.Sunday; d <= time.Saturday; d++ {
		name := strings.ToLower(d.String())
		if s == name || s == name[:3] {
			return d, true
		}
	}
	return 0, false
}

func midnight(now time.Time, offsetDays int) time.Time {
	return time.Date(now.Year(), now.Month(), now.Day()+offsetDays, 0, 0, 0, 0, now.Location())
}
