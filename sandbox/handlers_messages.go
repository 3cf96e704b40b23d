package sandbox

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/respondctl/respondctl/sandbox/store"
)

func (s *Server) listMessages(w http.ResponseWriter, r *http.Request) error {
	return servePage(w, r, func(p store.Page) ([]store.Message, bool, error) {
		var channelID int64
		if v := r.URL.Query().Get("channelId"); v != "" {
			var err error
			if channelID, err = strconv.ParseInt(v, 10, 64); err != nil || channelID < 1 {
				return nil, false, errorf(http.StatusBadRequest, "channelId must be a positive integer")
			}
		}
		id, err := s.contactID(r)
		if err != nil {
			return nil, false, err
		}
		return s.store.ListMessages(r.Context(), id, channelID, p)
	}, func(m store.Message) (messageJSON, int64) { return s.renderMessage(m), m.ID })
}

func (s *Server) getMessage(w http.ResponseWriter, r *http.Request) error {
	mid, err := pathID(r, "messageId", "message")
	if err != nil {
		return err
	}
	id, err := s.contactID(r)
	if err != nil {
		return err
	}
	m, err := s.store.GetMessage(r.Context(), id, mid)
	if errors.Is(err, store.ErrNotFound) {
		return errorf(http.StatusNotFound, "Message not found")
	}
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, s.renderMessage(m))
	return nil
}

// sendBody is the body of POST /contact/{identifier}/message.
type sendBody struct {
	ChannelID *flexID         `json:"channelId"`
	Message   json.RawMessage `json:"message"`
}

// outgoingMessage holds the fields of every sendable message type.
type outgoingMessage struct {
	Type       string          `json:"type"`
	Text       *string         `json:"text"`
	Message    *string         `json:"message"` // email body as the vendor's n8n node sends it
	MessageTag string          `json:"messageTag"`
	Subject    *string         `json:"subject"`
	Cc         []string        `json:"cc"`
	Bcc        []string        `json:"bcc"`
	Title      *string         `json:"title"`
	Replies    []string        `json:"replies"`
	Payload    json.RawMessage `json:"payload"`
	Attachment *struct {
		Type string `json:"type"`
		URL  string `json:"url"`
	} `json:"attachment"`
	Template *struct {
		Name         string          `json:"name"`
		LanguageCode string          `json:"languageCode"`
		Components   json.RawMessage `json:"components"`
	} `json:"template"`
}

// MaxTextLength bounds text and email bodies.
const MaxTextLength = 4096

func validateOutgoing(raw json.RawMessage) (outgoingMessage, error) {
	var m outgoingMessage
	if len(bytes.TrimSpace(raw)) == 0 || string(bytes.TrimSpace(raw)) == "null" {
		return m, errorf(http.StatusBadRequest, `"message" is required`)
	}
	if err := json.Unmarshal(raw, &m); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) && te.Field != "" {
			return m, errorf(http.StatusBadRequest, "Invalid value for \"message.%s\": expected %s, got %s", te.Field, jsonTypeName(te.Type), te.Value)
		}
		return m, errorf(http.StatusBadRequest, `"message" must be an object`)
	}
	nonEmpty := func(p *string) bool { return p != nil && strings.TrimSpace(*p) != "" }
	switch m.Type {
	case "text":
		if !nonEmpty(m.Text) {
			return m, errorf(http.StatusBadRequest, `"message.text" is required`)
		}
		if utf8.RuneCountInString(*m.Text) > MaxTextLength {
			return m, errorf(http.StatusBadRequest, "message.text must be at most %d characters", MaxTextLength)
		}
	case "attachment":
		if m.Attachment == nil || m.Attachment.URL == "" {
			return m, errorf(http.StatusBadRequest, `"message.attachment" with "type" and "url" is required`)
		}
		switch m.Attachment.Type {
		case "image", "video", "audio", "file":
		default:
			return m, errorf(http.StatusBadRequest, "message.attachment.type must be image, video, audio or file")
		}
		if !strings.HasPrefix(m.Attachment.URL, "http://") && !strings.HasPrefix(m.Attachment.URL, "https://") {
			return m, errorf(http.StatusBadRequest, "message.attachment.url must be an http(s) URL")
		}
	case "email":
		if !nonEmpty(m.Text) && !nonEmpty(m.Message) {
			return m, errorf(http.StatusBadRequest, `email needs "message.text" (or "message.message")`)
		}
	case "quick_reply":
		if !nonEmpty(m.Title) || len(m.Replies) == 0 {
			return m, errorf(http.StatusBadRequest, `quick_reply needs "title" and at least one of "replies"`)
		}
	case "whatsapp_template":
		if m.Template == nil || m.Template.Name == "" || m.Template.LanguageCode == "" {
			return m, errorf(http.StatusBadRequest, `whatsapp_template needs "template.name" and "template.languageCode"`)
		}
	case "custom_payload":
		if len(bytes.TrimSpace(m.Payload)) == 0 || string(bytes.TrimSpace(m.Payload)) == "null" {
			return m, errorf(http.StatusBadRequest, `custom_payload needs "payload"`)
		}
	case "":
		return m, errorf(http.StatusBadRequest, `"message.type" is required`)
	default:
		return m, errorf(http.StatusBadRequest, "Unsupported message type %q (text, attachment, email, quick_reply, whatsapp_template, custom_payload)", m.Type)
	}
	return m, nil
}

