// Package timeparse reads the times users type: --until (durations, dates, clock phrases
// such as "tomorrow 9am") and --since (durations and dates).
package timeparse

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/respondctl/respondctl/output"
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
// Times not after now are rejected. A wall-clock time that does not exist in
// loc (skipped by a daylight-saving change) moves forward by the gap; ParseUntil
// also says so.
func ParseDurationOrTime(s string, now time.Time, loc *time.Location) (time.Time, error) {
	t, _, err := ParseUntil(s, now, loc)
	return t, err
}

// ParseUntil is ParseDurationOrTime plus a note for people when the time named does
// not exist in loc (the clocks skip it) and was moved forward: "" otherwise.
func ParseUntil(s string, now time.Time, loc *time.Location) (time.Time, string, error) {
	if loc == nil {
		loc = now.Location()
	}
	in := strings.ToLower(strings.TrimSpace(s))
	if in == "" {
		return time.Time{}, "", untilError(s)
	}
	if d, ok := parseRelative(in); ok {
		if d <= 0 {
			return time.Time{}, "", untilError(s)
		}
		return now.Add(d), "", nil
	}
	t, wall, ok := parseAbsolute(s, loc)
	if !ok {
		t, wall, ok = parseClockPhrase(in, now.In(loc))
	}
	if !ok {
		return time.Time{}, "", untilError(s)
	}
	var note string
	if wall != nil && wall.gap {
		lt := t.In(loc)
		note = fmt.Sprintf("%s does not exist on %s in %s (the clocks go forward %s): using %s",
			wall.text, lt.Format("Mon 2006-01-02"), loc, output.FormatDuration(wall.skipped), lt.Format("15:04 MST"))
	}
	if !t.After(now) {
		return time.Time{}, "", fmt.Errorf("time %q is in the past", s)
	}
	return t, note, nil
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
		if t, _, ok = parseAbsolute(s, now.Location()); !ok {
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

// wallClock describes a local date and time that was asked for; gap is set when the
// clocks skip it (a daylight-saving change), skipped by how much.
type wallClock struct {
	text    string
	gap     bool
	skipped time.Duration
}

// localTime is time.Date in loc, except that a wall time skipped by a daylight-saving change
// moves forward by the gap (02:30 on a spring-forward night at 02:00 becomes 03:30), where
// time.Date leaves the choice of offset unspecified.
func localTime(year int, month time.Month, day, hh, mm, ss int, loc *time.Location) (time.Time, *wallClock) {
	t := time.Date(year, month, day, hh, mm, ss, 0, loc)
	w := &wallClock{text: fmt.Sprintf("%02d:%02d", hh, mm)}
	want := time.Date(year, month, day, hh, mm, ss, 0, time.UTC)
	got := time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), 0, time.UTC)
	if got.Equal(want) {
		return t, w
	}
	// Skipped: read the wall time with the offset in force before the change.
	_, before := t.Add(-24 * time.Hour).Zone()
	_, after := t.Add(24 * time.Hour).Zone()
	forward := want.Add(-time.Duration(before) * time.Second).In(loc)
	w.gap, w.skipped = true, time.Duration(after-before)*time.Second
	return forward, w
}

func parseAbsolute(s string, loc *time.Location) (time.Time, *wallClock, bool) {
	s = strings.TrimSpace(s)
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil, true
	}
	for _, layout := range dateTimeLayouts {
		if p, err := time.Parse(layout, s); err == nil {
			t, w := localTime(p.Year(), p.Month(), p.Day(), p.Hour(), p.Minute(), p.Second(), loc)
			return t, w, true
		}
	}
	return time.Time{}, nil, false
}

// parseClockPhrase handles "HH:MM" and "<day> HH:MM" where day is today,
// tomorrow or a weekday name; now is already in the target location.
func parseClockPhrase(s string, now time.Time) (time.Time, *wallClock, bool) {
	fields := strings.Fields(s)
	var day, clock string
	switch len(fields) {
	case 1:
		clock = fields[0]
	case 2:
		day, clock = fields[0], fields[1]
	default:
		return time.Time{}, nil, false
	}
	hh, mm, ok := parseHHMM(clock)
	if !ok {
		return time.Time{}, nil, false
	}
	var wall *wallClock
	at := func(offsetDays int) time.Time {
		var t time.Time
		t, wall = localTime(now.Year(), now.Month(), now.Day()+offsetDays, hh, mm, 0, now.Location())
		return t
	}
	switch day {
	case "":
		if t := at(0); t.After(now) {
			return t, wall, true
		}
		t := at(1)
		return t, wall, true
	case "today":
		t := at(0)
		return t, wall, true
	case "tomorrow":
		t := at(1)
		return t, wall, true
	}
	wd, ok := parseWeekday(day)
	if !ok {
		return time.Time{}, nil, false
	}
	offset := (int(wd) - int(now.Weekday()) + 7) % 7
	if t := at(offset); t.After(now) {
		return t, wall, true
	}
	t := at(offset + 7)
	return t, wall, true
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
