package output

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/itchyny/gojq"
)

// docFilter is --jq or --template applied to a JSON-decoded document.
type docFilter interface {
	apply(w io.Writer, doc any) error
}

func newFilter(ios *IOStreams, opts Options, tf TimeFormatter) (docFilter, error) {
	if opts.JQ != "" {
		code, err := compileJQ(opts.JQ)
		if err != nil {
			return nil, err
		}
		return &jqFilter{code: code}, nil
	}
	env := &templateEnv{cs: ios.ColorScheme(), tf: tf, tty: ios.IsStdoutTTY()}
	tmpl, err := parseTemplate(opts.Template, env)
	if err != nil {
		return nil, err
	}
	return &templateFilter{tmpl: tmpl, env: env}, nil
}

// filterPrinter feeds the filter per record (jsonl) or once with the whole
// document (the list is buffered: jq and templates need all of it).
type filterPrinter struct {
	out       io.Writer
	filter    docFilter
	perRecord bool
	single    bool
	items     []any
	safeDoc   bool // make the document's strings safe before the filter sees them
}

func (p *filterPrinter) write(rec any) error {
	doc, err := toJSONDocument(rec)
	if err != nil {
		return err
	}
	if p.safeDoc {
		doc = safeDocument(doc)
	}
	if p.perRecord {
		return p.filter.apply(p.out, doc)
	}
	p.items = append(p.items, doc)
	return nil
}

func (p *filterPrinter) close() error {
	if p.perRecord {
		return nil
	}
	if p.single {
		if len(p.items) == 0 {
			return nil
		}
		return p.filter.apply(p.out, p.items[0])
	}
	items := p.items
	if items == nil {
		items = []any{}
	}
	return p.filter.apply(p.out, items)
}

// toJSONDocument round-trips rec through JSON so filters see exactly the
// fields (and names) scripts see; numbers stay exact as json.Number.
func toJSONDocument(rec any) (any, error) {
	b, err := marshalJSON(rec, "", false)
	if err != nil {
		return nil, err
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var doc any
	if err := dec.Decode(&doc); err != nil {
		return nil, err
	}
	return doc, nil
}

type jqFilter struct{ code *gojq.Code }

// apply prints like jq -r for strings and compact JSON for the rest.
func (f *jqFilter) apply(w io.Writer, doc any) error {
	iter := f.code.Run(doc)
	for {
		v, ok := iter.Next()
		if !ok {
			return nil
		}
		if err, isErr := v.(error); isErr {
			var halt *gojq.HaltError
			if errors.As(err, &halt) && halt.Value() == nil {
				return nil // plain `halt`
			}
			// gojq words error("x") as "error: x": say it once, as jq does.
			return fmt.Errorf("jq: error: %s", strings.TrimPrefix(oneLine(err.Error()), "error: "))
		}
		var line string
		if s, isStr := v.(string); isStr {
			line = s
		} else {
			b, err := gojq.Marshal(v)
			if err != nil {
				return fmt.Errorf("jq: error: %s", oneLine(err.Error()))
			}
			line = string(b)
		}
		if err := writeString(w, line+"\n"); err != nil {
			return err
		}
	}
}

type templateFilter struct {
	tmpl interface {
		Execute(io.Writer, any) error
	}
	env *templateEnv
}

func (f *templateFilter) apply(w io.Writer, doc any) error {
	var buf bytes.Buffer
	f.env.out = &buf
	if err := f.tmpl.Execute(&buf, doc); err != nil {
		return fmt.Errorf("template: %s", oneLine(strings.TrimPrefix(err.Error(), "template: ")))
	}
	f.env.flushTable() // rows left without a tablerender, as gh does
	out := buf.String()
	if _, isList := doc.([]any); !isList && out != "" && !strings.HasSuffix(out, "\n") {
		out += "\n" // per-record and single-object output stays line-oriented
	}
	return writeString(w, out)
}

// safeDocument applies SafeText to every string of a decoded JSON document, so
// a template's colour helpers may still paint while hostile text cannot.
func safeDocument(doc any) any {
	switch v := doc.(type) {
	case string:
		return SafeText(v)
	case []any:
		for i := range v {
			v[i] = safeDocument(v[i])
		}
	case map[string]any:
		for k, x := range v {
			if sk := SafeText(k); sk != k {
				delete(v, k)
				k = sk
			}
			v[k] = safeDocument(x)
		}
	}
	return doc
}
