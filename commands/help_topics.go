package commands

import (
	"fmt"

	"github.com/respondctl/respondctl/commands/cmdutil"
	"github.com/spf13/cobra"
)

const environmentHelp = `Environment variables:
  RESPOND_TOKEN      API token; overrides the profile's token (for CI and cron)
  RESPOND_PROFILE    profile to use instead of current_profile (--profile wins)
  RESPOND_API_BASE   API base URL, e.g. https://api.respond.io/v2 (--api-base wins)
  RESPOND_PAGER      pager for long terminal output ("cat" or "" disables); else PAGER
  NO_COLOR           any value turns colour off
  CLICOLOR_FORCE     non-zero forces colour even when piped
  XDG_CONFIG_HOME    configuration lives in $XDG_CONFIG_HOME/respondctl/config.yaml
                     (default ~/.config/respondctl/config.yaml, mode 0600)
  XDG_STATE_HOME     sandbox database and bulk journals: $XDG_STATE_HOME/respondctl
                     (default ~/.local/state/respondctl)
  XDG_CACHE_HOME     server capability cache: $XDG_CACHE_HOME/respondctl (default ~/.cache/respondctl)

Precedence: flags, then environment, then the profile in the configuration file.
`

// newHelpTopic builds a command that only prints text: `respondctl help NAME`
// and `respondctl NAME` both show it, without usage noise.
func newHelpTopic(name, short, text string) *cobra.Command {
	cmd := &cobra.Command{
		Use:     name,
		Short:   short,
		Long:    text,
		GroupID: groupHelpTopics,
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			_, err := fmt.Fprint(cmd.OutOrStdout(), text)
			return err
		},
	}
	cmd.SetHelpFunc(func(c *cobra.Command, _ []string) {
		fmt.Fprint(c.OutOrStdout(), text)
	})
	return cmd
}

func helpTopics() []*cobra.Command {
	return []*cobra.Command{
		newHelpTopic("exit-codes", "What each exit status means", cmdutil.ExitCodesHelp()),
		newHelpTopic("environment", "Environment variables respondctl reads", environmentHelp),
	}
}
