package bulk

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"testing"
)

func TestBarProgressShowsCountRateAndETA(t *testing.T) {
	var stderr bytes.Buffer
	p := NewBarProgress(&stderr, "assign")
	p.Start(10)
	for range 4 {
		p.Increment(Result{Outcome: OutcomeDone})
	}
	out := stderr.String()
	for _, want := range []string{"assign", "4/10", "items/s"} {
		if !strings.Contains(out, want) {
			t.Errorf("bar %q lacks %q", out, want)
		}
	}
	p.Finish()
	p.Finish() // idempotent
}

func TestBarProgressWriterKeepsLinesWhole(t *testing.T) {
	// One terminal: the bar (stderr) and result lines (stdout) share it.
	var term bytes.Buffer
	p := NewBarProgress(&term, "send")
	stdout := p.Writer(&term)
	p.Start(3)
	p.Increment(Result{})
	fmt.Fprintln(stdout, "id:1 sent")
	p.Increment(Result{})
	fmt.Fprintln(stdout, "id:2 sent")
	p.Finish()
	fmt.Fprintln(stdout, "done 2") // after Finish: written straight through

	screen := renderTerminal(term.String())
	if !strings.Contains(screen, "id:1 sent\nid:2 sent\n") || !strings.HasSuffix(screen, "done 2\n") {
		t.Errorf("screen =\n%s", screen)
	}
	if strings.Contains(screen, "/3") {
		t.Errorf("bar left on screen:\n%s", screen)
	}
}

// renderTerminal applies "\r", "\n" and the erase-in-line sequences (ESC[K, ESC[0K,
// ESC[2K) the way a terminal does, and trims trailing blanks on each line.
func renderTerminal(s string) string {
	var lines []string
	var cur []rune
	col := 0
	rs := []rune(s)
	for i := 0; i < len(rs); i++ {
		r := rs[i]
		if r == 0x1b && i+1 < len(rs) && rs[i+1] == '[' {
			j := i + 2
			for j < len(rs) && (rs[j] >= '0' && rs[j] <= '9' || rs[j] == ';') {
				j++
			}
			if j < len(rs) && rs[j] == 'K' {
				if string(rs[i+2:j]) == "2" {
					cur = nil
				} else if col < len(cur) {
					cur = cur[:col]
				}
			}
			i = j
			continue
		}
		switch r {
		case '\r':
			col = 0
		case '\n':
			lines = append(lines, strings.TrimRight(string(cur), " "))
			cur, col = nil, 0
		default:
			if col < len(cur) {
				cur[col] = r
			} else {
				cur = append(cur, r)
			}
			col++
		}
	}
	return strings.Join(lines, "\n") + "\n" + strings.TrimRight(string(cur), " ")
}

// NoProgress (pipes, --no-progress) must write nothing anywhere: the process's stdout and
// stderr are captured around a whole start-increment-finish cycle.
func TestNoProgressIsSilent(t *testing.T) {
	stdout, stderr := os.Stdout, os.Stderr
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	os.Stdout, os.Stderr = w, w
	p := NoProgress()
	p.Start(3)
	for range 3 {
		p.Increment(Result{Outcome: OutcomeDone})
	}
	p.Increment(Result{Outcome: OutcomeFailed, Err: errors.New("boom")})
	p.Finish()
	os.Stdout, os.Stderr = stdout, stderr
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	written, err := io.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	if len(written) != 0 {
		t.Fatalf("NoProgress wrote %q", written)
	}
}
