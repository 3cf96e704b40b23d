// Package config implements `respondctl config get|set|list`.
package config

import (
	"errors"
	"strings"

	"github.com/respondctl/respondctl/commands/cmdutil"
	"github.com/respondctl/respondctl/config"
	"github.com/spf13/cobra"
)

// NewCmdConfig groups the configuration commands.
func NewCmdConfig(f *cmdutil.Factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "config <command>",
		Short: "Read and change settings of the current profile",
		Long: `Read and change settings in the configuration file
($XDG_CONFIG_HOME/respondctl/config.yaml, mode 0600).

Keys: ` + strings.Join(config.Keys, ", ") + `
current_profile is file-wide; the others belong to the profile chosen by
--profile, $RESPOND_PROFILE or current_profile. The token is never printed.`,
	}
	cmd.AddCommand(NewCmdGet(f, nil), NewCmdSet(f, nil), NewCmdList(f, nil))
	return cmd
}

func completeKeys(cmd *cobra.Command, args []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
	if len(args) > 0 {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	return config.Keys, cobra.ShellCompDirectiveNoFileComp
}

// keyErr turns a bad key or value into a usage error (exit 2).
func keyErr(err error) error {
	var ke *config.KeyError
	if errors.As(err, &ke) {
		return cmdutil.UsageError(err)
	}
	return err
}
