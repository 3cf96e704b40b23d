package cmdtest

import (
	"strings"
	"testing"

	"github.com/respondctl/respondctl/commands/cmdutil"
	"github.com/spf13/cobra"
)

// FlagCase is a command line (flags and arguments, without the command name) and, for a
// refused one, a piece of the usage error it must get.
type FlagCase struct {
	Args []string
	Want string // "" : the line is accepted and reaches the run function
}

// NewCmd builds the command under test with a runF that sets *reached (the runF seam of
// NewCmdX: flag parsing and validation without running anything).
type NewCmd func(f *cmdutil.Factory, reached *bool) *cobra.Command

// CheckFlags runs each case through the runF seam: a refused line must fail with a usage
// error (exit 2) containing Want before the run function is reached and before any API
// client is built; an accepted line must reach the run function.
func CheckFlags(t *testing.T, build NewCmd, cases []FlagCase) {
	t.Helper()
	for _, c := range cases {
		f := NoRequestFactory(t)
		reached := false
		err := Exec(f, build(f, &reached), c.Args...)
		switch {
		case c.Want == "" && (err != nil || !reached):
			t.Errorf("%q: want accepted, got reached=%v err=%v", c.Args, reached, err)
		case c.Want != "" && reached:
			t.Errorf("%q: reached the run function, want the usage error %q", c.Args, c.Want)
		case c.Want != "" && (cmdutil.ExitCode(err) != cmdutil.ExitUsage || !strings.Contains(err.Error(), c.Want)):
			t.Errorf("%q: got %v (exit %d), want a usage error containing %q", c.Args, err, cmdutil.ExitCode(err), c.Want)
		}
	}
}
