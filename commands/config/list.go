package config

import (
	"github.com/respondctl/respondctl/commands/cmdutil"
	"github.com/respondctl/respondctl/config"
	"github.com/respondctl/respondctl/output"
	"github.com/spf13/cobra"
)

// ListOptions are the inputs of `config list`.
type ListOptions struct {
	Factory *cmdutil.Factory
}

// NewCmdList builds `respondctl config list`.
func NewCmdList(f *cmdutil.Factory, runF func(*ListOptions) error) *cobra.Command {
	opts := &ListOptions{Factory: f}
	return &cobra.Command{
		Use:   "list",
		Short: "Print every setting of the profile (the token masked)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if runF != nil {
				return runF(opts)
			}
			return listRun(opts)
		},
	}
}

var settingColumns = []output.Column{
	output.Col("KEY", func(s config.Setting) output.Cell { return output.Text(s.Key) }),
	output.Col("VALUE", func(s config.Setting) output.Cell { return output.Text(s.Value) }),
}

func listRun(opts *ListOptions) error {
	f := opts.Factory
	cfg, err := f.Config()
	if err != nil {
		return err
	}
	outOpts, err := f.OutputOptions()
	if err != nil {
		return err
	}
	settings := cfg.List(cfg.ActiveProfileName(f.Global.Profile))
	return output.PrintList(f.IOStreams, outOpts, output.Spec{Columns: settingColumns}, settings)
}
