package output

import (
	"testing"

	"github.com/creack/pty"
)

// TestTerminalWidthFromPTY checks real detection on a pseudo-terminal.
func TestTerminalWidthFromPTY(t *testing.T) {
	ptmx, tty, err := pty.Open()
	if err != nil {
		t.Skipf("no pty: %v", err)
	}
	defer ptmx.Close()
	defer tty.Close()
	if err := pty.Setsize(ptmx, &pty.Winsize{Rows: 24, Cols: 123}); err != nil {
		t.Skipf("setsize: %v", err)
	}
	if !isTerminal(tty) {
		t.Fatal("pty slave not detected as a terminal")
	}
	ios := &IOStreams{Out: tty, stdoutTTY: true}
	if got := ios.TerminalWidth(); got != 123 {
		t.Errorf("width %d, want 123", got)
	}
}
