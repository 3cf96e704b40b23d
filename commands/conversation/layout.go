package conversation

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/respondctl/respondctl/apiclient"
	"github.com/respondctl/respondctl/inbox"
	"github.com/respondctl/respondctl/output"
)

const timeLayout = "2006-01-02 15:04"

// humanLayout prints one line per item; the first line names the zone of the times.
func humanLayout(opts *ShowOptions, contact *apiclient.Contact) func(io.Writer, any, *output.ColorScheme, output.TimeFormatter) error {
	headerDone := false
	var offset int // the UTC offset the times shown so far are in
	return func(w io.Writer, rec any, cs *output.ColorScheme, tf output.TimeFormatter) error {
		h, ok := rec.(inbox.HistoryItem)
		if !ok {
			return fmt.Errorf("conversation: unexpected record %T", rec)
		}
		loc := tf.Loc
		if loc == nil {
			loc = time.Local
		}
		// The zone's offset where the conversation is, not today's: a conversation can span
		// a daylight-saving change, and then a line says from where the offset differs.
		at := h.Time()
		if at.IsZero() {
			at = opts.Now()
		}
		at = at.In(loc)
		_, off := at.Zone()
		if !headerDone {
			headerDone = true
			offset = off
			fmt.Fprintln(w, cs.Bold(fmt.Sprintf("Conversation with %s (id:%d) — times in %s",
				output.SafeLine(inbox.ContactName(contact)), contact.ID, zoneLabel(at))))
		} else if off != offset && !h.Time().IsZero() {
			offset = off
			abbr, _ := at.Zone()
			fmt.Fprintln(w, cs.Dim(fmt.Sprintf("                  · the clocks changed: times from here are in %s", at.Format("UTC-07:00")+" ("+abbr+")")))
		}
		width := 0
		if opts.IO != nil && opts.IO.IsStdoutTTY() {
			width = opts.IO.TerminalWidth()
		}
		return writeItemWidth(w, h, opts.Details, cs, loc, width)
	}
}

// zoneLabel names the zone times are shown in: "UTC", or "Asia/Kuala_Lumpur (UTC+08:00)".
func zoneLabel(now time.Time) string {
	abbr, offset := now.Zone()
	if offset == 0 && (abbr == "UTC" || abbr == "GMT") {
		return "UTC"
	}
	name := now.Location().String()
	if name == "Local" || name == "" {
		name = abbr
	}
	return name + now.Format(" (UTC-07:00)")
}

func stamp(t time.Time, loc *time.Location) string {
	if t.IsZero() {
		return "           --:--" // core: an incoming message has no time
	}
	return t.In(loc).Format(timeLayout)
}

func writeItem(w io.Writer, h inbox.HistoryItem, details bool, cs *output.ColorScheme, loc *time.Location) error {
	return writeItemWidth(w, h, details, cs, loc, 0)
}

