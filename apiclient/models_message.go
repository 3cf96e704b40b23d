package apiclient

import (
	"bytes"
	"encoding/json"
	"fmt"
)

// Message is one message of a conversation.
type Message struct {
	MessageID        int64           `json:"messageId"`
	ChannelMessageID string          `json:"channelMessageId"`
	ContactID        int64           `json:"contactId"`
	ChannelID        int64           `json:"channelId"`
	Traffic          string          `json:"traffic"` // incoming | outgoing
	Message          MessageBody     `json:"message"`
	Sender           *MessageSender  `json:"sender,omitempty"`    // outgoing only
	Status           []MessageStatus `json:"status,omitempty"`    // outgoing only, oldest first
	Timestamp        *int64          `json:"timestamp,omitempty"` // EXT messageTime
}

// Traffic values.
const (
	TrafficIncoming = "incoming"
	TrafficOutgoing = "outgoing"
)

// MessageSender says who or what sent an outgoing message.
type MessageSender struct {
	Source             string `json:"source"` // user | ai_agent | workflow | api | echo | broadcast | bot
	UserID             int64  `json:"userId,omitempty"`
	TeamID             int64  `json:"teamId,omitempty"`
	WorkflowID         int64  `json:"workflowId,omitempty"`
	BroadcastHistoryID int64  `json:"broadcastHistoryId,omitempty"`
}

// MessageStatus is one status an outgoing message reached.
type MessageStatus struct {
	Value     string `json:"value"` // pending | sent | delivered | read | failed
	Timestamp int64  `json:"timestamp"`
	Message   string `json:"message,omitempty"` // failure reason
}

// MessageBody is the "message" object. Raw keeps the whole object verbatim so
// types this client does not model (card, rating, story_reply…) survive
// decoding and re-encoding; the As* accessors decode the known ones.
type MessageBody struct {
	Type string
	Raw  json.RawMessage
	// fields is the object decoded once by UnmarshalJSON: Fields returns it instead of
	// decoding Raw again (a conversation of 1,000,000 messages decodes each body once).
	fields map[string]any
}

// UnmarshalJSON keeps a copy of the raw object and decodes it once, for its type and
// for Fields.
func (b *MessageBody) UnmarshalJSON(data []byte) error {
	if bytes.Equal(bytes.TrimSpace(data), []byte("null")) {
		*b = MessageBody{}
		return nil
	}
	var m map[string]any
	if err := json.Unmarshal(data, &m); err != nil {
		return err
	}
	typ, ok := m["type"].(string)
	if !ok && m["type"] != nil {
		return fmt.Errorf("message type is %T, not a string", m["type"])
	}
	b.Type, b.fields = typ, m
	b.Raw = append(json.RawMessage(nil), data...)
	return nil
}

// MarshalJSON writes Raw verbatim (or {"type": …} when there is none).
func (b MessageBody) MarshalJSON() ([]byte, error) {
	if len(b.Raw) > 0 {
		return b.Raw, nil
	}
	if b.Type == "" {
		return []byte("null"), nil
	}
	return json.Marshal(struct {
		Type string `json:"type"`
	}{b.Type})
}

// Fields is the body as a generic map (nil when empty or not an object). A decoded
// body's map is shared with it: read it, do not modify it.
func (b MessageBody) Fields() map[string]any {
	if b.fields != nil {
		return b.fields
	}
	var m map[string]any
	if json.Unmarshal(b.Raw, &m) != nil {
		return nil
	}
	return m
}

// NewMessageBody encodes v (one of the *Content types, or any struct with a
// "type" field) as a message body.
func NewMessageBody(v any) (MessageBody, error) {
	raw, err := json.Marshal(v)
	if err != nil {
		return MessageBody{}, err
	}
	var b MessageBody
	if err := b.UnmarshalJSON(raw); err != nil {
		return MessageBody{}, err
	}
	if b.Type == "" {
		return MessageBody{}, fmt.Errorf("message body has no type")
	}
	return b, nil
}

// mustBody is NewMessageBody for content types made only of strings, which always encode.
func mustBody(v any) MessageBody {
	b, err := NewMessageBody(v)
	if err != nil {
		return MessageBody{Type: "invalid"}
	}
	return b
}

// Message types this client models.
const (
	TypeText          = "text"
	TypeAttachment    = "attachment"
	TypeEmail         = "email"
	TypeQuickReply    = "quick_reply"
	TypeTemplate      = "whatsapp_template"
	TypeCustomPayload = "custom_payload"
	TypeLocation      = "location"
)

// TextContent is a "text" message.
type TextContent struct {
	Type       string `json:"type"`
	Text       string `json:"text"`
	MessageTag string `json:"messageTag,omitempty"`
}

// Attachment is a file carried by a message.
type Attachment struct {
	Type        string `json:"type"` // image | video | audio | file
	URL         string `json:"url"`
	FileName    string `json:"fileName,omitempty"`
	Description string `json:"description,omitempty"`
}

// AttachmentContent is an "attachment" message.
type AttachmentContent struct {
	Type       string     `json:"type"`
	Attachment Attachment `json:"attachment"`
}

