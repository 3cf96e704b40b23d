package output

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"

	"gopkg.in/yaml.v3"
)

// corpus: the escape sequences and controls customers and servers send, and
// how SafeText shows them.
var sanitiseCorpus = map[string]string{
	"\x1b[2J\x1b[H":                              `\x1b[2J\x1b[H`,
	"\x1b]0;title\x07":                           `\x1b]0;title\x07`,
	"\x1b]52;c;ZXZpbA==\x07":                     `\x1b]52;c;ZXZpbA==\x07`,
	"\x1b]8;;http://e\x1b\\link":                 `\x1b]8;;http://e\x1b\link`,
	"\u009b31m":                                  `\x9b31m`,
	"a\u0085b":                                   `a\x85b`,
	"invoice\u202eexe.pdf":                       `invoice\u202eexe.pdf`,
	"\u2066\u2067\u2068\u2069":                   `\u2066\u2067\u2068\u2069`,
	"\u200e\u200f\u061c\u202a\u202b\u202c\u202d": `\u200e\u200f\u061c\u202a\u202b\u202c\u202d`,
	"bell\x07bs\x08del\x7fnul\x00":               `bell\x07bs\x08del\x7fnul\x00`,
	"fake\rline":                                 `fake\rline`,
	"bad utf8 \xff\xfe":                          `bad utf8 \xff\xfe`,
	"multi\nline\ttab":                           "multi\nline\ttab",
	"plain ünïcödé 日本語 🙂":                        "plain ünïcödé 日本語 🙂",
}

func TestSafeTextMakesControlsVisible(t *testing.T) {
	for in, want := range sanitiseCorpus {
		if got := SafeText(in); got != want {
			t.Errorf("SafeText(%q) = %q, want %q", in, got, want)
		}
		if got := SafeText(SafeText(in)); got != want {
			t.Errorf("SafeText is not idempotent on %q: %q", in, got)
		}
	}
	if got := SafeLine("a\nb\tc\x1b"); got != `a b c\x1b` {
		t.Errorf("SafeLine = %q", got)
	}
}

func TestSafeWriterKeepsOnlyOurColours(t *testing.T) {
	var buf bytes.Buffer
	w := &SafeWriter{w: &buf, allowSGR: true}
	cs := NewColorScheme(true)
	_, _ = w.Write([]byte(cs.Red("ok") + " \x1b[8mhidden\x1b]0;t\x07 \u202e"))
	if got, want := buf.String(), ansiRed+"ok"+ansiReset+` \x1b[8mhidden\x1b]0;t\x07 \u202e`; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	buf.Reset()
	_, _ = NewSafeWriter(&buf).Write([]byte(cs.Red("x")))
	if got := buf.String(); got != `\x1b[31mx\x1b[0m` {
		t.Errorf("plain SafeWriter kept colour: %q", got)
	}
}

// TestStructuredOutputEscapesButKeepsData: JSON and YAML carry the same
// strings, with C1, DEL and bidi controls as \uXXXX rather than raw.
func TestStructuredOutputEscapesButKeepsData(t *testing.T) {
	var valid []string // invalid UTF-8 is not data JSON can carry
	for _, k := range mapKeys(sanitiseCorpus) {
		if utf8.ValidString(k) {
			valid = append(valid, k)
		}
	}
	rec := map[string]string{"name": strings.Join(valid, "|")}
	for _, format := range []Format{FormatJSON, FormatJSONL, FormatYAML} {
		ios, _, out, _ := Test()
		if err := PrintOne(ios, Options{Format: format}, Spec{}, rec); err != nil {
			t.Fatal(err)
		}
		text := out.String()
		for _, r := range text {
			if r == 0x1b || r == 0x7f || (r >= 0x80 && r <= 0x9f) || isBidiControl(r) {
				t.Errorf("%s: raw %U in %q", format, r, text)
				break
			}
		}
		var back map[string]string
		var err error
		if format == FormatYAML {
			err = yaml.Unmarshal([]byte(text), &back)
		} else {
			err = json.Unmarshal([]byte(text), &back)
		}
		if err != nil {
			t.Fatalf("%s: %v\n%s", format, err, text)
		}
		if back["name"] != rec["name"] {
			t.Errorf("%s: data changed:\n got %q\nwant %q", format, back["name"], rec["name"])
		}
	}
}

