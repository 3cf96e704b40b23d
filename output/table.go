package output

import (
	"bytes"
	"io"
	"regexp"
	"strings"

	"github.com/olekukonko/tablewriter"
	"github.com/olekukonko/tablewriter/renderer"
	"github.com/olekukonko/tablewriter/tw"
)

const columnGap = 2

// terminalTablePrinter buffers cells (widths need every row), then renders
// a gh-style borderless table fitted to the terminal.
type terminalTablePrinter struct {
	out   io.Writer
	spec  Spec
	tf    TimeFormatter
	cs    *ColorScheme
	width int
	rows  [][]Cell
}

func newTerminalTablePrinter(ios *IOStreams, spec Spec, tf TimeFormatter) *terminalTablePrinter {
	return &terminalTablePrinter{out: ios.liveOut(), spec: spec, tf: tf, cs: ios.ColorScheme(), width: ios.TerminalWidth()}
}

func (p *terminalTablePrinter) write(rec any) error {
	row := make([]Cell, len(p.spec.Columns))
	for i, c := range p.spec.Columns {
		row[i] = c.Value(rec)
	}
	p.rows = append(p.rows, row)
	return nil
}

func (p *terminalTablePrinter) close() error {
	if len(p.rows) == 0 {
		return nil // callers print their own "No X found" on stderr
	}
	cols := p.spec.Columns
	headers := make([]string, len(cols))
	natural := make([]int, len(cols))
	wide := make([]bool, len(cols))
	priority := make([]int, len(cols))
	for i, c := range cols {
		wide[i], priority[i] = c.Wide, c.Priority
		if !p.spec.NoHeader {
			headers[i] = strings.ToUpper(sanitizeCell(c.Header))
			natural[i] = displayWidth(headers[i])
		}
	}
	texts := make([][]string, len(p.rows))
	for r, row := range p.rows {
		texts[r] = make([]string, len(row))
		for i, c := range row {
			texts[r][i] = cellText(c, p.tf, p.cs)
			natural[i] = max(natural[i], displayWidth(texts[r][i]))
		}
	}
	keep, widths := fitColumns(natural, wide, p.width, columnGap)
	keep, widths = dropByPriority(keep, widths, natural, priority, p.width, columnGap)

	var buf bytes.Buffer
	table := newBorderlessTable(&buf)
	if !p.spec.NoHeader {
		hdr := make([]string, len(keep))
		for k, i := range keep {
			hdr[k] = p.cs.Bold(truncateText(headers[i], widths[k]))
		}
		table.Header(hdr)
	}
	for r, row := range p.rows {
		line := make([]string, len(keep))
		for k, i := range keep {
			line[k] = paintCell(row[i], truncateText(texts[r][i], widths[k]), p.cs)
		}
		if err := table.Append(line); err != nil {
			return err
		}
	}
	if err := table.Render(); err != nil {
		return err
	}
	return writeString(p.out, trimTrailingSpaces(buf.String()))
}

// newBorderlessTable: no box lines, left-aligned, two spaces between
// columns, no wrapping or header auto-formatting (we already fitted cells).
func newBorderlessTable(w io.Writer) *tablewriter.Table {
	cell := tw.CellConfig{
		Formatting: tw.CellFormatting{AutoWrap: tw.WrapNone, AutoFormat: tw.Off},
		Padding:    tw.CellPadding{Global: tw.Padding{Left: "", Right: strings.Repeat(" ", columnGap), Overwrite: true}},
		Alignment:  tw.CellAlignment{Global: tw.AlignLeft},
	}
	return tablewriter.NewTable(w,
		tablewriter.WithRenderer(renderer.NewBlueprint(tw.Rendition{
			Borders: tw.BorderNone,
			Symbols: tw.NewSymbols(tw.StyleNone),
			Settings: tw.Settings{
				Separators: tw.Separators{BetweenColumns: tw.Off, BetweenRows: tw.Off, ShowHeader: tw.Off},
				Lines:      tw.Lines{ShowTop: tw.Off, ShowBottom: tw.Off, ShowHeaderLine: tw.Off},
			},
		})),
		tablewriter.WithConfig(tablewriter.Config{Header: cell, Row: cell, Footer: cell,
			Behavior: tw.Behavior{TrimSpace: tw.Off}}),
	)
}

