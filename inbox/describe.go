package inbox

import (
	"fmt"
	"strings"
	"time"
)

// DescribeBody renders a message body in one line, by type. Unknown types are shown by
// name (with any text they carry), never dropped.
func DescribeBody(body map[string]any) string {
	typ := str(body, "type")
	switch typ {
	case "text":
		return oneLine(str(body, "text"))
	case "attachment":
		att := sub(body, "attachment")
		kind := str(att, "type")
		if kind == "" {
			kind = "file"
		}
		s := "[" + kind + "] " + str(att, "url")
		if name := str(att, "fileName"); name != "" {
			s += " (" + name + ")"
		}
		return strings.TrimSpace(s)
	case "email":
		text := str(body, "text")
		if text == "" {
			text = str(body, "message")
		}
		s := "Subject: " + oneLine(str(body, "subject"))
		if text != "" {
			s += " — " + oneLine(text)
		}
		return s
	case "quick_reply":
		var replies []string
		if list, ok := body["replies"].([]any); ok {
			for _, r := range list {
				switch r := r.(type) {
				case string:
					replies = append(replies, r)
				case map[string]any:
					if t := str(r, "title"); t != "" {
						replies = append(replies, t)
					} else {
						replies = append(replies, str(r, "text"))
					}
				}
			}
		}
		s := oneLine(str(body, "title"))
		if len(replies) > 0 {
			s += " [" + strings.Join(replies, " | ") + "]"
		}
		return strings.TrimSpace(s)
	case "whatsapp_template", "facebook_template":
		tpl := sub(body, "template")
		s := "template " + str(tpl, "name")
		if lang := str(tpl, "languageCode"); lang != "" {
			s += " (" + lang + ")"
		}
		return s
	case "location":
		lat, okLat := num(body, "latitude")
		lng, okLng := num(body, "longitude")
		s := "location"
		if okLat && okLng {
			s += fmt.Sprintf(" %.5g, %.5g", lat, lng)
		}
		for _, k := range []string{"name", "address"} {
			if v := str(body, k); v != "" {
				s += " " + oneLine(v)
			}
		}
		return s
	case "custom_payload":
		return "[custom payload]"
	case "":
		return "[message without type]"
	}
	// Known-but-rare and unknown types: name plus whatever text they carry.
	s := "[" + typ + "]"
	for _, k := range []string{"text", "title", "url", "caption"} {
		if v := str(body, k); v != "" {
			return s + " " + oneLine(v)
		}
	}
	if att := sub(body, "attachment"); att != nil {
		if u := str(att, "url"); u != "" {
			return s + " " + u
		}
	}
	return s
}

// DescribeVia says where a message was sent via: the contact for incoming messages,
// else the user's name, Workflow, API, Broadcast, AI agent, Echo (sent from the
// channel's own app) or Bot.
func DescribeVia(direction, source, userName, contactName string) string {
	if direction == "incoming" {
		if contactName == "" {
			return "contact"
		}
		return contactName
	}
	switch source {
	case "user":
		if userName != "" {
			return userName
		}
		return "a user"
	case "ai_agent":
		return "AI agent"
	case "workflow":
		return "Workflow"
	case "api":
		return "API"
	case "echo":
		return "Echo"
	case "broadcast":
		return "Broadcast"
	case "bot":
		return "Bot"
	case "":
		return "unknown sender"
	}
	return source
}

// StatusIcon is the icon of a message status; the word follows it so the line stays
// readable without colour.
func StatusIcon(status string) string {
	switch status {
	case "pending":
		return "…"
	case "sent":
		return "✓"
	case "delivered":
		return "✓✓"
	case "read":
		return "✓✓"
	case "failed":
		return "✗"
	}
	return "?"
}

// describeBy names who or what caused an event.
func describeBy(by string, actor *EventActor) string {
	switch by {
	case "user":
		if actor != nil && actor.Name != "" {
			return actor.Name
		}
		return "a user"
	case "api":
		return "API"
	case "automation", "bot", "broadcast", "channel", "contact":
		return by
	case "":
		if actor != nil && actor.Name != "" {
			return actor.Name
		}
		return "someone"
	}
	return by
}

