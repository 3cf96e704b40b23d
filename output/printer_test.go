package output

import (
	"strings"
	"testing"
)

func TestJSONList(t *testing.T) {
	for _, tc := range []struct {
		name string
		tty  bool
		want string
	}{
		{"piped", false, `[{"id":1,"name":"Jane Doe","email":"jane@example.com","status":"open","lastSeenAt":"2026-11-24T05:55:00Z","tags":["vip","sales"]},{"id":22,"name":"Bob <b>","status":"closed","lastSeenAt":null,"tags":[]}]` + "\n"},
		{"tty", true, `[
  {
    "id": 1,
    "name": "Jane Doe",
    "email": "jane@example.com",
    "status": "open",
    "lastSeenAt": "2026-11-24T05:55:00Z",
    "tags": [
      "vip",
      "sales"
    ]
  },
  {
    "id": 22,
    "name": "Bob <b>",
    "status": "closed",
    "lastSeenAt": null,
    "tags": []
  }
]
`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ios, out, _ := testStreams(t, tc.tty)
			if err := PrintList(ios, fixedOpts(FormatJSON), contactSpec(), testContacts()); err != nil {
				t.Fatal(err)
			}
			assertOutput(t, out.String(), tc.want)
		})
	}
}

func TestEmptyListsPrintEmptyArray(t *testing.T) {
	for _, tty := range []bool{false, true} {
		for format, want := range map[Format]string{FormatJSON: "[]\n", FormatYAML: "[]\n", FormatJSONL: "", FormatTable: ""} {
			ios, out, _ := testStreams(t, tty)
			p, err := NewPrinter(ios, fixedOpts(format), contactSpec())
			if err != nil {
				t.Fatal(err)
			}
			if err := p.Close(); err != nil {
				t.Fatal(err)
			}
			if out.String() != want || p.Count() != 0 {
				t.Errorf("%s tty=%v: got %q count %d, want %q", format, tty, out.String(), p.Count(), want)
			}
		}
	}
	// PrintList with a nil slice, and --jq over an empty list, see [] too.
	ios, out, _ := testStreams(t, false)
	if err := PrintList[testContact](ios, fixedOpts(FormatJSON), contactSpec(), nil); err != nil {
		t.Fatal(err)
	}
	opts := fixedOpts(FormatTable)
	opts.JQ = "."
	if err := PrintList[testContact](ios, opts, contactSpec(), nil); err != nil {
		t.Fatal(err)
	}
	assertOutput(t, out.String(), "[]\n[]\n")
}

func TestJSONSingle(t *testing.T) {
	c := testContacts()[1]
	ios, out, _ := testStreams(t, false)
	if err := PrintOne(ios, fixedOpts(FormatJSON), contactSpec(), c); err != nil {
		t.Fatal(err)
	}
	assertOutput(t, out.String(), `{"id":22,"name":"Bob <b>","status":"closed","lastSeenAt":null,"tags":[]}`+"\n")

	ios, out, _ = testStreams(t, true)
	if err := PrintOne(ios, fixedOpts(FormatJSON), contactSpec(), &c); err != nil {
		t.Fatal(err)
	}
	assertOutput(t, out.String(), "{\n  \"id\": 22,\n  \"name\": \"Bob <b>\",\n  \"status\": \"closed\",\n  \"lastSeenAt\": null,\n  \"tags\": []\n}\n")
}

func TestJSONStreamsItemByItem(t *testing.T) {
	ios, out, _ := testStreams(t, false)
	p, err := NewPrinter(ios, fixedOpts(FormatJSON), Spec{})
	if err != nil {
		t.Fatal(err)
	}
	_ = p.Write(map[string]int{"a": 1})
	if out.String() != `[{"a":1}` {
		t.Fatalf("first item not written before Close: %q", out.String())
	}
	_ = p.Write(map[string]int{"a": 2})
	_ = p.Close()
	assertOutput(t, out.String(), `[{"a":1},{"a":2}]`+"\n")
	if p.Count() != 2 {
		t.Errorf("Count = %d", p.Count())
	}
	if err := p.Write(1); err == nil {
		t.Error("Write after Close should fail")
	}
}

