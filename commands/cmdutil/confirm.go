package cmdutil

import (
	"bufio"
	"fmt"
	"strings"

	"github.com/respondctl/respondctl/output"
)

// Confirm asks a yes/no question before a destructive change. yes (--yes) answers it; on a
// terminal the user is asked on stderr; in a script without --yes it is a usage error, so a
// cron job never deletes by accident. A "no" is an error too (nothing was changed).
func Confirm(ios *output.IOStreams, question string, yes bool) error {
	if yes {
		return nil
	}
	if !ios.IsStdinTTY() || !ios.IsStderrTTY() {
		return &ExitCodeError{Code: ExitUsage, Err: fmt.Errorf("%s: pass --yes to confirm (not on a terminal, so respondctl cannot ask)", question)}
	}
	fmt.Fprintf(ios.ErrOut, "%s [y/N] ", question)
	line, _ := bufio.NewReader(ios.In).ReadString('\n')
	switch strings.ToLower(strings.TrimSpace(line)) {
	case "y", "yes":
		return nil
	}
	return &ExitCodeError{Code: ExitError, Err: fmt.Errorf("not confirmed: nothing was changed")}
}

// InvalidInput is bad input found while checking values against the workspace (an unknown
// custom field, a value of the wrong type, a template typo): exit 2 like a usage error, but
// one line, without the --help hint, since the flags themselves were fine.
func InvalidInput(err error) error {
	if err == nil {
		return nil
	}
	return &ExitCodeError{Code: ExitUsage, Err: err}
}
