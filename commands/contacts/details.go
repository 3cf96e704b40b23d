package contacts

import (
	"context"

	"github.com/respondctl/respondctl/actions"
	"github.com/respondctl/respondctl/apiclient"
	"github.com/respondctl/respondctl/commands/bulkcmd"
	"github.com/respondctl/respondctl/commands/cmdutil"
)

// splitIdents splits leading contact identifiers from what follows them (tags, a stage).
func splitIdents(args []string) (idents, rest []string) {
	i := 0
	for i < len(args) {
		if _, err := apiclient.ParseContactIdentifier(args[i]); err != nil {
			break
		}
		i++
	}
	return args[:i], args[i:]
}

// detailsRun runs a contact-detail verb through the journaled bulk engine: arguments,
// --input files, stdin or --view name the contacts; --resume finishes an earlier run.
func detailsRun(ctx context.Context, f *cmdutil.Factory, bulk *bulkcmd.Flags, idents []string, spec actions.Spec) error {
	bulk.Noun = "contacts"
	p, err := bulkcmd.NewPlatform(f)
	if err != nil {
		return err
	}
	if bulk.Resume != "" {
		return bulkcmd.Resume(ctx, f, p, spec.Verb, bulk)
	}
	return bulkcmd.Run(ctx, bulkcmd.Request{
		Factory: f, Platform: p, Args: idents, Flags: bulk, Command: "respondctl contacts " + spec.Verb, Spec: spec,
	})
}

// fieldSchema reads the workspace's custom-field definitions.
func fieldSchema(ctx context.Context, f *cmdutil.Factory) (*actions.FieldSchema, error) {
	c, err := f.APIClient()
	if err != nil {
		return nil, err
	}
	var defs []apiclient.CustomFieldDef
	it := c.IterateCustomFields(100)
	for it.Next(ctx) {
		defs = append(defs, it.Item())
	}
	if err := it.Err(); err != nil {
		return nil, err
	}
	return actions.NewFieldSchema(defs), nil
}