// trailingPad is the padding tablewriter puts after the last cells (empty or not), mixed
// with colour resets: kept, it makes a full-width line one column too wide, and the
// terminal wraps it into a blank line.
var trailingPad = regexp.MustCompile(`(?:[ ]|\x1b\[[0-9;]*m)+$`)

var sgr = regexp.MustCompile(`\x1b\[[0-9;]*m`)

func trimTrailingSpaces(s string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = trailingPad.ReplaceAllStringFunc(l, func(tail string) string {
			return strings.Join(sgr.FindAllString(tail, -1), "") // keep the resets, drop the spaces
		})
	}
	return strings.Join(lines, "\n")
}

// tsvPrinter streams one tab-separated line per record, no header, no
// colour, no truncation: the piped form meant for cut/awk.
type tsvPrinter struct {
	out     io.Writer
	columns []Column
	tf      TimeFormatter
}

func (p *tsvPrinter) write(rec any) error {
	fields := make([]string, len(p.columns))
	for i, c := range p.columns {
		fields[i] = cellText(c.Value(rec), p.tf, nil)
	}
	return writeString(p.out, strings.Join(fields, "\t")+"\n")
}

func (p *tsvPrinter) close() error { return nil }

// keyValuePrinter shows a single object as "Label: value" lines on a
// terminal and "label:\tvalue" lines when piped (like gh's view commands).
type keyValuePrinter struct {
	out   io.Writer
	spec  Spec
	tf    TimeFormatter
	cs    *ColorScheme
	tty   bool
	width int
}

func newKeyValuePrinter(ios *IOStreams, spec Spec, tf TimeFormatter) *keyValuePrinter {
	return &keyValuePrinter{out: ios.liveOut(), spec: spec, tf: tf, cs: ios.ColorScheme(),
		tty: ios.IsStdoutTTY(), width: ios.TerminalWidth()}
}

func (p *keyValuePrinter) write(rec any) error {
	labelWidth := 0
	for _, c := range p.spec.Columns {
		labelWidth = max(labelWidth, displayWidth(sanitizeCell(c.Header))+1)
	}
	var b strings.Builder
	for _, c := range p.spec.Columns {
		cell := c.Value(rec)
		label := sanitizeCell(c.Header) + ":"
		if !p.tty {
			value := cellText(cell, p.tf, nil)
			if p.spec.NoHeader {
				b.WriteString(value + "\n")
			} else {
				b.WriteString(strings.ToLower(label) + "\t" + value + "\n")
			}
			continue
		}
		text := cellText(cell, p.tf, p.cs)
		if p.spec.NoHeader {
			b.WriteString(paintCell(cell, truncateText(text, p.width), p.cs) + "\n")
			continue
		}
		pad := strings.Repeat(" ", labelWidth-displayWidth(label)+1)
		value := paintCell(cell, truncateText(text, p.width-labelWidth-1), p.cs)
		b.WriteString(strings.TrimRight(p.cs.Bold(label)+pad+value, " ") + "\n")
	}
	return writeString(p.out, b.String())
}

func (p *keyValuePrinter) close() error { return nil }

// humanPrinter hands each record to the command's own layout.
type humanPrinter struct {
	out   io.Writer
	human func(w io.Writer, rec any, cs *ColorScheme, tf TimeFormatter) error
	cs    *ColorScheme
	tf    TimeFormatter
}

func (p *humanPrinter) write(rec any) error { return p.human(p.out, rec, p.cs, p.tf) }
func (p *humanPrinter) close() error        { return nil }
