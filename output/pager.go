package output

import (
	"errors"
	"io"
	"os"
	"os/exec"
	"syscall"
)

// ErrClosedPagerPipe is returned by writes after the user quit the pager;
// main should treat it as a quiet success, like gh does.
var ErrClosedPagerPipe = errors.New("pager closed")

type pagerState struct {
	cmd     *exec.Cmd
	pipe    io.WriteCloser
	origOut io.Writer
}

// StartPager pipes Out through the pager when stdout is a terminal. The
// command comes from RESPOND_PAGER, then PAGER, default "less -FRX"; "" or
// "cat" disables it. A pager that cannot start is ignored: output then goes
// straight to the terminal.
func (ios *IOStreams) StartPager() error {
	if !ios.stdoutTTY || ios.pagerState != nil {
		return nil
	}
	args := ios.pagerArgs()
	if args == nil {
		return nil
	}
	path, err := lookPath(args[0])
	if err != nil {
		return nil
	}
	cmd := exec.Command(path, args[1:]...)
	cmd.Env = os.Environ()
	if _, ok := os.LookupEnv("LESS"); !ok {
		cmd.Env = append(cmd.Env, "LESS=FRX")
	}
	if _, ok := os.LookupEnv("LV"); !ok {
		cmd.Env = append(cmd.Env, "LV=-c")
	}
	// The pager writes to the real terminal; what we write to it is filtered.
	cmd.Stdout = unfiltered(ios.Out, ios.rawOut)
	cmd.Stderr = unfiltered(ios.ErrOut, ios.rawErrOut)
	pipe, err := cmd.StdinPipe()
	if err != nil {
		return nil
	}
	if err := cmd.Start(); err != nil {
		return nil
	}
	ios.pagerState = &pagerState{cmd: cmd, pipe: pipe, origOut: ios.Out}
	ios.Out = ios.wrapFiltered(&pagerWriter{w: pipe})
	return nil
}

// StopPager closes the pager's input and waits for the user to quit it.
func (ios *IOStreams) StopPager() {
	p := ios.pagerState
	if p == nil {
		return
	}
	ios.Flush()
	_ = p.pipe.Close()
	_ = p.cmd.Wait()
	ios.Out = p.origOut
	ios.pagerState = nil
}

func (ios *IOStreams) originalOut() io.Writer {
	if ios.pagerState != nil {
		return unfiltered(ios.pagerState.origOut, ios.rawOut)
	}
	return unfiltered(ios.Out, ios.rawOut)
}

// pagerWriter turns EPIPE (user quit the pager early) into ErrClosedPagerPipe.
type pagerWriter struct{ w io.Writer }

func (p *pagerWriter) Write(b []byte) (int, error) {
	n, err := p.w.Write(b)
	if err != nil && (errors.Is(err, syscall.EPIPE) || errors.Is(err, os.ErrClosed)) {
		return n, ErrClosedPagerPipe
	}
	return n, err
}

// liveOut writes to whatever Out is at the time of the write, so a printer
// built before StartPager still sends its output through the pager.
func (ios *IOStreams) liveOut() io.Writer { return liveOut{ios} }

type liveOut struct{ ios *IOStreams }

func (l liveOut) Write(b []byte) (int, error) { return l.ios.Out.Write(b) }
