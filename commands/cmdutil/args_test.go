package cmdutil

import (
	"strings"
	"testing"

	"github.com/spf13/cobra"
)

// Too few arguments gets the command's own message; too many says which one is extra.
func TestExactArgs(t *testing.T) {
	cmd := &cobra.Command{Use: "show"}
	check := ExactArgs(1, "a contact identifier is required")
	if err := check(cmd, nil); ExitCode(err) != ExitUsage || err.Error() != "a contact identifier is required" {
		t.Errorf("no argument: %v", err)
	}
	if err := check(cmd, []string{"1"}); err != nil {
		t.Errorf("one argument: %v", err)
	}
	if err := check(cmd, []string{"1", "2"}); ExitCode(err) != ExitUsage || !strings.Contains(err.Error(), `show takes 1 argument, got 2 ("2" is one too many)`) {
		t.Errorf("two arguments: %v", err)
	}
}
