package mirror

import (
	"github.com/respondctl/respondctl/webhook"
)

// eventRow is a webhook mapped onto the contract's Event model (category, action, by,
// actor, data). The model's categories are extended with the ones only webhooks carry:
// message, tag, lifecycle, comment, call and contact.
type eventRow struct {
	category, action, by string
	actor                map[string]any
	data                 map[string]any
}

// bySource maps a webhook "source" onto the Event model's "by".
func bySource(s string) string {
	switch s {
	case "user", "api", "bot", "broadcast", "contact", "channel":
		return s
	case "workflow", "automation", "auto_close", "system":
		return "automation"
	case "ai_agent":
		return "bot"
	case "echo":
		return "channel"
	case "":
		return "unknown"
	}
	return s
}

func person(p *webhook.Person) map[string]any {
	if p == nil {
		return nil
	}
	return map[string]any{"id": p.ID, "name": p.Name()}
}

func normalise(ev *webhook.Event) eventRow {
	r := eventRow{by: "unknown"}
	if ev.User != nil {
		r.actor = person(ev.User)
	}
	switch ev.Type {
	case webhook.MessageReceived, webhook.MessageSent:
		r.category, r.action, r.by = "message", "received", "contact"
		if ev.Type == webhook.MessageSent {
			r.action, r.by = "sent", "unknown"
			if ev.Sender != nil {
				r.by = bySource(ev.Sender.Source)
			}
		}
		r.data = map[string]any{}
		if m := ev.Message; m != nil {
			r.data["messageId"] = m.ID
			r.data["channelId"] = m.ChannelID
			r.data["type"] = m.Type
		}
		if ev.Sender != nil && ev.Sender.Source != "" {
			r.data["source"] = ev.Sender.Source
		}
	case webhook.ContactAssigneeUpdated:
		r.category, r.action = "assignment", "unassigned"
		if ev.Contact != nil && ev.Contact.Assignee != nil {
			r.action = "assigned"
			r.data = map[string]any{"assignee": person(ev.Contact.Assignee)}
		}
	case webhook.ConversationOpened:
		r.category, r.action = "status", "opened"
		if c := ev.Conversation; c != nil {
			r.by = bySource(c.Source)
		}
	case webhook.ConversationClosed:
		r.category, r.action = "status", "done"
		r.data = map[string]any{}
		if c := ev.Conversation; c != nil {
			r.by = bySource(c.ClosedBySource)
			r.data["category"] = c.Category
			r.data["summary"] = c.Summary
			r.data["closedBySource"] = c.ClosedBySource
			if c.ClosedBy != nil {
				r.actor = person(c.ClosedBy)
				r.data["closedBy"] = person(c.ClosedBy)
			}
		}
	case webhook.ContactTagUpdated:
		r.category, r.action = "tag", "added"
		if ev.Action == "remove" || ev.Action == "removed" || ev.Action == "delete" {
			r.action = "removed"
		}
		r.data = map[string]any{"tag": ev.Tag}
	case webhook.ContactLifecycleUpdated:
		r.category, r.action = "lifecycle", "changed"
		r.data = map[string]any{"lifecycle": ev.Lifecycle, "oldLifecycle": ev.OldLifecycle}
	case webhook.CommentCreated:
		r.category, r.action, r.by = "comment", "created", "user"
		r.data = map[string]any{"text": ev.Text}
	case webhook.CallEnded:
		r.category, r.action = "call", "ended"
		r.data = map[string]any{"call": ev.Call}
	case webhook.ContactCreated:
		r.category, r.action = "contact", "created"
	case webhook.ContactUpdated:
		r.category, r.action = "contact", "updated"
	default:
		r.category, r.action = "webhook", ev.Type
	}
	return r
}
