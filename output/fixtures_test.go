package output

import (
	"bytes"
	"strconv"
	"testing"
	"time"
)

var testNow = time.Date(2026, 11, 24, 6, 0, 0, 0, time.UTC) // a Tuesday

type testContact struct {
	ID       int64      `json:"id"`
	Name     string     `json:"name"`
	Email    string     `json:"email,omitempty"`
	Status   string     `json:"status"`
	LastSeen *time.Time `json:"lastSeenAt"`
	Tags     []string   `json:"tags"`
}

func tptr(t time.Time) *time.Time { return &t }

func testContacts() []testContact {
	return []testContact{
		{ID: 1, Name: "Jane Doe", Email: "jane@example.com", Status: "open", LastSeen: tptr(testNow.Add(-5 * time.Minute)), Tags: []string{"vip", "sales"}},
		{ID: 22, Name: "Bob <b>", Status: "closed", Tags: []string{}},
	}
}

func contactSpec() Spec {
	return Spec{Columns: []Column{
		Col("ID", func(c testContact) Cell { return Text(strconv.FormatInt(c.ID, 10)) }),
		Col("Name", func(c testContact) Cell { return Text(c.Name) }),
		{Header: "Email", Wide: true, Value: Col("", func(c testContact) Cell { return Text(c.Email) }).Value},
		Col("Status", func(c testContact) Cell {
			color := "green"
			if c.Status != "open" {
				color = "gray"
			}
			return Cell{Text: c.Status, Color: color}
		}),
		Col("Last seen", func(c testContact) Cell { return TimeCell(c.LastSeen) }),
	}}
}

// testStreams returns streams in terminal or piped mode with colour off.
func testStreams(t *testing.T, tty bool) (*IOStreams, *bytes.Buffer, *bytes.Buffer) {
	t.Helper()
	ios, _, out, errOut := Test()
	ios.SetStdoutTTY(tty)
	ios.SetStderrTTY(tty)
	ios.SetColorEnabled(false)
	ios.SetTerminalWidth(80)
	return ios, out, errOut
}

func fixedOpts(format Format) Options {
	return Options{Format: format, Now: func() time.Time { return testNow }}
}

func assertOutput(t *testing.T, got, want string) {
	t.Helper()
	if got != want {
		t.Errorf("output mismatch\n--- got ---\n%s\n--- want ---\n%s\n(got %q)", got, want, got)
	}
}
