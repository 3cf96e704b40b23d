// Package output owns everything respondctl writes for people and scripts:
// IO streams (TTY detection, colour, pager), the colour scheme, time
// formatting and the printers behind -o table|json|jsonl|yaml, --jq and
// --template. It deliberately imports no other project package.
package output

import (
	"bytes"
	"io"
	"os"
	"os/exec"
	"strings"

	"github.com/mattn/go-isatty"
	"golang.org/x/term"
)

// DefaultTerminalWidth is used when the width cannot be detected.
const DefaultTerminalWidth = 80

// IOStreams bundles the three standard streams with what is known about
// them (TTY-ness, colour, width) so commands never look at os.* directly.
type IOStreams struct {
	In     io.Reader
	Out    io.Writer
	ErrOut io.Writer

	stdinTTY, stdoutTTY, stderrTTY bool

	// colour: an explicit override (--no-color, tests) beats the environment.
	colorOverride *bool
	noColorEnv    bool
	forceColorEnv bool

	termWidth int // 0 = detect

	pagerCmd   string
	pagerSet   bool // pagerCmd came from the environment (may be "")
	pagerState *pagerState

	// filter (SetStreamFilter) wraps Out and ErrOut; raw* are the writers under it.
	filter            StreamFilter
	rawOut, rawErrOut io.Writer
}

// LookupEnv has the signature of os.LookupEnv; tests inject a fake.
type LookupEnv func(key string) (string, bool)

// System returns streams bound to the process's stdin/stdout/stderr, with
// TTY-ness detected and colour/pager settings read from the environment.
func System() *IOStreams {
	ios := &IOStreams{
		In:        os.Stdin,
		Out:       os.Stdout,
		ErrOut:    os.Stderr,
		stdinTTY:  isTerminal(os.Stdin),
		stdoutTTY: isTerminal(os.Stdout),
		stderrTTY: isTerminal(os.Stderr),
	}
	ios.ApplyEnv(os.LookupEnv)
	return ios
}

// Test returns streams backed by buffers; nothing is a TTY and colour is
// off until the Set* methods say otherwise. The environment is not read.
func Test() (ios *IOStreams, in *bytes.Buffer, out *bytes.Buffer, errOut *bytes.Buffer) {
	in, out, errOut = &bytes.Buffer{}, &bytes.Buffer{}, &bytes.Buffer{}
	ios = &IOStreams{In: in, Out: out, ErrOut: errOut, pagerSet: true}
	return ios, in, out, errOut
}

// ApplyEnv reads NO_COLOR, CLICOLOR_FORCE, RESPOND_PAGER and PAGER.
// System calls it with os.LookupEnv; tests call it with a fake.
func (ios *IOStreams) ApplyEnv(lookup LookupEnv) {
	_, ios.noColorEnv = lookup("NO_COLOR") // any value, even empty, as the brief says
	if v, ok := lookup("CLICOLOR_FORCE"); ok && v != "" && v != "0" {
		ios.forceColorEnv = true
	}
	ios.pagerCmd, ios.pagerSet = "", false
	if v, ok := lookup("RESPOND_PAGER"); ok {
		ios.pagerCmd, ios.pagerSet = v, true
	} else if v, ok := lookup("PAGER"); ok {
		ios.pagerCmd, ios.pagerSet = v, true
	}
}

func isTerminal(f *os.File) bool {
	return isatty.IsTerminal(f.Fd()) || isatty.IsCygwinTerminal(f.Fd())
}

func (ios *IOStreams) IsStdinTTY() bool  { return ios.stdinTTY }
func (ios *IOStreams) IsStdoutTTY() bool { return ios.stdoutTTY }
func (ios *IOStreams) IsStderrTTY() bool { return ios.stderrTTY }

func (ios *IOStreams) SetStdinTTY(v bool)  { ios.stdinTTY = v }
func (ios *IOStreams) SetStdoutTTY(v bool) { ios.stdoutTTY = v }
func (ios *IOStreams) SetStderrTTY(v bool) { ios.stderrTTY = v }

// SetColorEnabled overrides every other colour rule; the root command calls
// SetColorEnabled(false) for --no-color.
func (ios *IOStreams) SetColorEnabled(v bool) { ios.colorOverride = &v }

// SetTerminalWidth fixes the width (tests); 0 restores detection.
func (ios *IOStreams) SetTerminalWidth(w int) { ios.termWidth = w }

// SetPager sets the pager command as if it came from RESPOND_PAGER.
func (ios *IOStreams) SetPager(cmd string) { ios.pagerCmd, ios.pagerSet = cmd, true }

// ColorEnabled: an explicit override wins, then NO_COLOR (off), then
// CLICOLOR_FORCE (on, even when piped), else only on a stdout terminal.
// NO_COLOR beats CLICOLOR_FORCE because an opt-out should never be overridden
// by a variable some other tool may have exported.
func (ios *IOStreams) ColorEnabled() bool {
	switch {
	case ios.colorOverride != nil:
		return *ios.colorOverride
	case ios.noColorEnv:
		return false
	case ios.forceColorEnv:
		return true
	default:
		return ios.stdoutTTY
	}
}

// TerminalWidth is the stdout terminal's width, or 80 when unknown.
func (ios *IOStreams) TerminalWidth() int {
	if ios.termWidth > 0 {
		return ios.termWidth
	}
	if f, ok := ios.originalOut().(*os.File); ok && ios.stdoutTTY {
		if w, _, err := term.GetSize(int(f.Fd())); err == nil && w > 0 {
			return w
		}
	}
	return DefaultTerminalWidth
}

// ColorScheme returns a scheme honouring ColorEnabled.
func (ios *IOStreams) ColorScheme() *ColorScheme { return NewColorScheme(ios.ColorEnabled()) }

// pagerArgs returns the pager argv, or nil when paging is disabled.
func (ios *IOStreams) pagerArgs() []string {
	cmd := "less -FRX"
	if ios.pagerSet {
		cmd = ios.pagerCmd
	}
	args := strings.Fields(cmd)
	if len(args) == 0 || args[0] == "cat" {
		return nil
	}
	return args
}

func lookPath(name string) (string, error) { return exec.LookPath(name) }
