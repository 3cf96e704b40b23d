package cmdutil

import "github.com/spf13/cobra"

// ExactArgs makes a wrong number of positional arguments a usage error (exit 2) with msg,
// e.g. "contacts show takes one contact identifier".
func ExactArgs(n int, msg string) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if len(args) > n {
			// Not the "required" message when there is one too many.
			plural := "s"
			if n == 1 {
				plural = ""
			}
			return FlagErrorf("%s takes %d argument%s, got %d (%q is one too many)", cmd.CommandPath(), n, plural, len(args), args[n])
		}
		if len(args) != n {
			return FlagErrorf("%s", msg)
		}
		return nil
	}
}
