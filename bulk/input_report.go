package bulk

import (
	"errors"
	"fmt"
	"strings"
)

// LineError is one input line that could not be used.
type LineError struct {
	Source string // "" for a single unnamed stream; "argument", "stdin", a file name
	Line   int    // 1-based line (or argument position)
	Text   string // the line as read
	Err    error
}

func (e LineError) Error() string {
	where := fmt.Sprintf("line %d", e.Line)
	if e.Source != "" {
		where = fmt.Sprintf("%s line %d", e.Source, e.Line)
		if e.Source == "argument" {
			where = fmt.Sprintf("argument %d", e.Line)
		}
	}
	text := clip(strings.TrimSpace(e.Text), 60)
	msg := e.Err.Error()
	var malformed malformedLineError
	if errors.As(e.Err, &malformed) {
		return fmt.Sprintf("%s: %s: %q", where, msg, text)
	}
	// Avoid `invalid contact identifier "x": invalid contact identifier "x"` when the
	// normaliser already names the value.
	if strings.Contains(msg, fmt.Sprintf("%q", text)) || strings.HasPrefix(msg, "invalid contact identifier ") {
		return where + ": " + msg
	}
	return fmt.Sprintf("%s: invalid contact identifier %q: %s", where, text, msg)
}

func (e LineError) Unwrap() error { return e.Err }

// malformedLineError marks a line whose shape is wrong (bad JSON, no
// identifier cell), as opposed to an identifier the normaliser rejected.
type malformedLineError struct{ error }

func (e malformedLineError) Unwrap() error { return e.error }

// InputReport describes what was read: Total identifiers seen (valid,
// invalid and duplicate), how many duplicates were collapsed, and the lines
// that could not be used.
type InputReport struct {
	Total      int
	Duplicates int
	Invalid    []LineError
}

// maxListedLineErrors bounds Err's message so a wrong file does not flood the terminal.
const maxListedLineErrors = 10

// Err returns nil when every line was usable, else one error listing the
// first invalid lines ("line 3: invalid contact identifier "x": …") and how
// many more there are. The caller should abort before changing anything.
func (r InputReport) Err() error {
	if len(r.Invalid) == 0 {
		return nil
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%d invalid input %s:", len(r.Invalid), plural(len(r.Invalid), "line", "lines"))
	for i, e := range r.Invalid {
		if i == maxListedLineErrors {
			fmt.Fprintf(&b, "\n  and %d more", len(r.Invalid)-maxListedLineErrors)
			break
		}
		b.WriteString("\n  " + e.Error())
	}
	return errors.New(b.String())
}

// Unique is the number of distinct valid identifiers (the targets).
func (r InputReport) Unique() int {
	return r.Total - r.Duplicates - len(r.Invalid)
}

// String is a one-line notice for stderr, e.g.
// "1000 identifiers read: 998 unique, 2 duplicates collapsed".
func (r InputReport) String() string {
	if r.Total == 0 {
		return "no identifiers in input: nothing to do"
	}
	s := fmt.Sprintf("%d %s read: %d unique", r.Total, plural(r.Total, "identifier", "identifiers"), r.Unique())
	if r.Duplicates > 0 {
		s += fmt.Sprintf(", %d %s collapsed", r.Duplicates, plural(r.Duplicates, "duplicate", "duplicates"))
	}
	if n := len(r.Invalid); n > 0 {
		s += fmt.Sprintf(", %d invalid", n)
	}
	return s
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "…"
}
