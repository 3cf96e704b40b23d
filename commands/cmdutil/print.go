package cmdutil

import "github.com/respondctl/respondctl/output"

// WantsStructured reports whether -o json|jsonl|yaml, --jq or --template was
// given: commands with a custom human layout print their record instead.
func (f *Factory) WantsStructured() bool {
	g := f.Global
	return output.Options{Format: output.Format(g.Output), JQ: g.JQ, Template: g.Template}.Structured()
}

// PrintStructured prints one record with the global output options; in table
// mode (no Spec) it falls back to JSON.
func PrintStructured(f *Factory, rec any) error {
	opts, err := f.OutputOptions()
	if err != nil {
		return err
	}
	return output.PrintOne(f.IOStreams, opts, output.Spec{}, rec)
}
