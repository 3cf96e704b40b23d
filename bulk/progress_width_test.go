package bulk

import (
	"bytes"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// Every frame of the bar fits on one terminal line (shorter than the width), so redraws
// overwrite it in place instead of wrapping and adding a line each time.
func TestBarFitsTheTerminal(t *testing.T) {
	for _, cols := range []int{40, 60, 80, 120} {
		var buf bytes.Buffer
		p := NewBarProgress(&buf, "assign")
		p.SetTerminalWidth(cols)
		p.Start(1000)
		for i := 0; i < 20; i++ {
			p.Increment(Result{})
			time.Sleep(5 * time.Millisecond) // a realistic rate, not millions per second
		}
		out := buf.String()
		p.Finish()
		if strings.Contains(out, "\n") {
			t.Errorf("%d columns: the bar wrote a newline: %q", cols, out)
		}
		frames := strings.Split(out, "\r")
		drawn := 0
		for _, f := range frames {
			f = strings.ReplaceAll(f, "\x1b[0K", "")
			f = strings.ReplaceAll(f, "\x1b[K", "")
			if f == "" {
				continue
			}
			drawn++
			if w := utf8.RuneCountInString(f); w >= cols {
				t.Errorf("%d columns: a %d-column frame wraps: %q", cols, w, f)
			}
		}
		if drawn == 0 {
			t.Errorf("%d columns: nothing drawn: %q", cols, out)
		}
		if cols >= 80 && !strings.Contains(out, "items/s") {
			t.Errorf("%d columns: the wide form lost its rate: %q", cols, out)
		}
	}
}
