package templates

import (
	"fmt"
	"io"
	"strings"
	"unicode"

	"github.com/respondctl/respondctl/commands/cmdutil"
	"github.com/respondctl/respondctl/output"
	"github.com/spf13/cobra"
)

// NewCmdShow builds `templates show NAME [--lang CODE]`.
func NewCmdShow(f *cmdutil.Factory, runF func(*Options) error) *cobra.Command {
	opts := &Options{Factory: f}
	cmd := &cobra.Command{
		Use:   "show NAME [--lang CODE] [--channel C]",
		Short: "Show a template: its body with {{n}} placeholders, header, buttons, per language",
		Args:  cobra.ExactArgs(1),
		Example: `  respondctl templates show order_update
  respondctl templates show order_update --lang ms -o json`,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Context, opts.Name = cmd.Context(), args[0]
			if runF != nil {
				return runF(opts)
			}
			return showRun(opts)
		},
	}
	cmd.Flags().StringVar(&opts.Lang, "lang", "", "Only this language `CODE`")
	cmd.Flags().StringVarP(&opts.Channel, "channel", "c", "", "Only this WhatsApp channel (`ID or NAME`)")
	cmd.ValidArgsFunction = cmdutil.CompleteTemplateNames(f)
	_ = cmd.RegisterFlagCompletionFunc("channel", cmdutil.CompleteChannels(f))
	return cmd
}

func showRun(opts *Options) error {
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
	found, err := findTemplate(rows, opts.Name, opts.Lang)
	if err != nil {
		return err
	}
	return output.PrintList(f.IOStreams, oo, output.Spec{Human: human}, found)
}

// clean keeps server text on one terminal line: control characters become spaces.
func clean(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return ' '
		}
		return r
	}, s)
}

func human(w io.Writer, rec any, cs *output.ColorScheme, tf output.TimeFormatter) error {
	r := rec.(TemplateRow)
	fmt.Fprintf(w, "%s (%s) — %s, %s, on %s (template %d)\n", clean(r.Name), clean(r.Language), clean(r.Status), clean(r.Category), clean(r.Channel), r.ID)
	for _, c := range r.Components {
		switch c.Type {
		case "header":
			if c.Format != "" && c.Format != "text" {
				fmt.Fprintf(w, "  header:  [%s] (send its media with --attachment URL)\n", c.Format)
			} else {
				fmt.Fprintf(w, "  header:  %s\n", clean(c.Text))
			}
		case "body":
			fmt.Fprintf(w, "  body:    %s\n", clean(c.Text))
		case "footer":
			fmt.Fprintf(w, "  footer:  %s\n", clean(c.Text))
		case "buttons":
			for _, b := range c.Buttons {
				fmt.Fprintf(w, "  button:  %s\n", clean(b))
			}
		}
	}
	send := fmt.Sprintf("respondctl send IDENT --template %s --lang %s", r.Name, r.Language)
	if kind := r.HeaderMedia; kind != "" {
		if kind == "document" {
			kind = "file"
		}
		send += " --attachment URL --attachment-type " + kind
	}
	for i := 1; i <= r.Params; i++ {
		send += fmt.Sprintf(" --param P%d", i)
	}
	fmt.Fprintf(w, "  params:  %d\n  send:    %s\n\n", r.Params, clean(send))
	return nil
}
