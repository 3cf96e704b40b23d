package contacts

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/respondctl/respondctl/actions"
	"github.com/respondctl/respondctl/bulk"
	"github.com/respondctl/respondctl/commands/bulkcmd"
	"github.com/respondctl/respondctl/commands/cmdutil"
	"github.com/spf13/cobra"
)

// UpsertOptions holds the flags of `contacts upsert`.
type UpsertOptions struct {
	Factory *cmdutil.Factory
	Context context.Context
	Input   string
	Key     string
	Bulk    bulkcmd.Flags
}

// NewCmdUpsert builds `contacts upsert --input FILE.csv --key email|phone`.
func NewCmdUpsert(f *cmdutil.Factory, runF func(*UpsertOptions) error) *cobra.Command {
	opts := &UpsertOptions{Factory: f}
	cmd := &cobra.Command{
		Use:   "upsert --input FILE.csv [--key email|phone] [--dry-run]",
		Short: "Create or update contacts from a CSV file (CRM sync)",
		Long: `Create or update one contact per CSV row, matched by email or phone (--key).

The header names the columns: firstName (or first_name, "first name"), lastName, email,
phone, language, countryCode (or country), profilePic and lifecycle map to the contact's
fields; every other column is a custom field, checked against the workspace's definitions
(an unknown column is refused before anything changes). Empty cells leave a field as it is.

Rows that cannot be sent (no key, a value of the wrong type, the wrong number of cells) are
reported by line number and skipped; the rest are applied, and the run exits 3. --dry-run
shows per contact whether it would be created or the diff of what would change. The run is
journaled: after a crash or kill, --resume finishes it without creating anyone twice
(create-or-update is idempotent).`,
		Example: `  respondctl contacts upsert --input crm.csv --key email --dry-run
  respondctl contacts upsert --input crm.csv --key email
  respondctl contacts upsert --resume ~/.local/state/respondctl/journals/upsert-20250101T120000Z.jsonl`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Context = cmd.Context()
			if opts.Bulk.Resume != "" {
				if opts.Input != "" {
					return cmdutil.FlagErrorf("--resume takes the rows from the journal: drop --input")
				}
			} else {
				if opts.Input == "" {
					return cmdutil.FlagErrorf("--input FILE.csv is required")
				}
				if opts.Key != "email" && opts.Key != "phone" {
					return cmdutil.FlagErrorf("invalid --key %q: use email or phone", opts.Key)
				}
			}
			if runF != nil {
				return runF(opts)
			}
			return upsertRun(opts)
		},
	}
	cmd.Flags().StringVarP(&opts.Input, "input", "i", "", "The CSV `FILE` (\"-\" for stdin)")
	cmd.Flags().StringVar(&opts.Key, "key", "email", "Match contacts by `email or phone`")
	cmd.Flags().BoolVar(&opts.Bulk.DryRun, "dry-run", false, "Show per contact what would be created or changed, change nothing")
	cmd.Flags().StringVar(&opts.Bulk.Journal, "journal", "", "Journal outcomes to `PATH`")
	cmd.Flags().StringVar(&opts.Bulk.Resume, "resume", "", "Finish the run recorded in journal `PATH`")
	cmd.Flags().IntVar(&opts.Bulk.Workers, "workers", 0, "Concurrent requests (default 8; the API rate limit sets the pace)")
	_ = cmd.RegisterFlagCompletionFunc("key", cobra.FixedCompletions([]string{"email", "phone"}, cobra.ShellCompDirectiveNoFileComp))
	return cmd
}

// standardColumns maps header spellings to the contract's attribute names.
var standardColumns = map[string]string{
	"firstname": "firstName", "first_name": "firstName", "first name": "firstName",
	"lastname": "lastName", "last_name": "lastName", "last name": "lastName",
	"email": "email", "phone": "phone", "language": "language",
	"countrycode": "countryCode", "country_code": "countryCode", "country": "countryCode",
	"profilepic": "profilePic", "profile_pic": "profilePic",
	"lifecycle": actions.UpsertLifecycle,
}

// RowError is one CSV row that is skipped.
type RowError struct {
	Line int
	Err  string
}

func (e RowError) String() string { return fmt.Sprintf("line %d: %s", e.Line, e.Err) }

// column is what one CSV column sets.
type column struct {
	header string
	param  string // target parameter key: a.<attr>, f.<field>, lifecycle
	field  string // custom field name ("" for attributes)
}

