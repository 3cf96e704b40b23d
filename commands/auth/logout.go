package auth

import (
	"fmt"

	"github.com/respondctl/respondctl/commands/cmdutil"
	"github.com/respondctl/respondctl/config"
	"github.com/spf13/cobra"
)

// LogoutOptions are the inputs of `auth logout`.
type LogoutOptions struct {
	Factory *cmdutil.Factory
}

// NewCmdLogout builds `respondctl auth logout`.
func NewCmdLogout(f *cmdutil.Factory, runF func(*LogoutOptions) error) *cobra.Command {
	opts := &LogoutOptions{Factory: f}
	return &cobra.Command{
		Use:   "logout",
		Short: "Remove the saved token from the profile",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if runF != nil {
				return runF(opts)
			}
			return logoutRun(opts)
		},
	}
}

type logoutResult struct {
	Profile string `json:"profile"`
	Removed bool   `json:"removed"`
}

func logoutRun(opts *LogoutOptions) error {
	f := opts.Factory
	cfg, err := f.Config()
	if err != nil {
		return err
	}
	name := cfg.ActiveProfileName(f.Global.Profile)
	res := logoutResult{Profile: name}
	if p := cfg.Profile(name); p != nil && p.Token != "" {
		if err := cfg.Update(func(c *config.Config) error {
			if p := c.Profile(name); p != nil {
				p.Token = ""
			}
			return nil
		}); err != nil {
			return err
		}
		res.Removed = true
	}
	if f.WantsStructured() {
		return cmdutil.PrintStructured(f, res)
	}
	if res.Removed {
		fmt.Fprintf(f.IOStreams.ErrOut, "Removed the token of profile %s from %s\n", name, cfg.Path())
	} else {
		fmt.Fprintf(f.IOStreams.ErrOut, "Profile %s has no saved token\n", name)
	}
	if v, _ := cfg.Env()(config.EnvToken); v != "" {
		fmt.Fprintf(f.IOStreams.ErrOut, "Note: %s is still set in the environment.\n", config.EnvToken)
	}
	return nil
}
