package sandbox

import (
	"context"
	"fmt"
	"net/http"

	"github.com/respondctl/respondctl/sandbox/store"
)

// routes registers every endpoint under /v2. EXT endpoints are left out in
// core-only mode, so they answer 404 like a core server.
func (s *Server) routes() *http.ServeMux {
	mux := http.NewServeMux()
	h := func(pattern string, fn func(http.ResponseWriter, *http.Request) error) {
		mux.HandleFunc(pattern, func(w http.ResponseWriter, r *http.Request) {
			if err := fn(w, r); err != nil {
				s.fail(w, r, err)
			}
		})
	}
	// Core.
	h("GET /v2/contact/{identifier}", s.getContact)
	h("POST /v2/contact/list", s.listContacts)
	h("GET /v2/contact/{identifier}/channels", s.listContactChannels)
	h("GET /v2/contact/{identifier}/message/list", s.listMessages)
	h("GET /v2/contact/{identifier}/message/{messageId}", s.getMessage)
	h("POST /v2/contact/{identifier}/message", s.audited("message_sent", s.sendMessage))
	h("POST /v2/contact/{identifier}/conversation/assignee", s.audited("assignee_updated", s.setAssignee))
	h("POST /v2/contact/{identifier}/conversation/status", s.audited("status_updated", s.setStatus))
	h("POST /v2/contact/{identifier}/comment", s.audited("comment_created", s.addComment))
	h("GET /v2/space/user", s.listUsers)
	h("GET /v2/space/user/{id}", s.getUser)
	h("GET /v2/space/channel", s.listChannels)
	h("GET /v2/space/closing_notes", s.listClosingNotes)
	// Contact details (routes_details.go).
	s.detailRoutes(h)
	// Extensions.
	if s.ext() {
		h("GET /v2/space/capabilities", s.capabilities)
		h("POST /v2/contact/count", s.countContacts)
		h("GET /v2/space/view/list", s.listViews)
		h("GET /v2/contact/{identifier}/conversation/event/list", s.listEvents)
	}
	// Sandbox-only.
	h("POST /v2/sandbox/simulate/incoming", s.audited("incoming_simulated", s.simulateIncoming))
	h("POST /v2/sandbox/contact/{identifier}/read", s.audited("marked_read", s.markRead))
	h("GET /v2/sandbox/audit", s.listAudit)
	return mux
}

// auditInfo is filled by a mutation handler for its audit row.
type auditInfo struct {
	contactID int64
	action    string // overrides the route's default action when set
	summary   string
	hook      hookInfo // for the webhooks the change sends
}

// audited wraps a mutation so that every call, applied or refused, leaves an
// audit row (result "ok" for 2xx, else "error <status>: <message>").
func (s *Server) audited(action string, fn func(http.ResponseWriter, *http.Request, *auditInfo) error) func(http.ResponseWriter, *http.Request) error {
	return func(w http.ResponseWriter, r *http.Request) error {
		info := &auditInfo{}
		rec := &statusRecorder{ResponseWriter: w}
		err := fn(rec, r, info)
		result := "ok"
		if err != nil {
			s.fail(rec, r, err)
			result = fmt.Sprintf("error %d: %s", rec.status, err.Error())
			if rec.status >= 500 {
				result = fmt.Sprintf("error %d", rec.status)
			}
		}
		row := store.AuditRow{Method: r.Method, Endpoint: EndpointTemplate(r), Action: action, Request: info.summary, Result: result}
		if info.action != "" {
			row.Action = info.action
		}
		if info.contactID != 0 {
			id := info.contactID
			row.ContactID = &id
		}
		// Not r.Context(): a client that hung up after the change was applied (a timeout, a
		// second Ctrl-C) must still leave its row, or the audit would hide a repeated send.
		if aerr := s.store.RecordAudit(context.WithoutCancel(r.Context()), row); aerr != nil {
			s.logf("audit: %v", aerr)
		}
		if err == nil {
			s.emitWebhooks(context.WithoutCancel(r.Context()), row.Action, info)
		}
		return nil
	}
}

func (s *Server) capabilities(w http.ResponseWriter, r *http.Request) error {
	writeJSON(w, http.StatusOK, map[string]any{
		"extensions": []string{"counts", "views", "events", "pending", "snooze", "lastMessageTime", "messageTime"},
	})
	return nil
}
