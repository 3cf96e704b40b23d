package sandbox

import (
	"context"
	"errors"
	"strings"

	"github.com/respondctl/respondctl/sandbox/store"
)

// hookInfo is what a mutation handler adds to its audit row for the webhooks: the message
// it created and event data the contact snapshot does not carry.
type hookInfo struct {
	messageID int64
	data      map[string]any
}

// webhookTypes maps an audit action onto the webhooks it sends. Actions not listed (the
// contact mutations other handlers add, e.g. tags, lifecycle, create, update, merge) send
// by name: *lifecycle* → contact.lifecycle.updated, *tag* → contact.tag.updated when the
// handler names the tag (else contact.updated), *created* → contact.created, anything else
// with a contact → contact.updated, so every change reaches the receiver with the contact's
// full state.
func webhookType(action string, info *auditInfo) string {
	switch action {
	case "message_sent":
		return "message.sent"
	case "incoming_simulated":
		return "message.received"
	case "assignee_updated", "assigned", "unassigned":
		return "contact.assignee.updated"
	case "opened", "status_updated":
		return "conversation.opened"
	case "closed":
		return "conversation.closed"
	case "pending", "snoozed", "marked_read":
		return "" // EXT states and reads have no webhook
	case "comment_created":
		return "comment.created"
	}
	switch {
	case strings.Contains(action, "lifecycle"):
		return "contact.lifecycle.updated"
	case strings.Contains(action, "tag") && info.hook.data["tag"] != nil:
		return "contact.tag.updated"
	case strings.Contains(action, "delete"):
		return ""
	case strings.HasSuffix(action, "created") || strings.HasSuffix(action, "create"):
		return "contact.created"
	}
	return "contact.updated"
}

// emitWebhooks sends the webhooks of one successful mutation. It is called from audited,
// the path every mutation of the API passes through. The contact is read after the change
// and stamped under one lock, so of two changes to a contact the later stamp always
// carries the later state.
func (s *Server) emitWebhooks(ctx context.Context, action string, info *auditInfo) {
	w := s.hooks
	if w == nil || info.contactID == 0 {
		return
	}
	typ := webhookType(action, info)
	if typ == "" {
		return
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	c, err := s.store.GetContact(ctx, info.contactID)
	if errors.Is(err, store.ErrNotFound) {
		return
	} else if err != nil {
		s.logf("webhook: reading contact %d: %v", info.contactID, err)
		return
	}
	contact := s.renderContact(c)
	contact.LastMessageTime, contact.UnreadCount, contact.SnoozedUntil = nil, nil, nil
	ms := w.nextMS(s.now())
	objects := map[string]any{"contact": contact}
	for k, v := range info.hook.data {
		objects[k] = v
	}
	switch typ {
	case "message.sent", "message.received":
		m, err := s.store.GetMessage(ctx, info.contactID, info.hook.messageID)
		if err != nil {
			s.logf("webhook: reading message %d: %v", info.hook.messageID, err)
			return
		}
		msg := s.renderMessage(m)
		ts := m.CreatedAt
		msg.Timestamp = &ts
		objects["message"] = msg
		channel := map[string]any{"id": m.ChannelID, "source": m.ChannelSource, "meta": "{}"}
		if ch, err := s.store.GetChannel(ctx, m.ChannelID); err == nil {
			channel["name"], channel["created_at"] = ch.Name, ch.CreatedAt
		}
		if cc, err := s.store.ContactChannel(ctx, info.contactID, m.ChannelID); err == nil {
			if len(cc.Meta) > 0 {
				channel["meta"] = string(cc.Meta) // a JSON string, as the platform sends it
			}
			channel["lastMessageTime"], channel["lastIncomingMessageTime"] = cc.LastMessageTime, cc.LastIncomingMessageTime
		}
		objects["channel"] = channel
		if typ == "message.sent" {
			objects["sender"] = msg.Sender
		} else {
			objects["sender"] = map[string]string{"type": "message", "source": "contact"}
		}
	case "conversation.opened":
		objects["conversation"] = map[string]any{"source": "api", "conversationOpenedAt": ms / 1000}
	case "conversation.closed":
		conv := map[string]any{"category": "", "summary": "", "closedTime": ms / 1000, "closedBySource": "api",
			"closedBy": map[string]any{"id": nil, "firstName": nil, "lastName": nil, "email": nil}}
		for k, v := range info.hook.data {
			conv[k] = v
			delete(objects, k)
		}
		objects["conversation"] = conv
	case "contact.lifecycle.updated":
		objects["lifecycle"] = contact.Lifecycle
		if _, ok := objects["action"]; !ok {
			objects["action"] = "update"
		}
	case "contact.tag.updated":
		if _, ok := objects["action"]; !ok {
			objects["action"] = "add"
		}
	}
	body, ok := w.build(typ, ms, objects)
	if !ok {
		return
	}
	w.enqueue(delivery{body: body, what: typ})
}

// WebhookKey is the key the webhooks are signed with ("" without webhooks).
func (s *Server) WebhookKey() string {
	if s.hooks == nil {
		return ""
	}
	return s.opts.Webhook.Key
}

// WebhookStats counts the deliveries so far.
func (s *Server) WebhookStats() WebhookStats {
	if s.hooks == nil {
		return WebhookStats{}
	}
	s.hooks.statsMu.Lock()
	defer s.hooks.statsMu.Unlock()
	return s.hooks.stats
}

// WaitWebhooks blocks until every webhook queued so far is delivered or given up.
func (s *Server) WaitWebhooks(ctx context.Context) error {
	if s.hooks == nil {
		return nil
	}
	return s.hooks.wait(ctx)
}
