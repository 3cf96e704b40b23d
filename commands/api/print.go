package api

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"

	"github.com/respondctl/respondctl/apiclient"
	"github.com/respondctl/respondctl/commands/cmdutil"
	"github.com/respondctl/respondctl/output"
)

// printBody prints a response body: through the output model when it is JSON
// and -o/--jq/--template ask for it, pretty on a terminal, as-is otherwise.
// failed bodies are printed as-is so nothing hides the server's words.
func printBody(f *cmdutil.Factory, body []byte, failed bool) error {
	ios := f.IOStreams
	trimmed := bytes.TrimSpace(body)
	if len(trimmed) == 0 {
		return nil
	}
	var doc any
	isJSON := json.Unmarshal(trimmed, &doc) == nil
	if isJSON && !failed && f.WantsStructured() {
		opts, err := f.OutputOptions()
		if err != nil {
			return err
		}
		return output.PrintOne(ios, opts, output.Spec{}, doc)
	}
	if isJSON && ios.IsStdoutTTY() {
		var buf bytes.Buffer
		if json.Indent(&buf, trimmed, "", "  ") == nil {
			trimmed = buf.Bytes()
		}
	}
	switch {
	case isJSON:
		// Same data, but C1 and bidi controls as \uXXXX (C0 is escaped already).
		trimmed = output.EscapeStructured(trimmed)
	case ios.IsStdoutTTY():
		// Not JSON (an HTML error page): shown to a person, so made safe.
		trimmed = []byte(output.SafeText(string(trimmed)))
	}
	_, err := fmt.Fprintf(ios.Out, "%s\n", trimmed)
	return err
}

// page is the shape of every list response.
type page struct {
	Items      []json.RawMessage `json:"items"`
	Pagination struct {
		Next *string `json:"next"`
	} `json:"pagination"`
}

// paginate streams the items of every page into one printer, so -o json is
// one array (never one array per page) and -o jsonl one item per line.
func paginate(ctx context.Context, o *APIOptions, client *apiclient.Client, req *request) error {
	f := o.Factory
	opts, err := f.OutputOptions()
	if err != nil {
		return err
	}
	if opts.Format == output.FormatTable {
		opts.Format = output.FormatJSON // raw items have no columns
	}
	printer, err := output.NewPrinter(f.IOStreams, opts, output.Spec{})
	if err != nil {
		return err
	}
	var extra map[string][]string
	// cursors requested and the first item of every page: a cycling server
	// is stopped before any item is printed twice.
	cursors := map[int64]bool{0: true}
	firsts := map[string]bool{}
	pages := 0
	// fail ends the run: pages already printed stay valid JSON (the array is
	// closed), but a failure on the first page prints no misleading "[]".
	fail := func(err error) error {
		if pages > 0 {
			_ = printer.Close()
		}
		return err
	}
	for {
		resp, err := send(ctx, client, req, extra)
		if err == nil {
			err = apiclient.CheckJSON(req.method, req.path, resp)
		}
		if err != nil {
			err = fail(err)
			if resp != nil && isAPIError(err) {
				_ = printBody(f, resp.Body, true)
			}
			return err
		}
		if o.Include {
			printHead(f, resp)
		}
		var p page
		if err := json.Unmarshal(resp.Body, &p); err != nil || p.Items == nil {
			return fail(fmt.Errorf("--paginate: the response of %s %s is not a page ({\"items\": [...], \"pagination\": {...}})", req.method, req.path))
		}
		if len(p.Items) > 0 {
			first := string(bytes.TrimSpace(p.Items[0]))
			if firsts[first] {
				return fail(&apiclient.PaginationError{Pages: pages + 1,
					Reason: fmt.Sprintf("page %d starts with an item already printed", pages+1)})
			}
			firsts[first] = true
		}
		next := ""
		if p.Pagination.Next != nil {
			next = *p.Pagination.Next
		}
		// Judge the next link before printing: a page that points back into
		// the listing ends it before its items could repeat.
		cursor, done, nerr := apiclient.NextCursor(next, cursors)
		if nerr != nil {
			var pe *apiclient.PaginationError
			if errors.As(nerr, &pe) {
				pe.Pages = pages + 1
			}
			return fail(nerr)
		}
		pages++
		for _, it := range p.Items {
			if err := printer.Write(it); err != nil {
				return err
			}
		}
		if done {
			break
		}
		cursors[cursor] = true
		extra = map[string][]string{"cursorId": {strconv.FormatInt(cursor, 10)}}
	}
	return printer.Close()
}
