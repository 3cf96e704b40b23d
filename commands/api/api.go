// Package api implements `respondctl api`, the raw escape hatch (like `gh api`).
package api

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strings"

	"github.com/respondctl/respondctl/apiclient"
	"github.com/respondctl/respondctl/commands/cmdutil"
	"github.com/respondctl/respondctl/output"
	"github.com/spf13/cobra"
)

// APIOptions are the inputs of `respondctl api`.
type APIOptions struct {
	Factory     *cmdutil.Factory
	Method      string
	Path        string
	RawFields   []string // -f key=value: strings
	TypedFields []string // -F key=value: numbers, booleans, null, @file
	Headers     []string // -H "Name: value"
	InputFile   string   // --input FILE or -
	Paginate    bool
	Include     bool // -i: print the status line and headers
}

// NewCmdAPI builds `respondctl api METHOD PATH`.
func NewCmdAPI(f *cmdutil.Factory, runF func(*APIOptions) error) *cobra.Command {
	opts := &APIOptions{Factory: f}
	cmd := &cobra.Command{
		Use:   "api METHOD PATH",
		Short: "Make an authenticated request to the platform API",
		Long: `Make an authenticated HTTP request to the API and print the response body.

PATH is relative to the base URL (e.g. /contact/id:1 or /space/user?limit=5).
-f key=value adds a string field and -F key=value a typed one (true, false,
null, numbers, a JSON object or array, @file for a file's contents, @- for
stdin). Fields go into the
query string for GET and HEAD, into a JSON body otherwise (DELETE included, as
the platform's own clients send it). --input sends a file (or - for stdin) as
the body; fields then go into the query string.

--paginate follows pagination.next and prints the items of every page as ONE
JSON array (-o jsonl: one item per line). Any non-2xx response prints its body
on stdout and exits non-zero (see respondctl help exit-codes).`,
		Example: `  respondctl api GET /space/user
  respondctl api GET /space/user --paginate -o jsonl
  respondctl api POST /contact/list --paginate -f search=aisha -F filter=@filter.json
  respondctl api POST /contact/list --paginate -f search= -F 'filter={"$and":[]}' -o jsonl
  respondctl api POST /contact/id:1/comment -f text="called back"
  respondctl api DELETE /space/tag -f name=vip`,
		Args: cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Method, opts.Path = strings.ToUpper(args[0]), args[1]
			if err := opts.validate(); err != nil {
				return err
			}
			if runF != nil {
				return runF(opts)
			}
			return apiRun(cmd.Context(), opts)
		},
	}
	fl := cmd.Flags()
	fl.StringArrayVarP(&opts.RawFields, "raw-field", "f", nil, "add a string field `key=value`")
	fl.StringArrayVarP(&opts.TypedFields, "field", "F", nil, "add a typed field `key=value` (true/false/null/number/@file)")
	fl.StringArrayVarP(&opts.Headers, "header", "H", nil, "add a request header `\"Name: value\"`")
	fl.StringVar(&opts.InputFile, "input", "", "send this `file` as the request body (- for stdin)")
	fl.BoolVar(&opts.Paginate, "paginate", false, "follow pagination.next and print all items as one list")
	fl.BoolVarP(&opts.Include, "include", "i", false, "print the HTTP status and headers before the body (on stderr)")
	return cmd
}

var knownMethods = map[string]bool{"GET": true, "POST": true, "PUT": true, "PATCH": true, "DELETE": true, "HEAD": true, "OPTIONS": true}

func (o *APIOptions) validate() error {
	if !knownMethods[o.Method] {
		return cmdutil.FlagErrorf("unknown HTTP method %q", o.Method)
	}
	if strings.TrimSpace(o.Path) == "" {
		return cmdutil.FlagErrorf("PATH is empty")
	}
	for _, h := range o.Headers {
		name, _, ok := strings.Cut(h, ":")
		if !ok || strings.TrimSpace(name) == "" {
			return cmdutil.FlagErrorf("invalid header %q: want \"Name: value\"", h)
		}
		if strings.EqualFold(strings.TrimSpace(name), "Authorization") {
			return cmdutil.FlagErrorf("-H Authorization is not allowed: the token comes from your profile or RESPOND_TOKEN")
		}
	}
	return nil
}

