package bulk

import (
	"io"
	"sync"

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
	bar         *progressbar.ProgressBar
}

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
	p.bar = progressbar.NewOptions(total,
		progressbar.OptionSetWriter(p.w),
		progressbar.OptionSetDescription(p.description),
		progressbar.OptionShowCount(),
		progressbar.OptionShowIts(),
		progressbar.OptionSetItsString("items"),
		progressbar.OptionSetPredictTime(true),
		progressbar.OptionSetElapsedTime(true),
		progressbar.OptionSetWidth(30),
		progressbar.OptionClearOnFinish(),
		progressbar.OptionSetRenderBlankState(true),
	)
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
