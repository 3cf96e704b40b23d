// Package sandbox holds `respondctl sandbox …`: running the local platform
// emulator. The emulator itself lives in the top-level sandbox package.
package sandbox

import (
	"github.com/respondctl/respondctl/commands/cmdutil"
	"github.com/spf13/cobra"
)

// NewCmdSandbox is the parent "sandbox" command.
func NewCmdSandbox(f *cmdutil.Factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "sandbox <command>",
		Short: "Run a local emulator of the platform API",
		Long: `The sandbox is a stateful local emulator of the platform API (core and extensions):
contacts, conversations, delivery simulation, messaging windows, events, rate limits
and fault injection, backed by SQLite. Point respondctl at it with --sandbox, or at
its URL and token from any HTTP client.`,
	}
	cmd.AddCommand(NewCmdServe(f, nil))
	return cmd
}
