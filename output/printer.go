package output

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"time"
)

// Cell is one table cell. A non-zero Time is formatted per TTY rules and
// replaces Text; Color names a ColorScheme colour; Dot renders a coloured
// "●" on colour terminals and the Text word otherwise.
type Cell struct {
	Text  string
	Time  time.Time
	Color string
	Dot   bool
}

// Column is one table column. Wide columns are dropped first when the
// terminal is too narrow; then, while the table cannot fit even with long
// cells cut short, the column with the highest Priority (0: never dropped).
type Column struct {
	Header   string
	Value    func(rec any) Cell
	Wide     bool
	Priority int
}

// Droppable returns c with a drop priority for narrow terminals: higher goes first.
func (c Column) Droppable(priority int) Column {
	c.Priority = priority
	return c
}

// Spec describes how a command's records look in table mode. Human, when
// set, replaces Columns with a custom line layout. Single means the command
// prints one object rather than a list.
type Spec struct {
	Columns  []Column
	Human    func(w io.Writer, rec any, cs *ColorScheme, tf TimeFormatter) error
	Single   bool
	NoHeader bool
}

// RecordPrinter streams records. Close must always be called; it finishes
// the document (e.g. "]" or the buffered table). Count reports how many
// records were written, so callers can print "No X found" on stderr.
type RecordPrinter interface {
	Write(rec any) error
	Close() error
	Count() int
}

// NewPrinter returns the printer for opts (validated here too). Table format
// with neither Columns nor Human falls back to JSON.
func NewPrinter(ios *IOStreams, opts Options, spec Spec) (RecordPrinter, error) {
	if err := opts.Validate(); err != nil {
		return nil, err
	}
	base := &printerBase{single: spec.Single}
	tf := ios.TimeFormatter(opts)
	format := opts.format()
	var p recordWriter
	switch {
	case opts.JQ != "" || opts.Template != "":
		f, err := newFilter(ios, opts, tf)
		if err != nil {
			return nil, err
		}
		p = &filterPrinter{out: ios.liveOut(), filter: f, perRecord: format == FormatJSONL, single: spec.Single}
		if ios.IsStdoutTTY() {
			// --jq and --template print data for a person: no raw controls
			// reach the terminal (a template's own colours do).
			p.(*filterPrinter).out = &SafeWriter{w: ios.liveOut(), allowSGR: opts.Template != ""}
			p.(*filterPrinter).safeDoc = true
		}
	case format == FormatJSONL:
		p = &jsonlPrinter{out: ios.liveOut()}
	case format == FormatYAML:
		p = &yamlPrinter{out: ios.liveOut(), single: spec.Single}
	case format == FormatJSON || (spec.Human == nil && len(spec.Columns) == 0):
		p = &jsonPrinter{out: ios.liveOut(), indent: ios.IsStdoutTTY(), single: spec.Single}
	case spec.Human != nil:
		// The layout paints with our colours; anything else it writes is made visible.
		p = &humanPrinter{out: &SafeWriter{w: ios.liveOut(), allowSGR: true}, human: spec.Human, cs: ios.ColorScheme(), tf: tf}
	case spec.Single:
		p = newKeyValuePrinter(ios, spec, tf)
	case ios.IsStdoutTTY():
		p = newTerminalTablePrinter(ios, spec, tf)
	default:
		p = &tsvPrinter{out: ios.liveOut(), columns: spec.Columns, tf: tf}
	}
	base.w = p
	return base, nil
}

// PrintOne prints a single object (Spec.Single is implied).
func PrintOne(ios *IOStreams, opts Options, spec Spec, rec any) error {
	spec.Single = true
	p, err := NewPrinter(ios, opts, spec)
	if err != nil {
		return err
	}
	if err := p.Write(rec); err != nil {
		return err
	}
	return p.Close()
}

// PrintList prints a whole slice as a list.
func PrintList[T any](ios *IOStreams, opts Options, spec Spec, recs []T) error {
	spec.Single = false
	p, err := NewPrinter(ios, opts, spec)
	if err != nil {
		return err
	}
	for _, r := range recs {
		if err := p.Write(r); err != nil {
			return err
		}
	}
	return p.Close()
}

// Col builds a Column from a typed accessor; records of type T or *T work.
func Col[T any](header string, value func(T) Cell) Column {
	return Column{Header: header, Value: func(rec any) Cell {
		switch r := rec.(type) {
		case T:
			return value(r)
		case *T:
			if r != nil {
				return value(*r)
			}
		}
		return Cell{}
	}}
}

// Text is a plain text cell.
func Text(s string) Cell { return Cell{Text: s} }

// TimeCell is a time cell; nil or zero renders as "".
func TimeCell(t *time.Time) Cell {
	if t == nil {
		return Cell{}
	}
	return Cell{Time: *t}
}

// recordWriter is what each format implements; printerBase adds counting
// and the Single checks.
type recordWriter interface {
	write(rec any) error
	close() error
}

type printerBase struct {
	w      recordWriter
	single bool
	count  int
	closed bool
}

var errClosed = errors.New("output: printer already closed")

func (p *printerBase) Write(rec any) error {
	if p.closed {
		return errClosed
	}
	if p.single && p.count > 0 {
		return errors.New("output: a Single spec takes exactly one record")
	}
	p.count++
	return p.w.write(rec)
}

func (p *printerBase) Close() error {
	if p.closed {
		return nil
	}
	p.closed = true
	return p.w.close()
}

func (p *printerBase) Count() int { return p.count }

// marshalJSON encodes without HTML escaping (scripts want "<" not "\u003c").
// With indent, nested lines get prefix plus two spaces per level.
func marshalJSON(v any, prefix string, indent bool) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if indent {
		enc.SetIndent(prefix, "  ")
	}
	if err := enc.Encode(v); err != nil {
		return nil, fmt.Errorf("encoding %s as JSON: %w", typeName(v), err)
	}
	return escapeStructured(bytes.TrimRight(buf.Bytes(), "\n")), nil
}

func typeName(v any) string {
	if v == nil {
		return "null"
	}
	return reflect.TypeOf(v).String()
}
