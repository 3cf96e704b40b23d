package output

import (
	"fmt"
	"io"
	"testing"
	"time"
)

func TestHumanLayout(t *testing.T) {
	spec := Spec{Human: func(w io.Writer, rec any, cs *ColorScheme, tf TimeFormatter) error {
		c := rec.(testContact)
		_, err := fmt.Fprintf(w, "%s %s (%s)\n", cs.Bold(c.Name), cs.Dot("green"), tf.Format(derefTime(c.LastSeen)))
		return err
	}}
	ios, out, _ := testStreams(t, true)
	ios.SetColorEnabled(true)
	if err := PrintList(ios, fixedOpts(FormatTable), spec, testContacts()); err != nil {
		t.Fatal(err)
	}
	assertOutput(t, out.String(), "\x1b[1mJane Doe\x1b[0m \x1b[32m●\x1b[0m (5m ago)\n\x1b[1mBob <b>\x1b[0m \x1b[32m●\x1b[0m ()\n")

	ios, out, _ = testStreams(t, false)
	if err := PrintList(ios, fixedOpts(FormatTable), spec, testContacts()); err != nil {
		t.Fatal(err)
	}
	assertOutput(t, out.String(), "Jane Doe ● (2026-11-24T05:55:00Z)\nBob <b> ● ()\n")

	// Human is a table-mode layout only: -o json still prints JSON.
	ios, out, _ = testStreams(t, false)
	if err := PrintOne(ios, fixedOpts(FormatJSON), spec, map[string]int{"a": 1}); err != nil {
		t.Fatal(err)
	}
	assertOutput(t, out.String(), `{"a":1}`+"\n")
}

func derefTime(tp *time.Time) time.Time {
	if tp == nil {
		return time.Time{}
	}
	return *tp
}
