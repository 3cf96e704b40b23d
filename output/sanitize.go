package output

import (
	"encoding/binary"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// Text from the server or from end customers (contact names, message texts,
// error messages) is hostile until proven otherwise: an ESC in a contact name
// can clear the agent's screen, retitle the window, write the clipboard
// (OSC 52) or hide a link (OSC 8), and a bidi override (U+202E) can make a
// line read backwards. Everything printed for a person passes SafeText (or a
// SafeWriter); JSON and YAML stay faithful data but escape the same
// characters as \uXXXX (see escapeStructured).

// isUnsafeRune reports the characters made visible: C0 controls other than
// newline and tab, DEL, C1 controls, and the bidi embedding/override/isolate
// and mark characters.
func isUnsafeRune(r rune) bool {
	switch {
	case r < 0x20:
		return r != '\n' && r != '\t'
	case r == 0x7f:
		return true
	case r >= 0x80 && r <= 0x9f:
		return true
	}
	return isBidiControl(r)
}

// isBidiControl: LRE RLE PDF LRO RLO (U+202A–202E), LRI RLI FSI PDI
// (U+2066–2069), LRM RLM (U+200E/200F) and the Arabic letter mark (U+061C).
func isBidiControl(r rune) bool {
	return (r >= 0x202a && r <= 0x202e) || (r >= 0x2066 && r <= 0x2069) ||
		r == 0x200e || r == 0x200f || r == 0x061c
}

// visible spells an unsafe rune the way Go and most terminals' users read it.
func visible(r rune) string {
	switch r {
	case '\r':
		return `\r`
	case '\x1b':
		return `\x1b`
	}
	if r < 0x100 {
		return fmt.Sprintf(`\x%02x`, r)
	}
	return fmt.Sprintf(`\u%04x`, r)
}

func needsSanitising(s string) bool {
	for _, r := range s {
		if isUnsafeRune(r) || r == utf8.RuneError {
			return true
		}
	}
	return false
}

// SafeText makes s safe to print for a person: controls (except newline and
// tab) and bidi controls become visible escapes such as `\x1b` and `\u202e`;
// invalid UTF-8 bytes become `\xNN`. Use it for every string that came from
// the server or a customer, on a terminal and in plain text alike.
func SafeText(s string) string {
	if !needsSanitising(s) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case isUnsafeRune(r):
			b.WriteString(visible(r))
		default:
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}

// SafeLine is SafeText for one-line contexts (result lines, error lines):
// newlines and tabs become spaces first, so the text cannot fake a line.
func SafeLine(s string) string {
	if strings.ContainsAny(s, "\n\t") {
		s = strings.NewReplacer("\n", " ", "\t", " ").Replace(s)
	}
	return SafeText(s)
}

// SafeWriter applies SafeText to everything written through it. allowSGR
// lets the exact colour codes of ColorScheme through (a human layout paints
// its own text); any other escape sequence is made visible.
type SafeWriter struct {
	w        io.Writer
	allowSGR bool
}

// NewSafeWriter sanitises everything written to w (the --debug trace, --jq
// output on a terminal).
func NewSafeWriter(w io.Writer) *SafeWriter { return &SafeWriter{w: w} }

// ourSGR are the only escape sequences respondctl itself emits in layouts.
var ourSGR = []string{ansiReset, ansiBold, ansiDim, ansiRed, ansiGreen, ansiYellow, ansiBlue, ansiMagenta, ansiCyan, ansiGray}

func (sw *SafeWriter) Write(p []byte) (int, error) {
	s := string(p)
	if !needsSanitising(s) {
		return sw.w.Write(p)
	}
	var out string
	if sw.allowSGR {
		out = sanitiseKeepingSGR(s)
	} else {
		out = SafeText(s)
	}
	if _, err := io.WriteString(sw.w, out); err != nil {
		return 0, err
	}
	return len(p), nil
}

func sanitiseKeepingSGR(s string) string {
	var b strings.Builder
	for len(s) > 0 {
		i := strings.IndexByte(s, '\x1b')
		if i < 0 {
			b.WriteString(SafeText(s))
			break
		}
		b.WriteString(SafeText(s[:i]))
		s = s[i:]
		kept := false
		for _, code := range ourSGR {
			if strings.HasPrefix(s, code) {
				b.WriteString(code)
				s = s[len(code):]
				kept = true
				break
			}
		}
		if !kept {
			b.WriteString(`\x1b`)
			s = s[1:]
		}
	}
	return b.String()
}

// EscapeStructured is escapeStructured for JSON produced elsewhere (the api
// command's raw bodies).
func EscapeStructured(jsonText []byte) []byte { return escapeStructured(jsonText) }

// escapeStructured rewrites C1, DEL and bidi controls in JSON text as \uXXXX
// escapes (encoding/json already escapes C0). The value is unchanged: these
// characters can only occur inside JSON strings, where the escape means the
// same character.
func escapeStructured(b []byte) []byte {
	if !needsStructuredEscape(b) {
		return b
	}
	var out strings.Builder
	s := string(b)
	for _, r := range s {
		if r == 0x7f || (r >= 0x80 && r <= 0x9f) || isBidiControl(r) {
			fmt.Fprintf(&out, `\u%04x`, r)
			continue
		}
		out.WriteRune(r)
	}
	return []byte(out.String())
}

// needsStructuredEscape reports whether b holds a rune escapeStructured rewrites. It looks
// at bytes, not runes (every line of a long -o jsonl history passes here), 8 at a time
// while they are all below DEL: DEL is 0x7f, a C1 control is C2 80–9F, and the bidi
// controls are D8 9C (U+061C), E2 80 8E–8F (U+200E–200F), E2 80 AA–AE (U+202A–202E) and
// E2 81 A6–A9 (U+2066–2069). A lead byte is never a continuation byte, so these sequences
// mean the same runes wherever they occur, even next to invalid UTF-8
// (TestNeedsStructuredEscapeMatchesRunes).
func needsStructuredEscape(b []byte) bool {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	for i := 0; i < len(b); i++ {
		// A word whose bytes are all below 0x7f has no high bit in x or in x+1 per byte (a
		// carry only starts from a byte 0xff, whose own high bit already sends the word to
		// the byte-by-byte check).
		for i+8 <= len(b) {
			x := binary.LittleEndian.Uint64(b[i:])
			if (x|(x+ones))&highs != 0 {
				break
			}
			i += 8
		}
		if i >= len(b) {
			break
		}
		switch c := b[i]; {
		case c < 0x7f:
		case c == 0x7f:
			return true
		case c == 0xc2:
			if i+1 < len(b) && b[i+1] >= 0x80 && b[i+1] <= 0x9f {
				return true
			}
		case c == 0xd8:
			if i+1 < len(b) && b[i+1] == 0x9c {
				return true
			}
		case c == 0xe2:
			if i+2 < len(b) {
				b1, b2 := b[i+1], b[i+2]
				if b1 == 0x80 && (b2 == 0x8e || b2 == 0x8f || (b2 >= 0xaa && b2 <= 0xae)) || b1 == 0x81 && b2 >= 0xa6 && b2 <= 0xa9 {
					return true
				}
			}
		}
	}
	return false
}