// writeItemWidth is writeItem on a terminal width columns wide (0: no wrapping). A message
// whose text has line breaks, or is too long for one line, gets its header line (time,
// sender, status) and then its text, indented under it.
func writeItemWidth(w io.Writer, h inbox.HistoryItem, details bool, cs *output.ColorScheme, loc *time.Location, width int) error {
	if e := h.Event; e != nil {
		_, err := fmt.Fprintln(w, cs.Dim(stamp(e.Timestamp, loc)+"  · "+output.SafeText(e.Text)))
		return err
	}
	if c := h.StatusChange; c != nil {
		line := stamp(c.Time, loc) + "  · " + output.SafeText(c.Text())
		if c.To == "failed" {
			_, err := fmt.Fprintln(w, cs.Red(line))
			return err
		}
		_, err := fmt.Fprintln(w, cs.Dim(line))
		return err
	}
	m := h.Message
	arrow := "←"
	if m.Direction == apiclient.TrafficOutgoing {
		arrow = "→"
	}
	via := m.Via
	if m.Channel != "" {
		via += " via " + m.Channel
	}
	// Message texts, names and failure reasons are customer or server text.
	head := stamp(m.Time(), loc) + "  " + arrow + " " + cs.Bold(output.SafeLine(via)) + ":"
	line := head + " " + output.SafeText(m.Summary)
	var body []string
	if prefix, text, ok := inbox.MessageText(m); ok {
		plainHead := len(stamp(m.Time(), loc)) + 4 + output.DisplayWidth(via) + 1
		multi := strings.ContainsAny(strings.TrimRight(text, "\r\n"), "\r\n")
		statusW := 0
		if m.Status != "" {
			statusW = 2 + output.DisplayWidth(inbox.StatusIcon(m.Status)+" "+m.Status)
		}
		long := width > 0 && plainHead+1+output.DisplayWidth(m.Summary)+statusW > width
		if multi || long {
			bodyWidth := 0
			if width > 0 {
				bodyWidth = max(width-len(bodyIndent), 20)
			}
			line = head
			if prefix != "" {
				line += " " + output.SafeLine(prefix)
			}
			for _, l := range inbox.TextLines(text, bodyWidth) {
				body = append(body, strings.TrimRight(bodyIndent+l, " "))
			}
		}
	}
	if m.Status != "" {
		st := inbox.StatusIcon(m.Status) + " " + output.SafeLine(m.Status)
		switch m.Status {
		case "failed":
			st = cs.Red(st)
			if m.FailureReason != "" {
				st += cs.Red(": " + output.SafeLine(m.FailureReason))
			}
		case "read":
			st = cs.Blue(st)
		default:
			st = cs.Gray(st)
		}
		line += "  " + st
	}
	if _, err := fmt.Fprintln(w, line); err != nil {
		return err
	}
	if len(body) > 0 {
		if _, err := fmt.Fprintln(w, strings.Join(body, "\n")); err != nil {
			return err
		}
	}
	if details {
		return writeDetails(w, m, cs, loc)
	}
	return nil
}

// writeDetails is the message metadata: who sent it and when each status was reached.
func writeDetails(w io.Writer, m *inbox.MessageItem, cs *output.ColorScheme, loc *time.Location) error {
	var b strings.Builder
	pad := "                    "
	fmt.Fprintf(&b, "%smessage %d, type %s, time from %s", pad, m.ID, output.SafeLine(m.Type), m.TimeSource)
	if m.ChannelMessageID != "" {
		fmt.Fprintf(&b, ", channel message %s", output.SafeLine(m.ChannelMessageID))
	}
	b.WriteString("\n")
	if s := m.Sender; s != nil {
		fmt.Fprintf(&b, "%ssender: %s", pad, output.SafeLine(s.Source))
		if s.UserID != 0 {
			fmt.Fprintf(&b, " — user %d", s.UserID)
			if s.UserName != "" {
				fmt.Fprintf(&b, " (%s)", output.SafeLine(s.UserName))
			}
		}
		if s.TeamID != 0 {
			fmt.Fprintf(&b, ", team %d", s.TeamID)
		}
		if s.WorkflowID != 0 {
			fmt.Fprintf(&b, ", workflow %d", s.WorkflowID)
		}
		if s.BroadcastHistoryID != 0 {
			fmt.Fprintf(&b, ", broadcast %d", s.BroadcastHistoryID)
		}
		b.WriteString("\n")
	} else {
		fmt.Fprintf(&b, "%ssender: %s (contact)\n", pad, output.SafeLine(m.Via))
	}
	for _, st := range m.Statuses {
		line := pad + output.SafeLine(inbox.StatusLine(st, loc))
		if st.Value == "failed" {
			line = cs.Red(line)
		}
		b.WriteString(line + "\n")
	}
	_, err := io.WriteString(w, cs.Gray(strings.TrimSuffix(b.String(), "\n"))+"\n")
	return err
}
