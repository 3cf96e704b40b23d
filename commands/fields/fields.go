// Package fields implements `respondctl fields list|show|create`: the workspace's custom-field
// definitions (name, data type, list values), which `contacts update --field` is checked against.
package fields

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/respondctl/respondctl/apiclient"
	"github.com/respondctl/respondctl/commands/cmdutil"
	"github.com/respondctl/respondctl/commands/listcmd"
	"github.com/respondctl/respondctl/inbox"
	"github.com/respondctl/respondctl/output"
	"github.com/respondctl/respondctl/suggest"
	"github.com/spf13/cobra"
)

// FieldRow is a custom-field definition as list, show and create print it.
type FieldRow struct {
	ID            int64    `json:"id"`
	Name          string   `json:"name"`
	Slug          string   `json:"slug"`
	DataType      string   `json:"dataType"`
	Description   string   `json:"description"`
	AllowedValues []string `json:"allowedValues"`
}

func rowOf(d apiclient.CustomFieldDef) FieldRow {
	r := FieldRow{ID: d.ID, Name: d.Name, Slug: d.Slug, DataType: d.DataType, AllowedValues: []string(d.AllowedValues)}
	if d.Description != nil {
		r.Description = *d.Description
	}
	if r.AllowedValues == nil {
		r.AllowedValues = []string{}
	}
	return r
}

// NewCmdFields builds the `fields` noun.
func NewCmdFields(f *cmdutil.Factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:     "fields <command>",
		Aliases: []string{"field"},
		Short:   "Custom-field definitions: names, data types, list values",
	}
	cmd.AddCommand(NewCmdList(f, nil), NewCmdShow(f, nil), NewCmdCreate(f, nil))
	return cmd
}

var columns = []output.Column{
	output.Col("id", func(r FieldRow) output.Cell { return output.Text(strconv.FormatInt(r.ID, 10)) }),
	output.Col("name", func(r FieldRow) output.Cell { return output.Text(r.Name) }),
	output.Col("type", func(r FieldRow) output.Cell { return output.Text(r.DataType) }),
	output.Col("values", func(r FieldRow) output.Cell { return output.Text(strings.Join(r.AllowedValues, ", ")) }),
	output.Col("description", func(r FieldRow) output.Cell { return output.Text(r.Description) }),
}

// NewCmdList builds `fields list`.
func NewCmdList(f *cmdutil.Factory, runF func(*listcmd.Options) error) *cobra.Command {
	return listcmd.New(f, "List the workspace's custom fields and their data types", fetch, output.Spec{Columns: columns}, runF)
}

func fetch(ctx context.Context, client *apiclient.Client) ([]FieldRow, error) {
	list, err := inbox.Collect(ctx, client.IterateCustomFields(100))
	if err != nil {
		return nil, err
	}
	rows := make([]FieldRow, len(list))
	for i, d := range list {
		rows[i] = rowOf(d)
	}
	return rows, nil
}

// ShowOptions are the arguments of `fields show`.
type ShowOptions struct {
	Factory *cmdutil.Factory
	Context context.Context
	Field   string
}

// NewCmdShow builds `fields show NAME|ID`.
func NewCmdShow(f *cmdutil.Factory, runF func(*ShowOptions) error) *cobra.Command {
	opts := &ShowOptions{Factory: f}
	cmd := &cobra.Command{
		Use:   "show NAME|ID",
		Short: "Show one custom field",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Context, opts.Field = cmd.Context(), args[0]
			if runF != nil {
				return runF(opts)
			}
			return showRun(opts)
		},
	}
	cmd.ValidArgsFunction = cmdutil.CompleteFieldNames(f)
	return cmd
}

