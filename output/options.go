package output

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/itchyny/gojq"
)

// Format is the value of -o/--output.
type Format string

const (
	FormatTable Format = "table"
	FormatJSON  Format = "json"
	FormatJSONL Format = "jsonl"
	FormatYAML  Format = "yaml"
)

// Formats lists the valid -o values (for flag help and completion).
var Formats = []string{"table", "json", "jsonl", "yaml"}

// Options are the global output flags. The zero value means table output,
// local time for clocks and UTC for RFC 3339. Set Loc only for --tz.
type Options struct {
	Format   Format
	JQ       string
	Template string
	Loc      *time.Location
	Now      func() time.Time
}

// OptionError is a bad output flag (exit code 2 / usage); cmdutil can
// detect it with errors.As.
type OptionError struct{ Msg string }

func (e *OptionError) Error() string { return e.Msg }

func optionErrorf(format string, a ...any) error {
	return &OptionError{Msg: oneLine(fmt.Sprintf(format, a...))}
}

// Validate rejects an unknown format, a --jq that does not compile, a
// --template that does not parse, and --jq together with --template.
func (o Options) Validate() error {
	switch o.Format {
	case "", FormatTable, FormatJSON, FormatJSONL, FormatYAML:
	default:
		return optionErrorf("invalid output format %q: use table, json, jsonl or yaml", string(o.Format))
	}
	if o.JQ != "" && o.Template != "" {
		return optionErrorf("--jq and --template cannot be used together")
	}
	if o.JQ != "" {
		if _, err := compileJQ(o.JQ); err != nil {
			return err
		}
	}
	if o.Template != "" {
		if _, err := parseTemplate(o.Template, &templateEnv{}); err != nil {
			return err
		}
	}
	return nil
}

// Structured reports whether the output is for programs (-o json|jsonl|yaml, --jq or
// --template) rather than the human table: commands with a custom human layout print
// their records instead of it.
func (o Options) Structured() bool {
	return o.format() != FormatTable || o.JQ != "" || o.Template != ""
}

func (o Options) format() Format {
	if o.Format == "" {
		return FormatTable
	}
	return o.Format
}

func compileJQ(expr string) (*gojq.Code, error) {
	q, err := gojq.Parse(expr)
	if err != nil {
		return nil, optionErrorf("invalid --jq expression: %v", err)
	}
	code, err := gojq.Compile(q)
	if err != nil {
		return nil, optionErrorf("invalid --jq expression: %v", err)
	}
	return code, nil
}

// oneLine folds an error text so it fits the one-line error rule.
func oneLine(s string) string {
	s = strings.TrimSpace(s)
	return strings.Join(strings.Fields(strings.ReplaceAll(s, "\n", " ")), " ")
}

// writeString is io.WriteString with a nil-safe discard.
func writeString(w io.Writer, s string) error {
	_, err := io.WriteString(w, s)
	return err
}
