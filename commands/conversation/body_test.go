package conversation

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/respondctl/respondctl/inbox"
	"github.com/respondctl/respondctl/output"
)

func textItem(text string) inbox.HistoryItem {
	at := time.Date(2026, 11, 24, 11, 5, 0, 0, time.UTC)
	return inbox.HistoryItem{Kind: "message", Message: &inbox.MessageItem{
		ID: 1, Timestamp: &at, Direction: "incoming", Via: "Julia Ali", Channel: "Acme Facebook Page",
		Type: "text", Body: map[string]any{"type": "text", "text": text}, Summary: inbox.DescribeBody(map[string]any{"type": "text", "text": text}),
	}}
}

// A multi-line message keeps its line breaks, each line indented under the header line; a
// long one wraps at word boundaries with the same indent, within the terminal's width.
func TestMessageLinesKeptAndWrapped(t *testing.T) {
	var b bytes.Buffer
	cs := output.NewColorScheme(false)
	if err := writeItemWidth(&b, textItem("Hi,\n\nmy order #4411 has not arrived.\r\nThanks\x1b[31m!"), false, cs, time.UTC, 80); err != nil {
		t.Fatal(err)
	}
	want := "2026-11-24 11:05  ← Julia Ali via Acme Facebook Page:\n" +
		"                  Hi,\n" +
		"\n" +
		"                  my order #4411 has not arrived.\n" +
		"                  Thanks\\x1b[31m!\n"
	if b.String() != want {
		t.Errorf("multi-line:\n%q\nwant\n%q", b.String(), want)
	}

	b.Reset()
	long := strings.Repeat("The parcel was left at the wrong door again. ", 20)
	if err := writeItemWidth(&b, textItem(long), false, cs, time.UTC, 60); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n")
	if len(lines) < 10 || !strings.HasSuffix(lines[0], "Acme Facebook Page:") {
		t.Fatalf("long message not wrapped under a header:\n%s", b.String())
	}
	for _, l := range lines[1:] {
		if !strings.HasPrefix(l, bodyIndent+"The") && !strings.HasPrefix(l, bodyIndent) || output.DisplayWidth(l) > 60 {
			t.Errorf("line %q: not indented or wider than 60", l)
		}
	}
	if got := strings.Join(strings.Fields(strings.Join(lines[1:], " ")), " "); got != strings.TrimSpace(long) {
		t.Errorf("wrapping lost words:\n%q", got)
	}

	// A short one-line message stays on its header line.
	b.Reset()
	_ = writeItemWidth(&b, textItem("Is my order on its way?"), false, cs, time.UTC, 80)
	if b.String() != "2026-11-24 11:05  ← Julia Ali via Acme Facebook Page: Is my order on its way?\n" {
		t.Errorf("short: %q", b.String())
	}
}
