package auth

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/respondctl/respondctl/commands/cmdutil"
	"golang.org/x/term"
)

// terminalSecretReader prompts on stderr and reads stdin without echo.
func terminalSecretReader(f *cmdutil.Factory) func(context.Context, string) (string, error) {
	return func(ctx context.Context, prompt string) (string, error) {
		fmt.Fprint(f.IOStreams.ErrOut, prompt)
		defer fmt.Fprintln(f.IOStreams.ErrOut)
		if file, ok := f.IOStreams.In.(*os.File); ok && term.IsTerminal(int(file.Fd())) {
			return readPassword(ctx, int(file.Fd()))
		}
		line, err := bufio.NewReader(f.IOStreams.In).ReadString('\n')
		if errors.Is(err, io.EOF) {
			err = nil
		}
		return line, err
	}
}

// readPassword is term.ReadPassword that gives up when ctx ends. Ctrl-C does
// not kill the process (main turns SIGINT into a cancelled context), and
// ReadPassword would otherwise block until Enter. It restores echo only when
// it returns, so on cancel the terminal is restored here; the abandoned read
// ends with the process, which is about to exit.
func readPassword(ctx context.Context, fd int) (string, error) {
	state, err := term.GetState(fd)
	if err != nil {
		return "", err
	}
	type result struct {
		b   []byte
		err error
	}
	done := make(chan result, 1)
	go func() {
		b, err := term.ReadPassword(fd)
		done <- result{b, err}
	}()
	select {
	case r := <-done:
		return string(r.b), r.err
	case <-ctx.Done():
		_ = term.Restore(fd, state)
		return "", ctx.Err()
	}
}
