package bulk

import (
	"io"
	"strconv"
	"sync"
	"unicode/utf8"

	"github.com/schollz/progressbar/v3"
)

// BarProgress draws a progress bar (count, rate, ETA) on a terminal. The
// command layer builds one only when stderr is a terminal and passes
// NoProgress otherwise.
//
// The bar lives on one stderr line without a newline; a result line printed
// to stdout (the same terminal) would land after it and garble both. So
// everything printed while the bar is active must go through Writer, which
// clears the bar, writes the line, and redraws the bar below it.
type BarProgress struct {
	mu          sync.Mutex // the bar library is not safe for concurrent Clear/render
	w           io.Writer
	description string
	columns     int // terminal width; 0: 80
	bar         *progressbar.ProgressBar
}

// SetTerminalWidth fits the bar to a terminal this many columns wide: the line must stay
// shorter than the terminal, or it wraps and every redraw adds a line.
func (p *BarProgress) SetTerminalWidth(cols int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.columns = cols
}

// layout picks the bar width and the details that fit on one line of the terminal: the
// full form (count, rate, elapsed and ETA) on a wide terminal; on a narrow one the rate
// and then the times go, and the bar shrinks.
func (p *BarProgress) layout(total int) []progressbar.Option {
	cols := p.columns
	if cols <= 0 {
		cols = 80
	}
	budget := cols - 1 // never touch the last column: some terminals wrap there
	digits := len(strconv.Itoa(total))
	// "DESC 100% |" + bar + "| (N/N" + ")" + " "
	fixed := displayWidth(p.description) + len(" 100% |") + len("|") + len(" (/) ") + 2*digits
	const rate = len(", 9999 items/s")
	const times = len("[59m59s:59m59s]")
	opts := []progressbar.Option{progressbar.OptionShowCount()}
	if bar := budget - fixed - rate - times; bar >= 10 {
		return append(opts, progressbar.OptionShowIts(), progressbar.OptionSetItsString("items"),
			progressbar.OptionSetPredictTime(true), progressbar.OptionSetElapsedTime(true),
			progressbar.OptionSetWidth(min(bar, 30)))
	}
	if bar := budget - fixed - times; bar >= 10 {
		return append(opts, progressbar.OptionSetPredictTime(true), progressbar.OptionSetElapsedTime(true),
			progressbar.OptionSetWidth(bar))
	}
	return append(opts, progressbar.OptionSetPredictTime(false), progressbar.OptionSetElapsedTime(false),
		progressbar.OptionSetWidth(max(budget-fixed, 3)))
}

func displayWidth(s string) int { return utf8.RuneCountInString(s) }

// NoProgress is the sink for non-terminals: it does nothing.
func NoProgress() ProgressSink { return noProgress{} }

// NewBarProgress returns a bar writing to w (stderr) labelled with description (e.g. "assign").
func NewBarProgress(w io.Writer, description string) *BarProgress {
	return &BarProgress{w: w, description: description}
}

// Start shows the bar for total targets.
func (p *BarProgress) Start(total int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if total <= 0 {
		return
	}
	opts := append([]progressbar.Option{
		progressbar.OptionSetWriter(p.w),
		progressbar.OptionSetDescription(p.description),
		progressbar.OptionUseANSICodes(true), // redraw with \r and erase-to-end-of-line
		progressbar.OptionClearOnFinish(),
		progressbar.OptionSetRenderBlankState(true),
	}, p.layout(total)...)
	p.bar = progressbar.NewOptions(total, opts...)
}

// Increment advances the bar by one settled target.
func (p *BarProgress) Increment(Result) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.bar != nil {
		_ = p.bar.Add(1)
	}
}

// Finish erases the bar so the summary line starts clean, whether or not
// every target was reached.
func (p *BarProgress) Finish() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.bar != nil {
		_ = p.bar.Clear()
		_ = p.bar.Exit()
		p.bar = nil
	}
}

// Writer wraps dst (stdout or stderr) so that each write clears the bar
// first and redraws it after. Write whole lines.
func (p *BarProgress) Writer(dst io.Writer) io.Writer {
	return barSafeWriter{p: p, dst: dst}
}

type barSafeWriter struct {
	p   *BarProgress
	dst io.Writer
}

func (w barSafeWriter) Write(b []byte) (int, error) {
	w.p.mu.Lock()
	defer w.p.mu.Unlock()
	if w.p.bar == nil {
		return w.dst.Write(b)
	}
	_ = w.p.bar.Clear()
	n, err := w.dst.Write(b)
	_ = w.p.bar.RenderBlank()
	return n, err
}
