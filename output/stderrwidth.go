package output

import (
	"os"

	"golang.org/x/term"
)

// StderrWidth is the width of the terminal stderr is on (progress displays live there),
// the width set by SetTerminalWidth in tests, or 80 when unknown.
func (ios *IOStreams) StderrWidth() int {
	if ios.termWidth > 0 {
		return ios.termWidth
	}
	if f, ok := unfiltered(ios.ErrOut, ios.rawErrOut).(*os.File); ok && ios.stderrTTY {
		if w, _, err := term.GetSize(int(f.Fd())); err == nil && w > 0 {
			return w
		}
	}
	return DefaultTerminalWidth
}
