package e2e

import (
	"regexp"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/respondctl/respondctl/sandbox"
)

var ansiEscape = regexp.MustCompile(`\x1b\[[0-9;?]*[A-Za-z]`)

// visibleLines is what the terminal shows, line by line: ONLCR's \r\n folded to \n,
// escape sequences removed, and each \r-separated redraw as its own frame.
func visibleFrames(s string) []string {
	s = ansiEscape.ReplaceAllString(strings.ReplaceAll(s, "\r\n", "\n"), "")
	var frames []string
	for _, line := range strings.Split(s, "\n") {
		for _, f := range strings.Split(line, "\r") {
			if f != "" {
				frames = append(frames, f)
			}
		}
	}
	return frames
}

// `contacts list` on 40 and 80 columns: every line fits (no wrapping, no blank line after a
// full-width header), id and name always shown, the least important columns dropped first.
func TestContactsListOnNarrowTerminals(t *testing.T) {
	t.Parallel() // own sandbox, HOME and child processes
	srv := demoSandbox(t)
	c := newCLI(t, srv.URL(), srv.Token())
	c.extra = []string{"RESPOND_PAGER=cat"}
	for _, tc := range []struct {
		cols       uint16
		want, gone []string
	}{
		{40, []string{"ID", "NAME"}, []string{"TAGS", "UNREAD"}},
		{80, []string{"ID", "NAME", "ASSIGNEE", "STATUS", "LAST MESSAGE"}, nil},
	} {
		r := c.startTTYCols(true, tc.cols, "contacts", "list", "--status", "all", "-L", "20")
		if code := r.wait(t, 20*time.Second); code != 0 {
			t.Fatalf("%d columns: exit %d\n%q", tc.cols, code, r.tty.String())
		}
		screen := strings.ReplaceAll(r.tty.String(), "\r\n", "\n")
		lines := strings.Split(strings.TrimRight(ansiEscape.ReplaceAllString(screen, ""), "\n"), "\n")
		if len(lines) != 21 {
			t.Errorf("%d columns: want a header and 20 rows, got %d lines:\n%s", tc.cols, len(lines), screen)
		}
		for _, l := range lines {
			if l == "" || utf8.RuneCountInString(l) > int(tc.cols) || strings.HasSuffix(l, " ") {
				t.Errorf("%d columns: bad line %q", tc.cols, l)
			}
		}
		header := lines[0]
		for _, w := range tc.want {
			if !strings.Contains(header, w) {
				t.Errorf("%d columns: header %q lacks %s", tc.cols, header, w)
			}
		}
		for _, g := range tc.gone {
			if strings.Contains(header, g) {
				t.Errorf("%d columns: header %q should have dropped %s", tc.cols, header, g)
			}
		}
	}
}

// The progress bar of a bulk run on 40 and 80 columns stays on one line: each redraw is
// shorter than the terminal and returns with \r, so no line is added per redraw.
func TestProgressOnNarrowTerminals(t *testing.T) {
	t.Parallel() // own sandbox, HOME and child processes
	slow := startSandbox(t, sandbox.Options{Seed: "demo", Rate: 30})
	input := writeFile(t, "ids.txt", idLines(100, 139))
	for _, cols := range []uint16{40, 80} {
		c := newCLI(t, slow.URL(), slow.Token())
		r := c.startTTYCols(false, cols, "assign", "--input", input, "--to", "nadia@example.com")
		if code := r.wait(t, 60*time.Second); code != 0 {
			t.Fatalf("%d columns: exit %d\n%q", cols, code, r.tty.String())
		}
		screen := r.tty.String()
		if !strings.Contains(screen, "assign") || !strings.Contains(screen, "/40") {
			t.Fatalf("%d columns: no bar drawn:\n%q", cols, screen)
		}
		// Only the summary lines end in a newline; the bar's frames never do.
		if n := strings.Count(screen, "\n"); n > 2 {
			t.Errorf("%d columns: %d lines on the terminal, want the summary only:\n%q", cols, n, screen)
		}
		for _, f := range visibleFrames(screen) {
			if !strings.HasPrefix(f, "assign ") {
				continue // the summary lines, which may wrap like any text
			}
			if w := utf8.RuneCountInString(f); w >= int(cols) {
				t.Errorf("%d columns: a %d-column frame wraps: %q", cols, w, f)
			}
		}
	}
}
