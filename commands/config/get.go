package config

import (
	"fmt"

	"github.com/respondctl/respondctl/commands/cmdutil"
	"github.com/spf13/cobra"
)

// GetOptions are the inputs of `config get`.
type GetOptions struct {
	Factory *cmdutil.Factory
	Key     string
}

// NewCmdGet builds `respondctl config get KEY`.
func NewCmdGet(f *cmdutil.Factory, runF func(*GetOptions) error) *cobra.Command {
	opts := &GetOptions{Factory: f}
	return &cobra.Command{
		Use:               "get KEY",
		Short:             "Print one setting (the token masked)",
		Args:              cobra.ExactArgs(1),
		ValidArgsFunction: completeKeys,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Key = args[0]
			if runF != nil {
				return runF(opts)
			}
			return getRun(opts)
		},
	}
}

type settingValue struct {
	Profile string `json:"profile,omitempty"`
	Key     string `json:"key"`
	Value   string `json:"value"`
}

func getRun(opts *GetOptions) error {
	f := opts.Factory
	cfg, err := f.Config()
	if err != nil {
		return err
	}
	profile := cfg.ActiveProfileName(f.Global.Profile)
	v, err := cfg.Get(profile, opts.Key)
	if err != nil {
		return keyErr(err)
	}
	if f.WantsStructured() {
		rec := settingValue{Profile: profile, Key: opts.Key, Value: v}
		if opts.Key == "current_profile" {
			rec.Profile = ""
		}
		return cmdutil.PrintStructured(f, rec)
	}
	_, err = fmt.Fprintln(f.IOStreams.Out, v)
	return err
}
