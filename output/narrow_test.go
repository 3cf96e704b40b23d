package output

import (
	"strings"
	"testing"
)

type narrowRow struct{ ID, Name, Assignee, Status, Tags string }

func narrowTable(t *testing.T, width int) string {
	t.Helper()
	ios, _, out, _ := Test()
	ios.SetStdoutTTY(true)
	ios.SetColorEnabled(true)
	ios.SetTerminalWidth(width)
	spec := Spec{Columns: []Column{
		Col("ID", func(r narrowRow) Cell { return Text(r.ID) }),
		Col("NAME", func(r narrowRow) Cell { return Text(r.Name) }),
		Col("ASSIGNEE", func(r narrowRow) Cell { return Text(r.Assignee) }).Droppable(2),
		Col("STATUS", func(r narrowRow) Cell { return Text(r.Status) }).Droppable(1),
		Col("TAGS", func(r narrowRow) Cell { return Text(r.Tags) }).Droppable(3),
	}}
	rows := []narrowRow{
		{"1", "Aisha Rahman", "Lee Wong", "open", "complaint,vip,returning"},
		{"156", "Uma Costa-Fernandes de Souza", "Carlos Mendes", "pending", ""},
	}
	if err := PrintList(ios, Options{}, spec, rows); err != nil {
		t.Fatal(err)
	}
	return out.String()
}

// On a narrow terminal the least important columns go (by priority), the rest stay readable;
// no line is wider than the terminal, even with colour escapes after the last cell.
func TestNarrowTablesDropColumnsByPriority(t *testing.T) {
	for _, tc := range []struct {
		width      int
		want, gone []string
	}{
		{120, []string{"ID", "NAME", "ASSIGNEE", "STATUS", "TAGS", "Uma Costa-Fernandes de Souza"}, nil},
		{60, []string{"ID", "NAME", "ASSIGNEE", "STATUS", "TAGS", "complaint,vip,…"}, nil}, // cut, still readable
		{40, []string{"ID", "NAME", "ASSIGNEE", "STATUS", "pending"}, []string{"TAGS"}},
		{30, []string{"ID", "NAME", "STATUS", "pending"}, []string{"TAGS", "ASSIGNEE"}},
		{20, []string{"ID", "NAME", "Aisha Rahman"}, []string{"TAGS", "ASSIGNEE", "STATUS"}},
	} {
		out := narrowTable(t, tc.width)
		for _, w := range tc.want {
			if !strings.Contains(out, w) {
				t.Errorf("%d columns: %q missing:\n%s", tc.width, w, out)
			}
		}
		for _, g := range tc.gone {
			if strings.Contains(out, g) {
				t.Errorf("%d columns: %q should be dropped:\n%s", tc.width, g, out)
			}
		}
		for _, line := range strings.Split(strings.TrimSuffix(out, "\n"), "\n") {
			if w := displayWidth(stripANSI(line)); w > tc.width {
				t.Errorf("%d columns: line %d wide: %q", tc.width, w, line)
			}
			if strings.HasSuffix(stripANSI(line), " ") {
				t.Errorf("%d columns: trailing padding: %q", tc.width, line)
			}
		}
	}
}

func stripANSI(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == 0x1b {
			for i < len(s) && s[i] != 'm' {
				i++
			}
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String()
}