// request is what apiRun sends (pagination changes only the cursor).
type request struct {
	method string
	path   string
	query  url.Values
	body   []byte
	header http.Header
}

func (o *APIOptions) buildRequest() (*request, error) {
	f := o.Factory
	fields, err := parseFields(o.RawFields, o.TypedFields, f.IOStreams.In)
	if err != nil {
		return nil, err
	}
	r := &request{method: o.Method, path: o.Path, query: url.Values{}, header: http.Header{}}
	for _, h := range o.Headers {
		name, value, _ := strings.Cut(h, ":")
		r.header.Add(strings.TrimSpace(name), strings.TrimSpace(value))
	}
	// DELETE carries a JSON body on the platform (DELETE /space/tag {"name"},
	// DELETE /contact/{id}/tag [...]), as the vendor clients send it.
	fieldsInQuery := o.Method == "GET" || o.Method == "HEAD" || o.InputFile != ""
	switch {
	case o.InputFile != "":
		if r.body, err = readInput(o.InputFile, f.IOStreams.In); err != nil {
			return nil, err
		}
	case !fieldsInQuery && len(fields) > 0:
		obj := map[string]any{}
		for _, fl := range fields {
			obj[fl.key] = fl.value
		}
		if r.body, err = json.Marshal(obj); err != nil {
			return nil, err
		}
	}
	if fieldsInQuery {
		for _, fl := range fields {
			r.query.Add(fl.key, queryString(fl.value))
		}
	}
	return r, nil
}

func readInput(name string, stdin io.Reader) ([]byte, error) {
	if name == "-" {
		return io.ReadAll(stdin)
	}
	b, err := os.ReadFile(name)
	if err != nil {
		return nil, cmdutil.UsageError(fmt.Errorf("--input: %w", err))
	}
	return b, nil
}

func apiRun(ctx context.Context, o *APIOptions) error {
	f := o.Factory
	req, err := o.buildRequest()
	if err != nil {
		return err
	}
	if _, err := f.OutputOptions(); err != nil {
		return err
	}
	client, err := f.APIClient()
	if err != nil {
		return err
	}
	if o.Paginate {
		return paginate(ctx, o, client, req)
	}
	resp, err := send(ctx, client, req, nil)
	if err == nil {
		err = apiclient.CheckJSON(req.method, req.path, resp)
	}
	if resp != nil {
		if o.Include {
			printHead(f, resp)
		}
		if perr := printBody(f, resp.Body, err != nil); perr != nil && err == nil {
			err = perr
		}
	}
	return err
}

func send(ctx context.Context, client *apiclient.Client, r *request, extra url.Values) (*apiclient.RawResponse, error) {
	q := url.Values{}
	for k, vs := range r.query {
		q[k] = append([]string(nil), vs...)
	}
	for k, vs := range extra {
		q[k] = vs
	}
	var body io.Reader
	if r.body != nil {
		body = bytes.NewReader(r.body)
	}
	return client.DoRequest(ctx, apiclient.RawRequest{Method: r.method, Path: r.path, Query: q, Body: body, Header: r.header})
}

func printHead(f *cmdutil.Factory, resp *apiclient.RawResponse) {
	fmt.Fprintf(f.IOStreams.ErrOut, "HTTP %d %s\n", resp.Status, http.StatusText(resp.Status))
	for _, k := range slices.Sorted(maps.Keys(resp.Header)) {
		for _, v := range resp.Header[k] {
			fmt.Fprintf(f.IOStreams.ErrOut, "%s: %s\n", output.SafeLine(k), output.SafeLine(v))
		}
	}
	fmt.Fprintln(f.IOStreams.ErrOut)
}

// isAPIError reports an HTTP-level failure (its body was already printed).
func isAPIError(err error) bool {
	var ae *apiclient.APIError
	return errors.As(err, &ae)
}
