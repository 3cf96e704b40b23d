package output

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/template"
	"time"
)

// templateEnv carries what template helpers need (colour, clock, TTY) and
// the rows collected by tablerow.
type templateEnv struct {
	cs   *ColorScheme
	tf   TimeFormatter
	tty  bool
	rows [][]string
	out  io.Writer
}

func parseTemplate(text string, env *templateEnv) (*template.Template, error) {
	t, err := template.New("").Funcs(env.funcs()).Parse(text)
	if err != nil {
		return nil, optionErrorf("invalid --template: %s", strings.TrimPrefix(err.Error(), "template: "))
	}
	return t, nil
}

// funcs are the helpers documented for --template.
func (e *templateEnv) funcs() template.FuncMap {
	return template.FuncMap{
		"json": func(v any) (string, error) {
			b, err := marshalJSON(v, "", false)
			return string(b), err
		},
		"timeago": func(v any) string {
			t, ok := templateTime(v)
			if !ok {
				return templateString(v)
			}
			rel := e.tf
			rel.TTY = true
			return rel.Relative(t)
		},
		"rfc3339": func(v any) string {
			t, ok := templateTime(v)
			if !ok {
				return templateString(v)
			}
			return e.tf.RFC3339(t)
		},
		"clock": func(v any) string {
			t, ok := templateTime(v)
			if !ok {
				return templateString(v)
			}
			return e.tf.Clock(t)
		},
		"upper": func(v any) string { return strings.ToUpper(templateString(v)) },
		"lower": func(v any) string { return strings.ToLower(templateString(v)) },
		"join": func(sep string, list any) string {
			items, ok := list.([]any)
			if !ok {
				return templateString(list)
			}
			parts := make([]string, len(items))
			for i, it := range items {
				parts[i] = templateString(it)
			}
			return strings.Join(parts, sep)
		},
		"truncate": func(n int, v any) string { return truncateText(templateString(v), n) },
		"color": func(name string, v any) string {
			if e.cs == nil {
				return templateString(v)
			}
			return e.cs.Color(name, templateString(v))
		},
		"tablerow": func(fields ...any) string {
			row := make([]string, len(fields))
			for i, f := range fields {
				row[i] = sanitizeCell(templateString(f))
			}
			e.rows = append(e.rows, row)
			return ""
		},
		"tablerender": func() string {
			s := e.renderTable()
			e.rows = nil
			return s
		},
	}
}

func (e *templateEnv) flushTable() {
	if len(e.rows) > 0 && e.out != nil {
		_, _ = io.WriteString(e.out, e.renderTable())
	}
	e.rows = nil
}

// renderTable aligns tablerow rows with two spaces on a terminal and
// writes tab-separated values otherwise.
func (e *templateEnv) renderTable() string {
	var b strings.Builder
	if !e.tty {
		for _, r := range e.rows {
			b.WriteString(strings.Join(r, "\t") + "\n")
		}
		return b.String()
	}
	var widths []int
	for _, r := range e.rows {
		for i, c := range r {
			if i >= len(widths) {
				widths = append(widths, 0)
			}
			widths[i] = max(widths[i], displayWidth(c))
		}
	}
	for _, r := range e.rows {
		var line strings.Builder
		for i, c := range r {
			line.WriteString(c)
			if i < len(r)-1 {
				line.WriteString(strings.Repeat(" ", widths[i]-displayWidth(c)+2))
			}
		}
		b.WriteString(strings.TrimRight(line.String(), " ") + "\n")
	}
	return b.String()
}

func templateTime(v any) (time.Time, bool) {
	switch t := v.(type) {
	case time.Time:
		return t, !t.IsZero()
	case string:
		parsed, err := time.Parse(time.RFC3339Nano, t)
		return parsed, err == nil
	}
	return time.Time{}, false
}

// templateString renders JSON-decoded values the way a person expects:
// nil as "", numbers exactly, objects and arrays as JSON.
func templateString(v any) string {
	switch t := v.(type) {
	case nil:
		return ""
	case string:
		return t
	case json.Number:
		return t.String()
	case map[string]any, []any:
		b, err := marshalJSON(t, "", false)
		if err != nil {
			return fmt.Sprint(t)
		}
		return string(b)
	}
	return fmt.Sprint(v)
}
