package bulk

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
)

// InputOptions says how to read identifiers.
type InputOptions struct {
	// Column names the CSV column (or JSON field) holding the identifier.
	// Empty means auto: the first of identifier, id, contact, email, phone
	// that is present (and non-empty on that row).
	Column string
	// Normalize validates one raw identifier and returns its canonical form;
	// the command layer passes the API client's contact identifier parser.
	// Nil accepts any non-empty trimmed string as is.
	Normalize func(string) (string, error)
}

// NamedReader is one input stream with the name used in error messages
// ("stdin", "contacts.csv").
type NamedReader struct {
	Name   string
	Reader io.Reader
}

// autoColumns is the order in which identifier columns/fields are looked for.
// "identifier" comes first because it is already canonical; "id" numbers become "id:N".
var autoColumns = []string{"identifier", "id", "contact", "email", "phone"}

// ReadTargets reads identifiers from one stream, auto-detecting its format:
// JSON lines (objects, as printed by `contacts list -o jsonl`), CSV with a
// header row, or plain text with one identifier per line (blank lines and
// lines starting with # are skipped). Invalid lines are collected in the
// report, not returned as err; err is for I/O failures and unusable input
// (a CSV header without the requested column).
func ReadTargets(r io.Reader, opts InputOptions) ([]Target, InputReport, error) {
	return MergeTargets(nil, opts, NamedReader{Reader: r})
}

// MergeTargets reads identifiers from command-line arguments first, then from
// each source in order, collapsing duplicates across all of them (the first
// occurrence is kept, order is preserved).
func MergeTargets(args []string, opts InputOptions, sources ...NamedReader) ([]Target, InputReport, error) {
	c := newCollector(opts)
	for i, a := range args {
		c.add("argument", i+1, a)
	}
	for _, src := range sources {
		if src.Reader == nil {
			continue
		}
		data, err := io.ReadAll(io.LimitReader(src.Reader, MaxInputBytes+1))
		if err != nil {
			return nil, c.report, fmt.Errorf("reading %s: %w", nameOr(src.Name, "input"), err)
		}
		if len(data) > MaxInputBytes {
			return nil, c.report, fmt.Errorf("%s is larger than %d MiB: not a list of contacts (split it into several runs)", nameOr(src.Name, "input"), MaxInputBytes>>20)
		}
		if err := c.readStream(src.Name, data); err != nil {
			return nil, c.report, err
		}
	}
	return c.targets, c.report, nil
}

// MaxInputBytes bounds one identifier source (file or stdin): millions of identifiers, or
// `contacts list -o jsonl` of a large workspace, fit; `--input /dev/zero` is an error, not an
// out-of-memory crash.
const MaxInputBytes = 256 << 20

func nameOr(name, fallback string) string {
	if name == "" {
		return fallback
	}
	return name
}

type inputFormat int

const (
	formatPlain inputFormat = iota
	formatCSV
	formatJSONL
)

func (f inputFormat) String() string {
	return [...]string{"plain", "csv", "jsonl"}[f]
}

type collector struct {
	opts    InputOptions
	seen    map[string]bool
	targets []Target
	report  InputReport
}

func newCollector(opts InputOptions) *collector {
	return &collector{opts: opts, seen: map[string]bool{}}
}

// add validates and records one identifier found at source:line.
func (c *collector) add(source string, line int, raw string) {
	c.report.Total++
	id, err := c.normalize(raw)
	if err != nil {
		c.report.Invalid = append(c.report.Invalid, LineError{Source: source, Line: line, Text: raw, Err: err})
		return
	}
	if c.seen[id] {
		c.report.Duplicates++
		return
	}
	c.seen[id] = true
	c.targets = append(c.targets, Target{ID: id})
}

// reject records a line that carries no usable identifier at all.
func (c *collector) reject(source string, line int, text string, err error) {
	c.report.Total++
	c.report.Invalid = append(c.report.Invalid, LineError{Source: source, Line: line, Text: text, Err: malformedLineError{err}})
}

func (c *collector) normalize(raw string) (string, error) {
	s := strings.TrimSpace(raw)
	if s == "" {
		return "", errors.New("empty identifier")
	}
	if c.opts.Normalize == nil {
		return s, nil
	}
	return c.opts.Normalize(s)
}

func (c *collector) readStream(source string, data []byte) error {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf")) // UTF-8 BOM from spreadsheet exports
	lines := strings.Split(string(data), "\n")
	for i := range lines {
		lines[i] = strings.TrimSuffix(lines[i], "\r")
	}
	switch detectFormat(lines, c.opts.Column) {
	case formatJSONL:
		c.readJSONL(source, lines)
		return nil
	case formatCSV:
		return c.readCSV(source, data, lines)
	default:
		c.readPlain(source, lines)
		return nil
	}
}

// detectFormat looks at the first significant line: "{" means JSON lines; a
// comma, a known column name alone, or an explicit --column means CSV.
// Identifiers never contain commas, so plain lists are never mistaken for CSV.
func detectFormat(lines []string, column string) inputFormat {
	for _, l := range lines {
		t := strings.TrimSpace(l)
		if t == "" || strings.HasPrefix(t, "#") {
			continue
		}
		if strings.HasPrefix(t, "{") {
			return formatJSONL
		}
		if column != "" || strings.Contains(t, ",") {
			return formatCSV
		}
		for _, name := range autoColumns {
			if strings.EqualFold(t, name) {
				return formatCSV
			}
		}
		return formatPlain
	}
	return formatPlain
}

func (c *collector) readPlain(source string, lines []string) {
	for i, l := range lines {
		t := strings.TrimSpace(l)
		if t == "" || strings.HasPrefix(t, "#") {
			continue
		}
		c.add(source, i+1, t)
	}
}
