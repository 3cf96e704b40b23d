package output

import (
	"fmt"
	"time"
)

var spinnerFrames = []string{"⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"}

type spinner struct {
	stop chan struct{}
	done chan struct{}
}

// StartSpinner shows msg with an animated spinner on stderr, only when
// stderr is a terminal (never on stdout: it would corrupt piped data).
func (ios *IOStreams) StartSpinner(msg string) {
	if !ios.stderrTTY {
		return
	}
	ios.spinnerMu.Lock()
	defer ios.spinnerMu.Unlock()
	if ios.spinner != nil {
		return
	}
	s := &spinner{stop: make(chan struct{}), done: make(chan struct{})}
	ios.spinner = s
	w := ios.ErrOut
	go func() {
		defer close(s.done)
		tick := time.NewTicker(100 * time.Millisecond)
		defer tick.Stop()
		for i := 0; ; i++ {
			fmt.Fprintf(w, "\r%s %s", spinnerFrames[i%len(spinnerFrames)], msg)
			select {
			case <-s.stop:
				fmt.Fprint(w, "\r\x1b[K") // erase the spinner line
				return
			case <-tick.C:
			}
		}
	}()
}

// StopSpinner erases the spinner and waits for its goroutine to finish.
func (ios *IOStreams) StopSpinner() {
	ios.spinnerMu.Lock()
	s := ios.spinner
	ios.spinner = nil
	ios.spinnerMu.Unlock()
	if s == nil {
		return
	}
	close(s.stop)
	<-s.done
}
