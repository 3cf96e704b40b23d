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

// MergeOptions holds the arguments and flags of `contacts merge`.
type MergeOptions struct {
	Factory    *cmdutil.Factory
	Context    context.Context
	Keep, Drop string
	Fields     ContactFieldFlags
	DryRun     bool
	Update     actions.ContactUpdate
}

// NewCmdMerge builds `contacts merge KEEP DROP`.
func NewCmdMerge(f *cmdutil.Factory, runF func(*MergeOptions) error) *cobra.Command {
	opts := &MergeOptions{Factory: f}
	cmd := &cobra.Command{
		Use:   "merge KEEP DROP [--email …] [--field NAME=VALUE…]",
		Short: "Merge a duplicate contact into another",
		Long: `Merge DROP into KEEP: DROP's messages, events, tags and channels move to KEEP, the custom
fields KEEP lacks are copied, and DROP is removed. Attribute flags (--email, --field…) set
what KEEP ends up with. Merging a contact with itself is refused. A merge is never retried
once it may have reached the server.`,
		Example: `  respondctl contacts merge 123 456
  respondctl contacts merge jane@example.com +60123456789 --email jane@example.com --dry-run`,
		Args: cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Context, opts.Keep, opts.Drop = cmd.Context(), args[0], args[1]
			ctx := opts.Context
			for _, a := range args {
				if _, err := apiclient.ParseContactIdentifier(a); err != nil {
					return cmdutil.UsageError(err)
				}
			}
			u, err := opts.Fields.update(ctx, f, cmd.Flags())
			if err != nil {
				return err
			}
			opts.Update = u
			if runF != nil {
				return runF(opts)
			}
			return mergeRun(ctx, opts)
		},
	}
	opts.Fields.register(cmd, f, false)
	cmd.Flags().BoolVar(&opts.DryRun, "dry-run", false, "Show what would be merged, change nothing")
	return cmd
}

func mergeRun(ctx context.Context, opts *MergeOptions) error {
	f := opts.Factory
	oo, err := f.OutputOptions()
	if err != nil {
		return err
	}
	client, err := f.APIClient()
	if err != nil {
		return err
	}
	var pair [2]*apiclient.Contact
	for i, raw := range []string{opts.Keep, opts.Drop} {
		id, _ := apiclient.ParseContactIdentifier(raw)
		c, err := client.GetContact(ctx, id)
		if apiclient.IsNotFound(err) {
			return cmdutil.NotFoundf("contact %s not found", id)
		} else if err != nil {
			return err
		}
		pair[i] = c
	}
	keep, drop := pair[0], pair[1]
	if keep.ID == drop.ID {
		return cmdutil.InvalidInput(fmt.Errorf("%s and %s are the same contact (id %d): nothing to merge", opts.Keep, opts.Drop, keep.ID))
	}
	name := func(c *apiclient.Contact) string {
		return fmt.Sprintf("%s (id %d)", contactName(c), c.ID)
	}
	rec := bulkcmd.ResultRecord{Identifier: apiclient.ContactID(keep.ID).String(), ContactID: keep.ID}
	if opts.DryRun {
		rec.Outcome = "would-change"
		rec.Detail = fmt.Sprintf("would merge %s into %s", name(drop), name(keep))
		if d := opts.Update.Diff(actions.DetailsOf(keep)); len(d) > 0 {
			rec.Detail += " and change " + strings.Join(d, "; ")
		}
	} else {
		if _, err := client.MergeContacts(ctx, keep.ID, drop.ID, actions.ContactWriteOf(opts.Update)); err != nil {
			return err
		}
		rec.Outcome, rec.Detail = "done", fmt.Sprintf("merged %s into %s", name(drop), name(keep))
	}
	return bulkcmd.PrintOne(f, oo, rec)
}