// TestFiltersOnATerminalAreSafe: --jq and --template output on a terminal
// shows controls escaped; piped it stays raw data for scripts.
func TestFiltersOnATerminalAreSafe(t *testing.T) {
	rec := map[string]string{"name": "a\x1b]0;t\x07\u202eb"}
	for _, opts := range []Options{{JQ: ".name"}, {Template: `{{.name}} {{color "red" .name}}`}} {
		ios, _, out, _ := Test()
		ios.SetStdoutTTY(true)
		ios.SetColorEnabled(true)
		if err := PrintOne(ios, opts, Spec{}, rec); err != nil {
			t.Fatal(err)
		}
		if s := out.String(); strings.ContainsAny(s, "\x07\u202e") || strings.Contains(s, "\x1b]") || !strings.Contains(s, `\x1b]0;t\x07\u202eb`) {
			t.Errorf("%+v on a terminal: %q", opts, s)
		}
		ios, _, out, _ = Test()
		if err := PrintOne(ios, opts, Spec{}, rec); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(out.String(), rec["name"]) {
			t.Errorf("%+v piped: data changed: %q", opts, out.String())
		}
	}
}

func mapKeys(m map[string]string) []string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	return ks
}

// needsStructuredEscapeRunes is the rune-by-rune definition needsStructuredEscape implements.
func needsStructuredEscapeRunes(s string) bool {
	for _, r := range s {
		if r == 0x7f || (r >= 0x80 && r <= 0x9f) || isBidiControl(r) {
			return true
		}
	}
	return false
}

// The byte-level check agrees with the rune definition for every rune, alone and between
// invalid or truncated UTF-8.
func TestNeedsStructuredEscapeMatchesRunes(t *testing.T) {
	around := []string{"", "a", "\xff", "\xe2", "\xe2\x80", "\xc2", "\xd8", "\xf0\x9f", "é"}
	for r := rune(0); r <= utf8.MaxRune; r++ {
		if r >= 0x3000 && r < 0x10000 && r%97 != 0 || r >= 0x10000 && r%1021 != 0 {
			continue // sample the ranges with nothing to escape
		}
		for _, pre := range around {
			for _, post := range around {
				s := pre + string(r) + post
				if got, want := needsStructuredEscape([]byte(s)), needsStructuredEscapeRunes(s); got != want {
					t.Fatalf("%q: %v, runes say %v", s, got, want)
				}
			}
		}
	}
}

func FuzzNeedsStructuredEscape(f *testing.F) {
	for _, s := range []string{"plain", "a\u0085b", "\u202e", "\x7f", "\xe2\x80\xae", "\xe2\x80", "\xc2\x9f\xff", "\u061c\u2066"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := needsStructuredEscape([]byte(s)), needsStructuredEscapeRunes(s); got != want {
			t.Fatalf("%q: %v, runes say %v", s, got, want)
		}
	})
}

// The 8-byte fast path: an escapable rune (or a byte ≥ 0x7f) at every offset of a long
// ASCII line is found, and a line of ASCII below DEL is not flagged.
func TestNeedsStructuredEscapeAtEveryOffset(t *testing.T) {
	pad := strings.Repeat("abcdefgh{}\"\\ 0~", 3)
	for _, r := range []string{"\x7f", "\u0085", "\u009f", "\u061c", "\u200e", "\u202e", "\u2069", "é", "\xff", "\u00a0", "\u2028"} {
		for i := 0; i <= len(pad); i++ {
			s := pad[:i] + r + pad[i:]
			if got, want := needsStructuredEscape([]byte(s)), needsStructuredEscapeRunes(s); got != want {
				t.Fatalf("%q: %v, runes say %v", s, got, want)
			}
		}
	}
	if needsStructuredEscape([]byte(pad)) {
		t.Fatal("plain ASCII flagged")
	}
}
