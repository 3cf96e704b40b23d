package output

import (
	"errors"
	"strings"
	"testing"
)

func TestJQ(t *testing.T) {
	for _, tc := range []struct {
		name   string
		format Format
		single bool
		expr   string
		want   string
	}{
		{"list strings raw", FormatTable, false, ".[].name", "Jane Doe\nBob <b>\n"},
		{"list to objects compact", FormatJSON, false, "map({id, tags})", `[{"id":1,"tags":["vip","sales"]},{"id":22,"tags":[]}]` + "\n"},
		{"length", FormatYAML, false, "length", "2\n"},
		{"jsonl per record", FormatJSONL, false, ".id", "1\n22\n"},
		{"object", FormatJSON, true, ".email // \"none\"", "jane@example.com\n"},
		{"halt stops quietly", FormatJSON, false, "halt", ""},
		{"big ids stay exact", FormatJSON, true, "12345678901234567890", "12345678901234567890\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ios, out, _ := testStreams(t, true)
			opts := fixedOpts(tc.format)
			opts.JQ = tc.expr
			if err := printTestContacts(ios, opts, tc.single); err != nil {
				t.Fatal(err)
			}
			assertOutput(t, out.String(), tc.want)
		})
	}
}

func TestJQRuntimeErrorIsOneLine(t *testing.T) {
	ios, _, _ := testStreams(t, false)
	opts := fixedOpts(FormatJSON)
	opts.JQ = ".[] | .name + 1"
	err := PrintList(ios, opts, contactSpec(), testContacts())
	if err == nil || strings.Contains(err.Error(), "\n") || !strings.HasPrefix(err.Error(), "jq: error: ") {
		t.Fatalf("got %v", err)
	}
}

func TestTemplates(t *testing.T) {
	for _, tc := range []struct {
		name   string
		format Format
		single bool
		tty    bool
		tmpl   string
		want   string
	}{
		{"range over list", FormatTable, false, false, `{{range .}}{{.id}} {{upper .name}}{{"\n"}}{{end}}`, "1 JANE DOE\n22 BOB <B>\n"},
		{"jsonl per record gets newline", FormatJSONL, false, false, `{{.name | lower}}`, "jane doe\nbob <b>\n"},
		{"join and json", FormatJSON, true, false, `{{join ", " .tags}} {{json .tags}}`, "vip, sales [\"vip\",\"sales\"]\n"},
		{"truncate", FormatJSON, true, false, `{{truncate 5 .name}}|{{.name | truncate 20}}`, "Jane…|Jane Doe\n"},
		{"times", FormatJSON, true, false, `{{timeago .lastSeenAt}} {{rfc3339 .lastSeenAt}} {{timeago .missing}}`, "5m ago 2026-11-24T05:55:00Z \n"},
		{"color off", FormatJSON, true, false, `{{color "red" .status}}`, "open\n"},
		{"color on", FormatJSON, true, true, `{{color "red" .status}}`, "\x1b[31mopen\x1b[0m\n"},
		{"tablerow piped", FormatTable, false, false, `{{range .}}{{tablerow .id .name}}{{end}}`, "1\tJane Doe\n22\tBob <b>\n"},
		{"tablerow tty", FormatTable, false, true, `{{range .}}{{tablerow .id .name .status}}{{end}}{{tablerender}}done`, "1   Jane Doe  open\n22  Bob <b>   closed\ndone"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ios, out, _ := testStreams(t, tc.tty)
			ios.SetColorEnabled(tc.tty)
			opts := fixedOpts(tc.format)
			opts.Template = tc.tmpl
			if err := printTestContacts(ios, opts, tc.single); err != nil {
				t.Fatal(err)
			}
			assertOutput(t, out.String(), tc.want)
		})
	}
}

func TestTemplateRuntimeError(t *testing.T) {
	ios, _, _ := testStreams(t, false)
	opts := fixedOpts(FormatJSON)
	opts.Template = `{{index .tags 5}}`
	err := PrintOne(ios, opts, contactSpec(), testContacts()[0])
	if err == nil || strings.Contains(err.Error(), "\n") {
		t.Fatalf("got %v", err)
	}
}

func TestValidate(t *testing.T) {
	for _, tc := range []struct {
		opts Options
		want string
	}{
		{Options{}, ""},
		{Options{Format: "yaml", JQ: ".a"}, ""},
		{Options{Format: "table", Template: "{{.a}}"}, ""},
		{Options{Format: "xml"}, `invalid output format "xml": use table, json, jsonl or yaml`},
		{Options{JQ: ".a", Template: "{{.}}"}, "--jq and --template cannot be used together"},
		{Options{JQ: ".a |"}, "invalid --jq expression: "},
		{Options{JQ: "nosuchfunc"}, "invalid --jq expression: "},
		{Options{Template: "{{.a"}, "invalid --template: "},
		{Options{Template: "{{nosuch .a}}"}, "invalid --template: "},
	} {
		err := tc.opts.Validate()
		if tc.want == "" {
			if err != nil {
				t.Errorf("%+v: unexpected %v", tc.opts, err)
			}
			continue
		}
		var oe *OptionError
		if err == nil || !strings.HasPrefix(err.Error(), tc.want) || strings.Contains(err.Error(), "\n") || !errors.As(err, &oe) {
			t.Errorf("%+v: got %v, want prefix %q", tc.opts, err, tc.want)
		}
		ios, _, _ := testStreams(t, false)
		if _, err := NewPrinter(ios, tc.opts, Spec{}); err == nil {
			t.Errorf("NewPrinter accepted %+v", tc.opts)
		}
	}
}

// printTestContacts prints the first test contact (single) or all of them with opts.
func printTestContacts(ios *IOStreams, opts Options, single bool) error {
	if single {
		return PrintOne(ios, opts, contactSpec(), testContacts()[0])
	}
	return PrintList(ios, opts, contactSpec(), testContacts())
}

// error("x") in a filter is one "jq: error: x", not "jq: error: error: x".
func TestJQErrorFunctionSaysErrorOnce(t *testing.T) {
	ios, _, _ := testStreams(t, false)
	opts := fixedOpts(FormatJSON)
	opts.JQ = `error("no such contact")`
	err := PrintList(ios, opts, contactSpec(), testContacts())
	if err == nil || err.Error() != "jq: error: no such contact" {
		t.Fatalf("got %v", err)
	}
}
