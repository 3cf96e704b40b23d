package templates

import (
	"strconv"
	"strings"

	"github.com/respondctl/respondctl/commands/cmdutil"
	"github.com/respondctl/respondctl/output"
	"github.com/spf13/cobra"
)

// NewCmdList builds `templates list [--channel C] [--status approved]`.
func NewCmdList(f *cmdutil.Factory, runF func(*Options) error) *cobra.Command {
	opts := &Options{Factory: f}
	cmd := &cobra.Command{
		Use:   "list [--channel C] [--status approved|pending|rejected]",
		Short: "List WhatsApp templates with their languages, status and parameter counts",
		Args:  cobra.NoArgs,
		Example: `  respondctl templates list
  respondctl templates list --status approved
  respondctl templates list --channel "Support WhatsApp" -o json`,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Context = cmd.Context()
			if runF != nil {
				return runF(opts)
			}
			return listRun(opts)
		},
	}
	cmd.Flags().StringVarP(&opts.Channel, "channel", "c", "", "Only this WhatsApp channel (`ID or NAME`)")
	cmd.Flags().StringVar(&opts.Status, "status", "", "Only templates with this `STATUS` (approved, pending, rejected…)")
	_ = cmd.RegisterFlagCompletionFunc("channel", cmdutil.CompleteChannels(f))
	_ = cmd.RegisterFlagCompletionFunc("status", cobra.FixedCompletions([]string{"approved", "pending", "rejected", "paused", "disabled"}, cobra.ShellCompDirectiveNoFileComp))
	return cmd
}

var listColumns = []output.Column{
	output.Col("name", func(r TemplateRow) output.Cell { return output.Text(r.Name) }),
	output.Col("language", func(r TemplateRow) output.Cell { return output.Text(r.Language) }),
	output.Col("status", func(r TemplateRow) output.Cell {
		c := output.Text(r.Status)
		switch r.Status {
		case "approved":
			c.Color = "green"
		case "rejected", "disabled":
			c.Color = "red"
		default:
			c.Color = "yellow"
		}
		return c
	}),
	output.Col("category", func(r TemplateRow) output.Cell { return output.Text(r.Category) }),
	output.Col("params", func(r TemplateRow) output.Cell { return output.Text(strconv.Itoa(r.Params)) }),
	output.Col("header", func(r TemplateRow) output.Cell { return output.Text(r.HeaderMedia) }),
	output.Col("channel", func(r TemplateRow) output.Cell { return output.Text(r.Channel) }),
}

func listRun(opts *Options) error {
	f := opts.Factory
	ctx := opts.Context
	oo, err := f.OutputOptions()
	if err != nil {
		return err
	}
	rows, err := fetch(ctx, f, opts.Channel)
	if err != nil {
		return err
	}
	if opts.Status != "" {
		kept := rows[:0]
		for _, r := range rows {
			if strings.EqualFold(r.Status, opts.Status) {
				kept = append(kept, r)
			}
		}
		rows = kept
	}
	return output.PrintList(f.IOStreams, oo, output.Spec{Columns: listColumns}, rows)
}
