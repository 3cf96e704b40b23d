package bulk

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
)

func (c *collector) readCSV(source string, data []byte, lines []string) error {
	r := csv.NewReader(bytes.NewReader(data))
	r.Comment = '#'
	r.FieldsPerRecord = -1 // ragged rows are judged by their identifier cell alone
	r.TrimLeadingSpace = true

	header, err := r.Read()
	if err == io.EOF {
		return nil
	}
	if err != nil {
		return fmt.Errorf("%s: CSV header: %w", nameOr(source, "input"), err)
	}
	cols, err := identifierColumns(header, c.opts.Column)
	if err != nil {
		return fmt.Errorf("%s: %w", nameOr(source, "input"), err)
	}
	lastErrLine := -1
	for {
		rec, err := r.Read()
		if err == io.EOF {
			return nil
		}
		var perr *csv.ParseError
		if errors.As(err, &perr) {
			if perr.StartLine == lastErrLine {
				return nil // the reader made no progress: nothing more to salvage
			}
			lastErrLine = perr.StartLine
			c.reject(source, perr.StartLine, lineText(lines, perr.StartLine), fmt.Errorf("malformed CSV: %v", perr.Err))
			continue
		}
		if err != nil {
			return fmt.Errorf("%s: %w", nameOr(source, "input"), err)
		}
		line, _ := r.FieldPos(0)
		value, name := "", ""
		for _, col := range cols {
			if col.index < len(rec) && strings.TrimSpace(rec[col.index]) != "" {
				value, name = rec[col.index], col.name
				break
			}
		}
		if value == "" {
			if allBlank(rec) {
				continue
			}
			c.reject(source, line, lineText(lines, line), fmt.Errorf("no identifier in column %s", cols[0].name))
			continue
		}
		c.add(source, line, identifierFrom(name, value))
	}
}

type csvColumn struct {
	name  string
	index int
}

// identifierColumns returns the columns to look in, in priority order.
func identifierColumns(header []string, want string) ([]csvColumn, error) {
	index := map[string]int{}
	for i, h := range header {
		h = strings.ToLower(strings.TrimSpace(h))
		if _, dup := index[h]; !dup {
			index[h] = i
		}
	}
	if want != "" {
		i, ok := index[strings.ToLower(strings.TrimSpace(want))]
		if !ok {
			return nil, fmt.Errorf("column %q not found in CSV header (%s)", want, strings.Join(header, ", "))
		}
		return []csvColumn{{name: strings.ToLower(want), index: i}}, nil
	}
	var cols []csvColumn
	for _, name := range autoColumns {
		if i, ok := index[name]; ok {
			cols = append(cols, csvColumn{name: name, index: i})
		}
	}
	if len(cols) == 0 {
		return nil, fmt.Errorf("no identifier column in CSV header (%s); name one with --column (looked for %s)",
			strings.Join(header, ", "), strings.Join(autoColumns, ", "))
	}
	return cols, nil
}

// identifierFrom turns a numeric "id" cell into the canonical "id:N" form;
// every other value is passed to Normalize as written.
func identifierFrom(column, value string) string {
	value = strings.TrimSpace(value)
	if column == "id" && value != "" && strings.Trim(value, "0123456789") == "" {
		return "id:" + value
	}
	return value
}

func allBlank(rec []string) bool {
	for _, f := range rec {
		if strings.TrimSpace(f) != "" {
			return false
		}
	}
	return true
}

func lineText(lines []string, n int) string {
	if n >= 1 && n <= len(lines) {
		return lines[n-1]
	}
	return ""
}

func (c *collector) readJSONL(source string, lines []string) {
	fields := autoColumns
	if c.opts.Column != "" {
		fields = []string{c.opts.Column}
	}
	for i, l := range lines {
		t := strings.TrimSpace(l)
		if t == "" || strings.HasPrefix(t, "#") {
			continue
		}
		dec := json.NewDecoder(strings.NewReader(t))
		dec.UseNumber() // keep large ids exact
		var obj map[string]any
		if err := dec.Decode(&obj); err != nil || obj == nil || dec.More() {
			c.reject(source, i+1, t, errors.New("not a JSON object"))
			continue
		}
		raw, err := identifierField(obj, fields)
		if err != nil {
			c.reject(source, i+1, t, err)
			continue
		}
		c.add(source, i+1, raw)
	}
}

func identifierField(obj map[string]any, fields []string) (string, error) {
	for _, name := range fields {
		switch v := obj[name].(type) {
		case string:
			if strings.TrimSpace(v) != "" {
				return identifierFrom(name, v), nil
			}
		case json.Number:
			return identifierFrom(name, v.String()), nil
		case nil:
		default:
			return "", fmt.Errorf("field %q is not a string or number", name)
		}
	}
	return "", fmt.Errorf("no identifier field (looked for %s)", strings.Join(fields, ", "))
}