func TestJSONL(t *testing.T) {
	for _, tty := range []bool{false, true} {
		ios, out, _ := testStreams(t, tty)
		if err := PrintList(ios, fixedOpts(FormatJSONL), contactSpec(), testContacts()); err != nil {
			t.Fatal(err)
		}
		assertOutput(t, out.String(), `{"id":1,"name":"Jane Doe","email":"jane@example.com","status":"open","lastSeenAt":"2026-11-24T05:55:00Z","tags":["vip","sales"]}
{"id":22,"name":"Bob <b>","status":"closed","lastSeenAt":null,"tags":[]}
`)
	}
}

func TestYAMLKeepsFieldOrder(t *testing.T) {
	ios, out, _ := testStreams(t, false)
	if err := PrintList(ios, fixedOpts(FormatYAML), contactSpec(), testContacts()); err != nil {
		t.Fatal(err)
	}
	assertOutput(t, out.String(), `- id: 1
  name: Jane Doe
  email: jane@example.com
  status: open
  lastSeenAt: "2026-11-24T05:55:00Z"
  tags:
    - vip
    - sales
- id: 22
  name: Bob <b>
  status: closed
  lastSeenAt: null
  tags: []
`)

	ios, out, _ = testStreams(t, true)
	rec := map[string]any{"zeta": "true", "alpha": "123", "multi": "a\nb", "n": 1.5}
	if err := PrintOne(ios, fixedOpts(FormatYAML), Spec{}, rec); err != nil {
		t.Fatal(err)
	}
	// encoding/json sorts map keys; strings that look like other types stay quoted.
	assertOutput(t, out.String(), "alpha: \"123\"\nmulti: |-\n  a\n  b\nn: 1.5\nzeta: \"true\"\n")
}

func TestTablePiped(t *testing.T) {
	ios, out, _ := testStreams(t, false)
	ios.SetColorEnabled(true) // CLICOLOR_FORCE must not leak colour into TSV
	if err := PrintList(ios, fixedOpts(FormatTable), contactSpec(), testContacts()); err != nil {
		t.Fatal(err)
	}
	assertOutput(t, out.String(), "1\tJane Doe\tjane@example.com\topen\t2026-11-24T05:55:00Z\n22\tBob <b>\t\tclosed\t\n")
}

func TestTableTerminal(t *testing.T) {
	ios, out, _ := testStreams(t, true)
	if err := PrintList(ios, fixedOpts(FormatTable), contactSpec(), testContacts()); err != nil {
		t.Fatal(err)
	}
	assertOutput(t, out.String(), `ID  NAME      EMAIL             STATUS  LAST SEEN
1   Jane Doe  jane@example.com  open    5m ago
22  Bob <b>                     closed
`)
}

func TestTableTerminalColour(t *testing.T) {
	ios, out, _ := testStreams(t, true)
	ios.SetColorEnabled(true)
	spec := contactSpec()
	spec.Columns = append(spec.Columns, Col("On", func(c testContact) Cell {
		return Cell{Text: "online", Dot: true, Color: "green"}
	}))
	if err := PrintList(ios, fixedOpts(FormatTable), spec, testContacts()[:1]); err != nil {
		t.Fatal(err)
	}
	got := out.String()
	for _, want := range []string{"\x1b[1mID\x1b[0m", "\x1b[32mopen\x1b[0m", "\x1b[32m●\x1b[0m"} {
		if !strings.Contains(got, want) {
			t.Errorf("missing %q in %q", want, got)
		}
	}
	if strings.Contains(got, "online") {
		t.Errorf("dot cell should show only the dot on a colour terminal: %q", got)
	}
}

