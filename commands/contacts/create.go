package contacts

import (
	"context"
	"fmt"
	"strings"

	"github.com/respondctl/respondctl/actions"
	"github.com/respondctl/respondctl/apiclient"
	"github.com/respondctl/respondctl/commands/bulkcmd"
	"github.com/respondctl/respondctl/commands/cmdutil"
	"github.com/spf13/cobra"
)

// CreateOptions holds the flags of `contacts create`.
type CreateOptions struct {
	Factory *cmdutil.Factory
	Context context.Context
	Fields  ContactFieldFlags
	Tags    []string
	Update  actions.ContactUpdate
}

// NewCmdCreate builds `contacts create --first-name N (--email E | --phone P) …`.
func NewCmdCreate(f *cmdutil.Factory, runF func(*CreateOptions) error) *cobra.Command {
	opts := &CreateOptions{Factory: f}
	cmd := &cobra.Command{
		Use:   "create --first-name NAME (--email ADDR | --phone E164) [--field NAME=VALUE…] [--tag T…] [--lifecycle STAGE]",
		Short: "Create a contact",
		Long: `Create a contact. It is named by its email (or, without one, its phone number); a contact
that already has that email or phone is refused (use contacts upsert to create or update).
Custom fields are checked against the workspace's definitions before anything is created.`,
		Example: `  respondctl contacts create --first-name Jane --last-name Doe --email jane@example.com --field plan=Pro
  respondctl contacts create --first-name Ali --phone +60123456789 --tag vip --lifecycle "New Lead"`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Context = cmd.Context()
			ctx := opts.Context
			if !cmd.Flags().Changed("first-name") {
				return cmdutil.FlagErrorf("--first-name is required")
			}
			if len(opts.Tags) > 0 {
				if err := actions.CheckTags(opts.Tags); err != nil {
					return cmdutil.InvalidInput(err)
				}
			}
			u, err := opts.Fields.update(ctx, f, cmd.Flags())
			if err != nil {
				return err
			}
			if u.Attrs["email"] == nil && u.Attrs["phone"] == nil {
				return cmdutil.FlagErrorf("give --email or --phone: a contact is named by one of them")
			}
			opts.Update = u
			if runF != nil {
				return runF(opts)
			}
			return createRun(ctx, opts)
		},
	}
	opts.Fields.register(cmd, f, true)
	cmd.Flags().StringArrayVar(&opts.Tags, "tag", nil, "Tag the new contact with `TAG` (repeatable)")
	_ = cmd.RegisterFlagCompletionFunc("tag", cmdutil.CompleteTags(f))
	return cmd
}

func createRun(ctx context.Context, opts *CreateOptions) error {
	f := opts.Factory
	oo, err := f.OutputOptions()
	if err != nil {
		return err
	}
	client, err := f.APIClient()
	if err != nil {
		return err
	}
	u := opts.Update
	ident := ""
	if e := u.Attrs["email"]; e != nil {
		ident = "email:" + *e
	} else {
		ident = "phone:" + *u.Attrs["phone"]
	}
	id, err := apiclient.ParseContactIdentifier(ident)
	if err != nil {
		return cmdutil.UsageError(err)
	}
	if err := client.CreateContact(ctx, id, actions.ContactWriteOf(u)); err != nil {
		return err
	}
	c, err := client.GetContact(ctx, id)
	if err != nil {
		return fmt.Errorf("created %s, but reading it back failed: %w", id, err)
	}
	did := []string{fmt.Sprintf("created contact %d (%s)", c.ID, contactName(c))}
	newID := apiclient.ContactID(c.ID)
	if len(opts.Tags) > 0 {
		if err := client.AddTags(ctx, newID, opts.Tags); err != nil {
			return fmt.Errorf("%s, but tagging it failed: %w", did[0], err)
		}
		did = append(did, "tagged "+strings.Join(opts.Tags, ", "))
	}
	if u.Lifecycle != nil && *u.Lifecycle != "" {
		if err := client.SetLifecycle(ctx, newID, u.Lifecycle); err != nil {
			return fmt.Errorf("%s, but setting its lifecycle stage failed: %w", did[0], err)
		}
		did = append(did, "lifecycle stage "+*u.Lifecycle)
	}
	rec := bulkcmd.ResultRecord{Identifier: newID.String(), Outcome: "done", Detail: strings.Join(did, "; "), ContactID: c.ID}
	return bulkcmd.PrintOne(f, oo, rec)
}

// contactName is a contact's first and last name.
func contactName(c *apiclient.Contact) string {
	return strings.TrimSpace(c.FirstName + " " + deref(c.LastName))
}
