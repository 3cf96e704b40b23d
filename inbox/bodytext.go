package inbox

import (
	"strings"

	"github.com/olekukonko/tablewriter/pkg/twwidth"
	"github.com/respondctl/respondctl/output"
)

// MessageText is the text of a message as its sender wrote it, line breaks kept, and the
// words that go before it ("Subject: … — " for an email); ok is false for messages whose
// one-line summary says everything (attachments, templates…).
func MessageText(m *MessageItem) (prefix, text string, ok bool) {
	str := func(k string) string { s, _ := m.Body[k].(string); return s }
	switch m.Type {
	case "text":
		return "", str("text"), true
	case "email":
		text := str("text")
		if text == "" {
			text = str("message")
		}
		return "Subject: " + strings.Join(strings.Fields(str("subject")), " "), text, text != ""
	}
	return "", "", false
}

// TextLines splits text into the lines to print under the header: the sender's line breaks
// kept, each line cleaned of control characters, and, when width > 0, long lines wrapped at
// word boundaries to fit width columns.
func TextLines(text string, width int) []string {
	text = strings.TrimRight(strings.ReplaceAll(strings.ReplaceAll(text, "\r\n", "\n"), "\r", "\n"), "\n")
	var out []string
	for _, line := range strings.Split(text, "\n") {
		line = strings.TrimRight(output.SafeLine(line), " ") // customer text: escapes made visible
		if width <= 0 {
			out = append(out, line)
			continue
		}
		out = append(out, wrapLine(line, width)...)
	}
	return out
}

// wrapLine breaks s into lines of at most width columns, between words where it can and
// inside a word longer than a line.
func wrapLine(s string, width int) []string {
	if twwidth.Width(s) <= width {
		return []string{s}
	}
	var lines []string
	var cur strings.Builder
	curW := 0
	flush := func() {
		lines = append(lines, strings.TrimRight(cur.String(), " "))
		cur.Reset()
		curW = 0
	}
	for _, word := range strings.SplitAfter(s, " ") {
		ww := twwidth.Width(strings.TrimRight(word, " "))
		if curW > 0 && curW+ww > width {
			flush()
		}
		for ww > width { // a word longer than a line: cut it
			var part strings.Builder
			pw := 0
			rest := []rune(word)
			i := 0
			for ; i < len(rest); i++ {
				rw := twwidth.Width(string(rest[i]))
				if pw+rw > width {
					break
				}
				part.WriteRune(rest[i])
				pw += rw
			}
			lines = append(lines, part.String())
			word = string(rest[i:])
			ww = twwidth.Width(strings.TrimRight(word, " "))
		}
		cur.WriteString(word)
		curW += twwidth.Width(word)
	}
	if cur.Len() > 0 {
		flush()
	}
	return lines
}