// DescribeEvent says what happened in plain words: "assigned to Lee Wong by automation",
// "marked done by Lee Wong (Resolved: refund sent)", "snoozed until Tue 14:00",
// "survey canceled by API", "visitor opened https://…". clock formats a moment.
func DescribeEvent(e *EventItem, clock func(time.Time) string) string {
	by := " by " + describeBy(e.By, e.Actor)
	if s, ok := describeDetailEvent(e, by); ok {
		return s
	}
	d := e.Data
	switch e.Category {
	case "assignment":
		who := str(sub(d, "assignee"), "name")
		switch e.Action {
		case "assigned":
			if who == "" {
				return "assigned" + by
			}
			return "assigned to " + who + by
		case "unassigned":
			if who == "" {
				return "unassigned" + by
			}
			return "unassigned from " + who + by
		case "assign_failed":
			s := "failed to assign"
			if who != "" {
				s += " to " + who
			}
			if r := str(d, "reason"); r != "" {
				s += ": " + oneLine(r)
			}
			return s
		}
	case "status":
		switch e.Action {
		case "done":
			s := "marked done" + by
			cat, summary := str(d, "category"), oneLine(str(d, "summary"))
			switch {
			case cat != "" && summary != "":
				s += " (" + cat + ": " + summary + ")"
			case cat != "":
				s += " (" + cat + ")"
			case summary != "":
				s += " (" + summary + ")"
			}
			return s
		case "pending":
			return "marked pending" + by
		case "opened":
			return "opened" + by
		}
	case "snooze":
		switch e.Action {
		case "snoozed":
			s := "snoozed"
			if until, ok := num(d, "snoozeUntil"); ok && until > 0 {
				s += " until " + clock(time.Unix(int64(until), 0))
			}
			return s + by
		case "unsnoozed":
			return "unsnoozed" + by
		}
	case "broadcast":
		name := str(d, "broadcast")
		if name != "" {
			return "broadcast “" + name + "” " + e.Action
		}
		return "broadcast " + e.Action
	case "survey":
		s := "survey"
		if name := str(d, "survey"); name != "" {
			s += " “" + name + "”"
		}
		s += " " + e.Action
		if e.Action == "failed" {
			if r := str(d, "reason"); r != "" {
				return s + ": " + oneLine(r)
			}
			return s
		}
		if e.By == "user" || e.By == "automation" || e.By == "broadcast" || e.By == "api" {
			s += by
		}
		return s
	case "bot":
		if e.Action == "on" || e.Action == "off" {
			return "bot turned " + e.Action + by
		}
	case "channel":
		for _, k := range []string{"event", "text", "description", "name"} {
			if v := str(d, k); v != "" {
				return "channel event: " + oneLine(v)
			}
		}
		return "channel event"
	case "page":
		if u := str(d, "url"); u != "" {
			return "visitor opened " + u
		}
		return "visitor changed page"
	case "tag": // from the inbox mirror (webhooks)
		return "tag “" + oneLine(str(d, "tag")) + "” " + e.Action
	case "lifecycle":
		if l := str(d, "lifecycle"); l != "" {
			return "lifecycle changed to " + oneLine(l)
		}
		return "lifecycle cleared"
	case "comment":
		return "comment: " + oneLine(str(d, "text"))
	}
	s := strings.TrimSpace(e.Category + " " + e.Action)
	if e.By != "" {
		s += by
	}
	return s
}

// oneLine collapses whitespace (newlines included) so a body fits one output line.
func oneLine(s string) string {
	if !strings.ContainsAny(s, "\n\r\t") {
		return s
	}
	return strings.Join(strings.Fields(s), " ")
}

// StatusLine is one status a message reached, for detail views:
// "✓✓ delivered 2026-11-24 10:00:02 UTC" (plus ": reason" on failure).
func StatusLine(st StatusItem, loc *time.Location) string {
	line := fmt.Sprintf("%-2s %-9s %s", StatusIcon(st.Value), st.Value, st.Time.In(loc).Format("2006-01-02 15:04:05 MST"))
	if st.Reason != "" {
		line += ": " + oneLine(st.Reason)
	}
	return line
}