// EmailContent is an "email" message. Servers accept the body in Text or
// Message; Body returns whichever is set.
type EmailContent struct {
	Type             string       `json:"type"`
	Text             string       `json:"text,omitempty"`
	Message          string       `json:"message,omitempty"`
	Subject          string       `json:"subject,omitempty"`
	CC               []string     `json:"cc,omitempty"`
	BCC              []string     `json:"bcc,omitempty"`
	ReplyToMessageID *int64       `json:"replyToMessageId,omitempty"`
	Attachments      []Attachment `json:"attachments,omitempty"`
}

// Body is the email text, whichever field carries it.
func (e EmailContent) Body() string {
	if e.Text != "" {
		return e.Text
	}
	return e.Message
}

// QuickReplyContent is a "quick_reply" message.
type QuickReplyContent struct {
	Type    string   `json:"type"`
	Title   string   `json:"title"`
	Replies []string `json:"replies"`
}

// Template is a WhatsApp template reference.
type Template struct {
	Name         string            `json:"name"`
	LanguageCode string            `json:"languageCode"`
	Components   []json.RawMessage `json:"components,omitempty"`
}

// TemplateContent is a "whatsapp_template" message.
type TemplateContent struct {
	Type     string   `json:"type"`
	Template Template `json:"template"`
}

// LocationContent is a "location" message.
type LocationContent struct {
	Type      string  `json:"type"`
	Latitude  float64 `json:"latitude"`
	Longitude float64 `json:"longitude"`
	Address   string  `json:"address,omitempty"`
	Name      string  `json:"name,omitempty"`
}

// CustomPayloadContent is a "custom_payload" message.
type CustomPayloadContent struct {
	Type    string `json:"type"`
	Payload any    `json:"payload"`
}

func decodeAs[T any](b MessageBody, typ string) (T, bool) {
	var v T
	if b.Type != typ || json.Unmarshal(b.Raw, &v) != nil {
		return v, false
	}
	return v, true
}

// AsText decodes a text message; ok is false for another type or a malformed body.
func (b MessageBody) AsText() (TextContent, bool) { return decodeAs[TextContent](b, TypeText) }

// AsAttachment decodes an attachment message.
func (b MessageBody) AsAttachment() (AttachmentContent, bool) {
	return decodeAs[AttachmentContent](b, TypeAttachment)
}

// AsEmail decodes an email message.
func (b MessageBody) AsEmail() (EmailContent, bool) { return decodeAs[EmailContent](b, TypeEmail) }

// AsQuickReply decodes a quick-reply message.
func (b MessageBody) AsQuickReply() (QuickReplyContent, bool) {
	return decodeAs[QuickReplyContent](b, TypeQuickReply)
}

// AsTemplate decodes a WhatsApp template message.
func (b MessageBody) AsTemplate() (TemplateContent, bool) {
	return decodeAs[TemplateContent](b, TypeTemplate)
}

// AsLocation decodes a location message.
func (b MessageBody) AsLocation() (LocationContent, bool) {
	return decodeAs[LocationContent](b, TypeLocation)
}

// AsCustomPayload decodes a custom-payload message.
func (b MessageBody) AsCustomPayload() (CustomPayloadContent, bool) {
	return decodeAs[CustomPayloadContent](b, TypeCustomPayload)
}

// TextMessage is a text body ready to send.
func TextMessage(text string) MessageBody {
	return mustBody(TextContent{Type: TypeText, Text: text})
}

// AttachmentMessage is an attachment body; kind is image, video, audio or file.
func AttachmentMessage(kind, url string) MessageBody {
	return mustBody(AttachmentContent{Type: TypeAttachment, Attachment: Attachment{Type: kind, URL: url}})
}

// EmailMessage is an email body (text in "text").
func EmailMessage(e EmailContent) MessageBody {
	e.Type = TypeEmail
	return mustBody(e)
}

// QuickReplyMessage is a quick-reply body.
func QuickReplyMessage(title string, replies []string) MessageBody {
	if replies == nil {
		replies = []string{}
	}
	return mustBody(QuickReplyContent{Type: TypeQuickReply, Title: title, Replies: replies})
}

// TemplateMessage is a WhatsApp template body; it fails when a component is not valid JSON.
func TemplateMessage(t Template) (MessageBody, error) {
	return NewMessageBody(TemplateContent{Type: TypeTemplate, Template: t})
}

// CustomPayloadMessage is a custom-payload body; it fails when payload cannot be encoded.
func CustomPayloadMessage(payload any) (MessageBody, error) {
	return NewMessageBody(CustomPayloadContent{Type: TypeCustomPayload, Payload: payload})
}

// SendMessageRequest is the body of POST /contact/{identifier}/message.
type SendMessageRequest struct {
	// ChannelID nil: the channel the contact last used.
	ChannelID *int64      `json:"channelId,omitempty"`
	Message   MessageBody `json:"message"`
}

// SendMessageResponse is the answer to a send.
type SendMessageResponse struct {
	MessageID int64 `json:"messageId"`
}

// MessageListOptions pages a conversation's messages, optionally on one channel.
type MessageListOptions struct {
	PageOptions
	ChannelID int64 // 0: all channels
}
