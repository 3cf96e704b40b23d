// Package auth implements `respondctl auth login|status|logout`.
package auth

import (
	"github.com/respondctl/respondctl/commands/cmdutil"
	"github.com/spf13/cobra"
)

// NewCmdAuth groups the authentication commands.
func NewCmdAuth(f *cmdutil.Factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "auth <command>",
		Short: "Log in to a workspace, check or remove credentials",
	}
	cmd.AddCommand(NewCmdLogin(f, nil), NewCmdStatus(f, nil), NewCmdLogout(f, nil))
	return cmd
}