func showRun(opts *ShowOptions) error {
	f := opts.Factory
	ctx := opts.Context
	oo, err := f.OutputOptions()
	if err != nil {
		return err
	}
	client, err := f.APIClient()
	if err != nil {
		return err
	}
	var row FieldRow
	if id, err := strconv.ParseInt(opts.Field, 10, 64); err == nil {
		d, err := client.GetCustomField(ctx, id)
		if apiclient.IsNotFound(err) {
			return cmdutil.NotFoundf("custom field %d not found", id)
		} else if err != nil {
			return err
		}
		row = rowOf(*d)
	} else {
		rows, err := fetch(ctx, client)
		if err != nil {
			return err
		}
		names := make([]string, 0, len(rows))
		found := false
		for _, r := range rows {
			names = append(names, r.Name)
			if strings.EqualFold(r.Name, opts.Field) || strings.EqualFold(r.Slug, opts.Field) {
				row, found = r, true
			}
		}
		if !found {
			msg := fmt.Sprintf("custom field %q not found", opts.Field)
			if close := suggest.Closest(opts.Field, names, 3); len(close) > 0 {
				msg += "; did you mean " + strings.Join(close, ", ") + "?"
			}
			return cmdutil.NotFoundf("%s", msg)
		}
	}
	return output.PrintOne(f.IOStreams, oo, output.Spec{Columns: columns, Single: true}, row)
}

// CreateOptions are the flags of `fields create`.
type CreateOptions struct {
	Factory     *cmdutil.Factory
	Context     context.Context
	Name        string
	Type        string
	Slug        string
	Description string
	Values      []string
}

// NewCmdCreate builds `fields create NAME --type TYPE [--values A,B]`.
func NewCmdCreate(f *cmdutil.Factory, runF func(*CreateOptions) error) *cobra.Command {
	opts := &CreateOptions{Factory: f}
	cmd := &cobra.Command{
		Use:   "create NAME --type TYPE [--values A,B,C] [--slug SLUG] [--description TEXT]",
		Short: "Define a custom field",
		Args:  cobra.ExactArgs(1),
		Example: `  respondctl fields create "Shoe size" --type list --values S,M,L
  respondctl fields create renewal_date --type date`,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Context, opts.Name = cmd.Context(), args[0]
			if err := validateCreate(opts); err != nil {
				return err
			}
			if runF != nil {
				return runF(opts)
			}
			return createRun(opts)
		},
	}
	cmd.Flags().StringVar(&opts.Type, "type", "", "Data `TYPE`: "+strings.Join(apiclient.CustomFieldDataTypes, ", "))
	cmd.Flags().StringSliceVar(&opts.Values, "values", nil, "The `VALUES` of a list field (comma-separated)")
	cmd.Flags().StringVar(&opts.Slug, "slug", "", "`SLUG` (letters, digits, underscores; default from the name)")
	cmd.Flags().StringVar(&opts.Description, "description", "", "Description `TEXT`")
	_ = cmd.RegisterFlagCompletionFunc("type", cobra.FixedCompletions(apiclient.CustomFieldDataTypes, cobra.ShellCompDirectiveNoFileComp))
	return cmd
}

func validateCreate(opts *CreateOptions) error {
	ok := false
	for _, t := range apiclient.CustomFieldDataTypes {
		ok = ok || t == opts.Type
	}
	switch {
	case strings.TrimSpace(opts.Name) == "":
		return cmdutil.FlagErrorf("the field needs a name")
	case len([]rune(opts.Name)) > 50:
		return cmdutil.FlagErrorf("field names are at most 50 characters")
	case opts.Type == "":
		return cmdutil.FlagErrorf("--type is required: %s", strings.Join(apiclient.CustomFieldDataTypes, ", "))
	case !ok:
		return cmdutil.FlagErrorf("invalid --type %q: use %s", opts.Type, strings.Join(apiclient.CustomFieldDataTypes, ", "))
	case opts.Type == "list" && len(opts.Values) == 0:
		return cmdutil.FlagErrorf("a list field needs --values A,B,C")
	case opts.Type != "list" && len(opts.Values) > 0:
		return cmdutil.FlagErrorf("--values goes with --type list")
	}
	return nil
}

func createRun(opts *CreateOptions) error {
	f := opts.Factory
	ctx := opts.Context
	oo, err := f.OutputOptions()
	if err != nil {
		return err
	}
	client, err := f.APIClient()
	if err != nil {
		return err
	}
	d, err := client.CreateCustomField(ctx, apiclient.CreateCustomFieldRequest{Name: opts.Name, Slug: opts.Slug,
		Description: opts.Description, DataType: opts.Type, AllowedValues: opts.Values})
	if err != nil {
		return err
	}
	return output.PrintOne(f.IOStreams, oo, output.Spec{Columns: columns, Single: true}, rowOf(*d))
}
