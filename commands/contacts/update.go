package contacts

import (
	"context"
	"strings"

	"github.com/respondctl/respondctl/actions"
	"github.com/respondctl/respondctl/commands/bulkcmd"
	"github.com/respondctl/respondctl/commands/cmdutil"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// attrFlags maps the attribute flags of update and create to the contract's names.
var attrFlags = []struct{ flag, attr, help string }{
	{"first-name", "firstName", "First name"},
	{"last-name", "lastName", "Last name (\"\" clears it)"},
	{"email", "email", "Email address (\"\" clears it)"},
	{"phone", "phone", "Phone number in E.164, e.g. +60123456789 (\"\" clears it)"},
	{"language", "language", "Language code, e.g. en (\"\" clears it)"},
	{"country", "countryCode", "Country code, e.g. MY (\"\" clears it)"},
	{"profile-pic", "profilePic", "Profile picture URL (\"\" clears it)"},
}

// ContactFieldFlags are the attribute and custom-field flags of update and create.
type ContactFieldFlags struct {
	attrs     map[string]*string
	Fields    []string // --field name=value
	Lifecycle string
}

func (c *ContactFieldFlags) register(cmd *cobra.Command, f *cmdutil.Factory, withLifecycle bool) {
	c.attrs = map[string]*string{}
	for _, a := range attrFlags {
		c.attrs[a.flag] = cmd.Flags().String(a.flag, "", a.help)
	}
	cmd.Flags().StringArrayVar(&c.Fields, "field", nil, "Set custom field `NAME=VALUE` (repeatable; NAME= clears it)")
	_ = cmd.RegisterFlagCompletionFunc("field", cmdutil.CompleteFieldAssignments(f))
	if withLifecycle {
		cmd.Flags().StringVar(&c.Lifecycle, "lifecycle", "", "Lifecycle `STAGE` (\"\" clears it)")
		_ = cmd.RegisterFlagCompletionFunc("lifecycle", cmdutil.CompleteLifecycleStages(f))
	}
}

// update builds the change from the flags that were given, checking every custom field
// against the workspace's definitions (unknown field, wrong type) before anything changes.
func (c *ContactFieldFlags) update(ctx context.Context, f *cmdutil.Factory, flags *pflag.FlagSet) (actions.ContactUpdate, error) {
	u := actions.ContactUpdate{Attrs: map[string]*string{}, Fields: map[string]any{}}
	for _, a := range attrFlags {
		if !flags.Changed(a.flag) {
			continue
		}
		v := strings.TrimSpace(*c.attrs[a.flag])
		if v == "" {
			if a.attr == "firstName" {
				return u, cmdutil.FlagErrorf("--first-name cannot be empty")
			}
			u.Attrs[a.attr] = nil
			continue
		}
		u.Attrs[a.attr] = &v
	}
	if flags.Changed("lifecycle") {
		v := strings.TrimSpace(c.Lifecycle)
		u.Lifecycle = &v
	}
	if len(c.Fields) > 0 {
		schema, err := fieldSchema(ctx, f)
		if err != nil {
			return u, err
		}
		for _, kv := range c.Fields {
			name, value, ok := strings.Cut(kv, "=")
			if !ok || strings.TrimSpace(name) == "" {
				return u, cmdutil.FlagErrorf("--field %q: use NAME=VALUE", kv)
			}
			canon, v, err := schema.Parse(strings.TrimSpace(name), value)
			if err != nil {
				return u, cmdutil.InvalidInput(err)
			}
			u.Fields[canon] = v
		}
	}
	return u, nil
}

// UpdateOptions holds the flags of `contacts update`.
type UpdateOptions struct {
	Factory *cmdutil.Factory
	Context context.Context
	Idents  []string
	Fields  ContactFieldFlags
	Bulk    bulkcmd.Flags
	// Update is the change, built from the flags before running.
	Update actions.ContactUpdate
}

// NewCmdUpdate builds `contacts update IDENT… --field name=value --email … --lifecycle …`.
func NewCmdUpdate(f *cmdutil.Factory, runF func(*UpdateOptions) error) *cobra.Command {
	opts := &UpdateOptions{Factory: f}
	cmd := &cobra.Command{
		Use:   "update [IDENT…] [--field NAME=VALUE…] [--email ADDR] [--phone E164] [--lifecycle STAGE] …",
		Short: "Change contacts' details: standard fields, custom fields, lifecycle stage",
		Long: `Change the details of one contact or many.

Custom fields are checked against the workspace's definitions before anything changes: an
unknown field or a value of the wrong type (a number field given "lots", a date that is not
YYYY-MM-DD, a list value that is not one of the list) is refused. An empty value clears a
field (--email "", --field plan=). Contacts come from arguments, --input FILE, stdin or
--view NAME; runs over several contacts are journaled (--resume). --dry-run shows the diff
per contact.`,
		Example: `  respondctl contacts update 123 --email jane@example.com --field plan=Pro
  respondctl contacts update 123 --field loyalty_points=250 --lifecycle Customer
  respondctl contacts update --view "Hot leads" --field newsletter_opt_in=true --dry-run`,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Context = cmd.Context()
			opts.Idents = args
			if opts.Bulk.Resume != "" {
				if len(args) > 0 || opts.Bulk.UsesTargets(nil) || cmd.Flags().NFlag() > 1 {
					return cmdutil.FlagErrorf("--resume takes the contacts and the change from the journal: drop the other arguments")
				}
			} else {
				ctx := opts.Context
				u, err := opts.Fields.update(ctx, f, cmd.Flags())
				if err != nil {
					return err
				}
				if u.Empty() {
					return cmdutil.FlagErrorf("nothing to change: give --field NAME=VALUE, --email, --phone, --lifecycle…")
				}
				opts.Update = u
			}
			if runF != nil {
				return runF(opts)
			}
			return detailsRun(opts.Context, f, &opts.Bulk, opts.Idents, actions.Spec{Verb: actions.VerbUpdate, Update: &opts.Update})
		},
	}
	opts.Fields.register(cmd, f, true)
	opts.Bulk.Register(cmd)
	return cmd
}
