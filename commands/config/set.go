package config

import (
	"fmt"

	"github.com/respondctl/respondctl/commands/cmdutil"
	"github.com/respondctl/respondctl/config"
	"github.com/spf13/cobra"
)

// SetOptions are the inputs of `config set`.
type SetOptions struct {
	Factory *cmdutil.Factory
	Key     string
	Value   string
}

// NewCmdSet builds `respondctl config set KEY VALUE`.
func NewCmdSet(f *cmdutil.Factory, runF func(*SetOptions) error) *cobra.Command {
	opts := &SetOptions{Factory: f}
	return &cobra.Command{
		Use:   "set KEY VALUE",
		Short: "Change one setting",
		Example: `  respondctl config set me lee@example.com
  respondctl config set default_channel "Support WhatsApp"
  respondctl --profile work config set base_url https://api.respond.io/v2`,
		Args:              cobra.ExactArgs(2),
		ValidArgsFunction: completeKeys,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Key, opts.Value = args[0], args[1]
			if runF != nil {
				return runF(opts)
			}
			return setRun(opts)
		},
	}
}

func setRun(opts *SetOptions) error {
	f := opts.Factory
	cfg, err := f.Config()
	if err != nil {
		return err
	}
	profile := cfg.ActiveProfileName(f.Global.Profile)
	var setErr error
	if err := cfg.Update(func(c *config.Config) error {
		setErr = c.Set(profile, opts.Key, opts.Value)
		return setErr
	}); err != nil {
		if setErr != nil {
			return keyErr(setErr)
		}
		return err
	}
	if opts.Key == "base_url" || opts.Key == "token" {
		_ = config.NewCapabilityCache(cfg.Env(), profile).Clear()
	}
	shown, _ := cfg.Setting(profile, opts.Key)
	if f.WantsStructured() {
		return cmdutil.PrintStructured(f, shown)
	}
	where := "profile " + profile
	if opts.Key == "current_profile" {
		where = cfg.Path()
	}
	fmt.Fprintf(f.IOStreams.ErrOut, "Set %s = %s (%s)\n", opts.Key, shown.Value, where)
	return nil
}
