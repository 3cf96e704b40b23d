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

func getRun(opts *GetOptions) error {
	f := opts.Factory
	cfg, err := f.Config()
	if err != nil {
		return err
	}
	s, err := cfg.Setting(cfg.ActiveProfileName(f.Global.Profile), opts.Key)
	if err != nil {
		return keyErr(err)
	}
	if f.WantsStructured() {
		return cmdutil.PrintStructured(f, s)
	}
	_, err = fmt.Fprintln(f.IOStreams.Out, s.Value)
	return err
}