func TestTableFitsNarrowTerminal(t *testing.T) {
	ios, out, _ := testStreams(t, true)
	ios.SetTerminalWidth(40)
	recs := testContacts()
	recs[0].Name = "Jane Alexandra Doe-Richardson the Third"
	if err := PrintList(ios, fixedOpts(FormatTable), contactSpec(), recs); err != nil {
		t.Fatal(err)
	}
	assertOutput(t, out.String(), `ID  NAME               STATUS  LAST SEEN
1   Jane Alexandra D…  open    5m ago
22  Bob <b>            closed
`)
	for _, l := range strings.Split(strings.TrimSpace(out.String()), "\n") {
		if w := displayWidth(l); w > 40 {
			t.Errorf("line %q is %d columns wide", l, w)
		}
	}
}

func TestTableNoHeaderAndSanitising(t *testing.T) {
	ios, out, _ := testStreams(t, true)
	spec := Spec{NoHeader: true, Columns: []Column{{Header: "X", Value: func(rec any) Cell { return Text(rec.(string)) }}}}
	if err := PrintList(ios, fixedOpts(FormatTable), spec, []string{"a\tb\nc\x1b[31m"}); err != nil {
		t.Fatal(err)
	}
	assertOutput(t, out.String(), `a b c\x1b[31m`+"\n")
}

func TestSingleKeyValue(t *testing.T) {
	c := testContacts()[0]
	ios, out, _ := testStreams(t, true)
	if err := PrintOne(ios, fixedOpts(FormatTable), contactSpec(), c); err != nil {
		t.Fatal(err)
	}
	assertOutput(t, out.String(), `ID:        1
Name:      Jane Doe
Email:     jane@example.com
Status:    open
Last seen: 5m ago
`)
	ios, out, _ = testStreams(t, false)
	if err := PrintOne(ios, fixedOpts(FormatTable), contactSpec(), c); err != nil {
		t.Fatal(err)
	}
	assertOutput(t, out.String(), "id:\t1\nname:\tJane Doe\nemail:\tjane@example.com\nstatus:\topen\nlast seen:\t2026-11-24T05:55:00Z\n")
	out.Reset()
	if err := PrintList(ios, fixedOpts(FormatJSON), Spec{Single: true}, []int{1, 2}); err != nil {
		t.Errorf("PrintList must ignore Single: %v", err)
	}
	assertOutput(t, out.String(), "[1,2]\n")
	p, _ := NewPrinter(ios, fixedOpts(FormatJSON), Spec{Single: true})
	if err := p.Write(1); err != nil {
		t.Fatal(err)
	}
	if err := p.Write(2); err == nil {
		t.Error("a Single printer must reject a second record")
	}
}

type compactRec struct{ A string }

func (c compactRec) MarshalJSON() ([]byte, error)        { return []byte(`{"a": "` + c.A + `"}`), nil }
func (c compactRec) MarshalCompactJSON() ([]byte, error) { return []byte(`{"a":"` + c.A + `"}`), nil }

// LineEncoder exists for plain jsonl only, and prints what the jsonl printer prints.
func TestLineEncoder(t *testing.T) {
	if LineEncoder(Options{Format: FormatJSON}) != nil || LineEncoder(Options{Format: FormatJSONL, JQ: ".id"}) != nil {
		t.Fatal("LineEncoder for an output that is not plain jsonl")
	}
	enc := LineEncoder(Options{Format: FormatJSONL})
	for _, rec := range []any{map[string]any{"x": "<b>", "n": 1}, compactRec{A: "z"}, compactRec{A: "C1 \u0085 DEL \x7f bidi \u202e"}} {
		ios, _, out, _ := Test()
		if err := PrintList(ios, Options{Format: FormatJSONL}, Spec{}, []any{rec}); err != nil {
			t.Fatal(err)
		}
		line, err := enc(rec)
		if err != nil || string(line) != out.String() {
			t.Errorf("LineEncoder = %q, %v; printer wrote %q", line, err, out.String())
		}
	}
}
