// Package completion implements `respondctl completion SHELL`.
package completion

import (
	"io"

	"github.com/respondctl/respondctl/commands/cmdutil"
	"github.com/spf13/cobra"
)

// Shells are the shells completion scripts exist for.
var Shells = []string{"bash", "zsh", "fish", "powershell"}

// NewCmdCompletion builds `respondctl completion bash|zsh|fish|powershell`.
func NewCmdCompletion(f *cmdutil.Factory) *cobra.Command {
	return &cobra.Command{
		Use:   "completion bash|zsh|fish|powershell",
		Short: "Print a shell completion script",
		Long: `Print the completion script for a shell. Load it, for example:

  bash:        source <(respondctl completion bash)
  zsh:         respondctl completion zsh > "${fpath[1]}/_respondctl"
  fish:        respondctl completion fish > ~/.config/fish/completions/respondctl.fish
  powershell:  respondctl completion powershell | Out-String | Invoke-Expression`,
		ValidArgs: Shells,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) != 1 {
				return cmdutil.FlagErrorf("need one shell: bash, zsh, fish or powershell")
			}
			return cmdutil.UsageError(cobra.OnlyValidArgs(cmd, args))
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			return Generate(cmd.Root(), args[0], f.IOStreams.Out)
		},
	}
}

// Generate writes the completion script of root for shell to w. The
// completions/ directory's test uses it to keep the committed scripts current.
func Generate(root *cobra.Command, shell string, w io.Writer) error {
	switch shell {
	case "bash":
		return root.GenBashCompletionV2(w, true)
	case "zsh":
		return root.GenZshCompletion(w)
	case "fish":
		return root.GenFishCompletion(w, true)
	case "powershell":
		return root.GenPowerShellCompletionWithDesc(w)
	}
	return cmdutil.FlagErrorf("unsupported shell %q: use bash, zsh, fish or powershell", shell)
}