// ReadUpsertRows reads the CSV into one target per key, checking every value against the
// schema. Bad rows are returned as RowErrors (the others still run); a bad header is an error.
func ReadUpsertRows(r io.Reader, key string, schema *actions.FieldSchema) ([]bulk.Target, []RowError, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = false
	header, err := cr.Read()
	if err == io.EOF {
		return nil, nil, errors.New("the CSV file is empty")
	}
	if err != nil {
		return nil, nil, fmt.Errorf("CSV header: %w", err)
	}
	cols := make([]column, len(header))
	keyCol := -1
	for i, h := range header {
		name := strings.TrimSpace(strings.TrimPrefix(h, "\ufeff"))
		if attr, ok := standardColumns[strings.ToLower(name)]; ok {
			cols[i] = column{header: name, param: actions.UpsertAttrPrefix + attr}
			if attr == actions.UpsertLifecycle {
				cols[i].param = actions.UpsertLifecycle
			}
			if attr == key {
				keyCol = i
			}
			continue
		}
		d, err := schema.Lookup(name)
		if err != nil {
			return nil, nil, fmt.Errorf("CSV column %q: %w", name, err)
		}
		cols[i] = column{header: name, param: actions.UpsertFieldPrefix + d.Name, field: d.Name}
	}
	if keyCol < 0 {
		return nil, nil, fmt.Errorf("the CSV has no %s column (the --key)", key)
	}
	var targets []bulk.Target
	var bad []RowError
	index := map[string]int{}
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		line, _ := cr.FieldPos(0)
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				bad = append(bad, RowError{Line: pe.StartLine, Err: pe.Err.Error()})
				continue
			}
			return nil, nil, err
		}
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue // blank line
		}
		if len(rec) != len(header) {
			bad = append(bad, RowError{Line: line, Err: fmt.Sprintf("%d cells, the header has %d", len(rec), len(header))})
			continue
		}
		t, err := upsertTarget(rec, cols, keyCol, key, schema)
		if err != nil {
			bad = append(bad, RowError{Line: line, Err: err.Error()})
			continue
		}
		if i, dup := index[t.ID]; dup {
			for k, v := range t.Params { // a later row for the same contact adds to it
				targets[i].Params[k] = v
			}
			continue
		}
		index[t.ID] = len(targets)
		targets = append(targets, t)
	}
	return targets, bad, nil
}

func upsertTarget(rec []string, cols []column, keyCol int, key string, schema *actions.FieldSchema) (bulk.Target, error) {
	keyVal := strings.TrimSpace(rec[keyCol])
	if keyVal == "" {
		return bulk.Target{}, fmt.Errorf("no %s (the key)", key)
	}
	id, err := normalizeAs(key, keyVal)
	if err != nil {
		return bulk.Target{}, err
	}
	t := bulk.Target{ID: id, Params: map[string]string{}}
	for i, c := range cols {
		v := strings.TrimSpace(rec[i])
		if v == "" {
			continue
		}
		if c.field == "" {
			if c.param == actions.UpsertAttrPrefix+"email" || c.param == actions.UpsertAttrPrefix+"phone" {
				kind := strings.TrimPrefix(c.param, actions.UpsertAttrPrefix)
				n, err := normalizeAs(kind, v)
				if err != nil {
					return bulk.Target{}, err
				}
				v = strings.TrimPrefix(n, kind+":")
			}
			t.Params[c.param] = v
			continue
		}
		_, val, err := schema.Parse(c.field, v)
		if err != nil {
			return bulk.Target{}, err
		}
		b, _ := json.Marshal(val)
		t.Params[c.param] = string(b)
	}
	return t, nil
}

// normalizeAs spells v as an identifier of the given kind ("email:…" or "phone:…"); a value
// that is not one, or reads as another kind, is an error.
func normalizeAs(kind, v string) (string, error) {
	id, err := bulkcmd.Normalize(kind + ":" + v)
	if err != nil || !strings.HasPrefix(id, kind+":") {
		return "", fmt.Errorf("%s %q is not valid", kind, v)
	}
	return id, nil
}

func upsertRun(opts *UpsertOptions) error {
	f := opts.Factory
	ctx := opts.Context
	opts.Bulk.Noun = "contacts"
	p, err := bulkcmd.NewPlatform(f)
	if err != nil {
		return err
	}
	if opts.Bulk.Resume != "" {
		return bulkcmd.Resume(ctx, f, p, actions.VerbUpsert, &opts.Bulk)
	}
	schema, err := fieldSchema(ctx, f)
	if err != nil {
		return err
	}
	var in io.Reader = f.IOStreams.In
	if opts.Input != "-" {
		fh, err := os.Open(opts.Input)
		if err != nil {
			return cmdutil.UsageError(fmt.Errorf("--input: %w", err))
		}
		defer fh.Close()
		in = fh
	}
	targets, bad, err := ReadUpsertRows(in, opts.Key, schema)
	if err != nil {
		return cmdutil.InvalidInput(fmt.Errorf("%s: %w", opts.Input, err))
	}
	for _, b := range bad {
		fmt.Fprintf(f.IOStreams.ErrOut, "skipped %s\n", b)
	}
	if len(bad) > 0 {
		fmt.Fprintf(f.IOStreams.ErrOut, "%d row(s) skipped; %d contact(s) to create or update\n", len(bad), len(targets))
	}
	if targets == nil {
		targets = []bulk.Target{}
	}
	err = bulkcmd.Run(ctx, bulkcmd.Request{
		Factory: f, Platform: p, Flags: &opts.Bulk, Command: "respondctl contacts upsert --input " + opts.Input,
		Spec: actions.Spec{Verb: actions.VerbUpsert}, Targets: targets,
	})
	if err == nil && len(bad) > 0 {
		return cmdutil.PartialError(fmt.Sprintf("%d row(s) of %s skipped (see above)", len(bad), opts.Input))
	}
	return err
}
