package scrub

import (
	"bytes"
	"fmt"
	"net/url"
	"strings"
	"testing"
)

const tok = "tok/SECRET-0123456789"

// jsonEscaped spells every byte of s as \u00XX, as a server may.
func jsonEscaped(s string, upper bool) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		f := "\\u%04x"
		if upper {
			f = "\\u%04X"
		}
		fmt.Fprintf(&b, f, s[i])
	}
	return b.String()
}

func urlEncodedAll(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		fmt.Fprintf(&b, "%%%02X", s[i])
	}
	return b.String()
}

func TestStringScrubsEveryForm(t *testing.T) {
	forms := map[string]string{
		"literal":          tok,
		"json escaped":     jsonEscaped(tok, false),
		"json escaped HEX": jsonEscaped(tok, true),
		"json slash":       strings.ReplaceAll(tok, "/", `\/`),
		"url query":        url.QueryEscape(tok),
		"url every byte":   urlEncodedAll(tok),
		"mixed":            "tok" + `\u002f` + "SECRET%2D0123" + `\u0034` + "56789",
	}
	for name, form := range forms {
		in := `{"echo":"Bearer ` + form + `","n":1}`
		got := String(in, tok)
		if got != `{"echo":"Bearer REDACTED","n":1}` {
			t.Errorf("%s: %q -> %q", name, in, got)
		}
	}
	for _, keep := range []string{"", "plain text", `100% \n tok/SECRET`, `\u0074ok/SECRET-012345678`} {
		if got := String(keep, tok); got != keep {
			t.Errorf("%q changed to %q", keep, got)
		}
	}
	if got := String("abc", "ab"); got != "abc" {
		t.Errorf("a 2-byte secret was scrubbed: %q", got)
	}
}

func TestWriterCatchesSecretsSplitAcrossWrites(t *testing.T) {
	var set Set
	set.Add(tok)
	for _, form := range []string{tok, jsonEscaped(tok, false), url.QueryEscape(tok)} {
		text := "before " + form + " after\n"
		for cut := 0; cut <= len(text); cut++ {
			var out bytes.Buffer
			w := NewWriter(&out, &set)
			w.Write([]byte(text[:cut]))
			w.Write([]byte(text[cut:]))
			w.Flush()
			if out.String() != "before REDACTED after\n" {
				t.Fatalf("cut %d of %q: %q", cut, text, out.String())
			}
		}
	}
	// Text that only looks like the start of a secret comes out on Flush.
	var out bytes.Buffer
	w := NewWriter(&out, &set)
	w.Write([]byte("prompt: tok/SE"))
	if out.String() != "prompt: " {
		t.Errorf("held nothing back: %q", out.String())
	}
	w.Flush()
	if out.String() != "prompt: tok/SE" {
		t.Errorf("after flush: %q", out.String())
	}
}

func TestNilSetScrubsNothing(t *testing.T) {
	var s *Set
	s.Add(tok)
	if s.String(tok) != tok {
		t.Fatal("nil set scrubbed")
	}
}