// channelAccepts reports whether a message type can go out on a source.
func channelAccepts(source, msgType string) error {
	isEmail := source == "gmail" || source == "other_email"
	switch {
	case msgType == "whatsapp_template" && !store.IsWhatsApp(source):
		return errorf(http.StatusBadRequest, "whatsapp_template can only be sent on a WhatsApp channel (this channel is %s)", source)
	case msgType == "email" && !isEmail:
		return errorf(http.StatusBadRequest, "email messages can only be sent on an email channel (this channel is %s)", source)
	}
	return nil
}

func (s *Server) sendMessage(w http.ResponseWriter, r *http.Request, a *auditInfo) error {
	id, err := s.contactID(r)
	if err != nil {
		return err
	}
	a.contactID = id
	var b sendBody
	if err := decodeBody(r, &b); err != nil {
		return err
	}
	m, err := validateOutgoing(b.Message)
	if err != nil {
		return err
	}
	var channelID int64
	if b.ChannelID != nil {
		if *b.ChannelID < 1 {
			return errorf(http.StatusBadRequest, "channelId must be a positive integer")
		}
		channelID = int64(*b.ChannelID)
		if _, err := s.store.GetChannel(r.Context(), channelID); errors.Is(err, store.ErrNotFound) {
			return errorf(http.StatusBadRequest, "Channel %d not found", channelID)
		} else if err != nil {
			return err
		}
	}
	cc, err := s.store.ContactChannel(r.Context(), id, channelID)
	if errors.Is(err, store.ErrNotFound) {
		if channelID == 0 {
			return errorf(http.StatusBadRequest, "Contact has no channel to send on")
		}
		return errorf(http.StatusBadRequest, "Contact is not connected to channel %d", channelID)
	}
	if err != nil {
		return err
	}
	a.summary = fmt.Sprintf("channelId=%d type=%s", cc.ChannelID, m.Type)
	if err := channelAccepts(cc.Source, m.Type); err != nil {
		return err
	}
	reason := store.WindowFailure(cc.Source, cc.LastIncomingMessageTime, s.now().Unix(), m.Type, m.MessageTag)
	if reason == "" && cc.RejectReason != nil {
		reason = *cc.RejectReason
	}
	if reason == "" && m.Type == "whatsapp_template" {
		// WhatsApp accepts the send and fails it: unknown name or language, not approved,
		// wrong parameter count.
		if reason, err = s.store.TemplateFailure(r.Context(), cc.ChannelID, m.Template.Name, m.Template.LanguageCode, m.Template.Components); err != nil {
			return err
		}
	}
	body, err := json.Marshal(json.RawMessage(bytes.TrimSpace(b.Message)))
	if err != nil {
		return errorf(http.StatusBadRequest, `"message" is not valid JSON`)
	}
	mid, err := s.store.SendMessage(r.Context(), store.OutgoingMessage{ContactID: id, Channel: cc, Body: body, FailReason: reason})
	if err != nil {
		return err
	}
	a.summary += fmt.Sprintf(" messageId=%d", mid)
	a.hook.messageID = mid
	writeJSON(w, http.StatusOK, map[string]int64{"messageId": mid})
	return nil
}
