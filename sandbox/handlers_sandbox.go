package sandbox

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"

	"github.com/respondctl/respondctl/sandbox/store"
)

// incomingBody is the body of POST /sandbox/simulate/incoming.
type incomingBody struct {
	ContactID  *int64          `json:"contactId"`
	Identifier *string         `json:"identifier"`
	ChannelID  *int64          `json:"channelId"`
	Message    json.RawMessage `json:"message"`
}

var incomingTypes = map[string]bool{"text": true, "attachment": true, "story_reply": true, "location": true, "email": true,
	"unsupported": true, "whatsapp_interactive": true, "post": true, "whatsapp_order": true}

func (s *Server) simulateIncoming(w http.ResponseWriter, r *http.Request, a *auditInfo) error {
	var b incomingBody
	if err := decodeBody(r, &b); err != nil {
		return err
	}
	var id int64
	switch {
	case b.ContactID != nil:
		id = *b.ContactID
		if _, err := s.store.GetContact(r.Context(), id); err != nil {
			return notFoundContact(err)
		}
	case b.Identifier != nil:
		r.SetPathValue("identifier", *b.Identifier)
		var err error
		if id, err = s.contactID(r); err != nil {
			return err
		}
	default:
		return errorf(http.StatusBadRequest, `"contactId" or "identifier" is required`)
	}
	a.contactID = id
	var msg struct {
		Type string `json:"type"`
	}
	if len(bytes.TrimSpace(b.Message)) == 0 || json.Unmarshal(b.Message, &msg) != nil || msg.Type == "" {
		return errorf(http.StatusBadRequest, `"message" must be an object with a "type"`)
	}
	if !incomingTypes[msg.Type] {
		return errorf(http.StatusBadRequest, "Unsupported incoming message type %q", msg.Type)
	}
	var ch store.Channel
	if b.ChannelID != nil {
		c, err := s.store.GetChannel(r.Context(), *b.ChannelID)
		if errors.Is(err, store.ErrNotFound) {
			return errorf(http.StatusBadRequest, "Channel %d not found", *b.ChannelID)
		} else if err != nil {
			return err
		}
		ch = c
	} else {
		cc, err := s.store.ContactChannel(r.Context(), id, 0)
		if errors.Is(err, store.ErrNotFound) {
			return errorf(http.StatusBadRequest, `Contact has no channel: "channelId" is required`)
		} else if err != nil {
			return err
		}
		ch = store.Channel{ID: cc.ChannelID, Name: cc.Name, Source: cc.Source}
	}
	body, _ := json.Marshal(json.RawMessage(bytes.TrimSpace(b.Message)))
	mid, err := s.store.ReceiveMessage(r.Context(), id, ch, body)
	if err != nil {
		return notFoundContact(err)
	}
	a.summary = fmt.Sprintf("channelId=%d type=%s messageId=%d", ch.ID, msg.Type, mid)
	a.hook.messageID = mid
	writeJSON(w, http.StatusOK, map[string]int64{"messageId": mid, "contactId": id})
	return nil
}

// markRead resets a contact's unread count, as an agent opening the
// conversation in the app would. Reading messages through the API does not.
func (s *Server) markRead(w http.ResponseWriter, r *http.Request, a *auditInfo) error {
	id, err := s.contactID(r)
	if err != nil {
		return err
	}
	a.contactID = id
	if err := s.store.MarkRead(r.Context(), id); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]int64{"contactId": id})
	return nil
}

type auditJSON struct {
	ID        int64  `json:"id"`
	Time      int64  `json:"time"`
	Method    string `json:"method"`
	Endpoint  string `json:"endpoint"`
	ContactID *int64 `json:"contactId"`
	Action    string `json:"action"`
	Request   string `json:"request"`
	Result    string `json:"result"`
}

func (s *Server) listAudit(w http.ResponseWriter, r *http.Request) error {
	return servePage(w, r, func(p store.Page) ([]store.AuditRow, bool, error) {
		var contactID int64
		if v := r.URL.Query().Get("contactId"); v != "" {
			var err error
			if contactID, err = strconv.ParseInt(v, 10, 64); err != nil || contactID < 1 {
				return nil, false, errorf(http.StatusBadRequest, "contactId must be a positive integer")
			}
		}
		return s.store.ListAudit(r.Context(), contactID, r.URL.Query().Get("action"), p)
	}, func(a store.AuditRow) (auditJSON, int64) {
		return auditJSON{ID: a.ID, Time: a.Time, Method: a.Method, Endpoint: a.Endpoint, ContactID: a.ContactID,
			Action: a.Action, Request: a.Request, Result: a.Result}, a.ID
	})
}
