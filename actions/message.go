package actions

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// SendSpec is what `respondctl send` was asked to send. One message per contact.
type SendSpec struct {
	Text string `json:"text,omitempty"`
	// ChannelID is the workspace channel to send on (resolved from --channel ID|NAME); 0 means
	// the channel the contact last used.
	ChannelID      int64    `json:"channelId,omitempty"`
	ChannelName    string   `json:"channelName,omitempty"`
	AttachmentURL  string   `json:"attachmentUrl,omitempty"`
	AttachmentType string   `json:"attachmentType,omitempty"`
	Template       string   `json:"template,omitempty"`
	Lang           string   `json:"lang,omitempty"`
	TemplateParams []string `json:"templateParams,omitempty"`
	EmailSubject   string   `json:"emailSubject,omitempty"`
	QuickReplies   []string `json:"quickReplies,omitempty"`
	// MessageTag is the Facebook Messenger message tag sent with a text (past the window).
	MessageTag string `json:"messageTag,omitempty"`
	// Force sends free-form messages even outside the messaging window.
	Force bool `json:"force,omitempty"`
}

// AttachmentTypes are the attachment kinds the contract accepts.
var AttachmentTypes = []string{"image", "video", "audio", "file"}

// FreeForm reports whether the message is subject to messaging windows (everything but templates).
func (s SendSpec) FreeForm() bool { return s.Template == "" }

// Kind names the message type for result lines ("text message", "template welcome"…).
func (s SendSpec) Kind() string {
	switch {
	case s.Template != "":
		return "template " + s.Template
	case s.EmailSubject != "":
		return "email"
	case s.AttachmentURL != "":
		return s.attachmentType() + " attachment"
	case len(s.QuickReplies) > 0:
		return "quick reply"
	}
	return "text message"
}

// Preview is the message as a dry run describes it: `text message "Thanks for waiting"`,
// `template order_update (en) with "A-77", "2 days"`. Text is quoted (control characters
// escaped) and clipped; the full text is in the structured result.
func (s SendSpec) Preview() string {
	k := s.Kind()
	switch {
	case s.Template != "":
		k += " (" + s.Lang + ")"
		if len(s.TemplateParams) > 0 {
			q := make([]string, len(s.TemplateParams))
			for i, p := range s.TemplateParams {
				q[i] = quotePreview(p)
			}
			k += " with " + strings.Join(q, ", ")
		}
	case s.Text != "":
		k += " " + quotePreview(s.Text)
	}
	return k
}

func quotePreview(s string) string {
	const max = 60
	if r := []rune(s); len(r) > max {
		return strconv.Quote(string(r[:max])) + "…"
	}
	return strconv.Quote(s)
}

func (s SendSpec) attachmentType() string {
	if s.AttachmentType == "" {
		return "file"
	}
	return s.AttachmentType
}

// Message builds the contract's message object, rejecting combinations that cannot be one
// message. Errors are usage errors: nothing has been sent.
func (s SendSpec) Message() (map[string]any, error) {
	text := s.Text
	if s.AttachmentType != "" && !validAttachmentType(s.AttachmentType) {
		return nil, fmt.Errorf("invalid --attachment-type %q: use one of %s", s.AttachmentType, strings.Join(AttachmentTypes, ", "))
	}
	if s.AttachmentType != "" && s.AttachmentURL == "" {
		return nil, errors.New("--attachment-type needs --attachment URL")
	}
	if s.MessageTag != "" {
		tag, err := NormalizeMessageTag(s.MessageTag)
		if err != nil {
			return nil, err
		}
		if s.Template != "" || s.AttachmentURL != "" || s.EmailSubject != "" || len(s.QuickReplies) > 0 || strings.TrimSpace(text) == "" {
			return nil, errors.New("--message-tag goes with a text message (--text, --text-file or stdin) and nothing else")
		}
		return map[string]any{"type": "text", "text": text, "messageTag": tag}, nil
	}
	if s.MessageTag != "" {
		tag, err := NormalizeMessageTag(s.MessageTag)
		if err != nil {
			return nil, err
		}
		if s.Template != "" || s.AttachmentURL != "" || s.EmailSubject != "" || len(s.QuickReplies) > 0 || strings.TrimSpace(text) == "" {
			return nil, errors.New("--message-tag goes with a text message (--text, --text-file or stdin) and nothing else")
		}
		return map[string]any{"type": "text", "text": text, "messageTag": tag}, nil
	}
	switch {
	case s.Template != "":
		if text != "" || s.EmailSubject != "" || len(s.QuickReplies) > 0 {
			return nil, errors.New("--template sends the template alone: drop --text, --email-subject and --quick-reply")
		}
		if s.Lang == "" {
			return nil, errors.New("--template needs --lang CODE (the template's language, e.g. en)")
		}
		tpl := map[string]any{"name": s.Template, "languageCode": s.Lang}
		var comps []any
		if s.AttachmentURL != "" {
			// The media of a template's IMAGE, VIDEO or DOCUMENT header.
			kind := s.attachmentType()
			if kind == "file" {
				kind = "document"
			}
			comps = append(comps, map[string]any{"type": "header", "parameters": []any{
				map[string]any{"type": kind, kind: map[string]any{"link": s.AttachmentURL}}}})
		}
		if len(s.TemplateParams) > 0 {
			params := make([]any, len(s.TemplateParams))
			for i, p := range s.TemplateParams {
				params[i] = map[string]any{"type": "text", "text": p}
			}
			comps = append(comps, map[string]any{"type": "body", "parameters": params})
		}
		if len(comps) > 0 {
			tpl["components"] = comps
		}
		return map[string]any{"type": "whatsapp_template", "template": tpl}, nil
	case len(s.TemplateParams) > 0 || s.Lang != "":
		return nil, errors.New("--lang and --param go with --template NAME")
	case s.EmailSubject != "":
		if len(s.QuickReplies) > 0 {
			return nil, errors.New("--quick-reply cannot be sent by email")
		}
		if text == "" {
			return nil, errors.New("an email needs a body: --text, --text-file or stdin")
		}
		m := map[string]any{"type": "email", "subject": s.EmailSubject, "text": text}
		if s.AttachmentURL != "" {
			m["attachments"] = []any{map[string]any{"type": s.attachmentType(), "url": s.AttachmentURL}}
		}
		return m, nil
	case s.AttachmentURL != "":
		if text != "" || len(s.QuickReplies) > 0 {
			return nil, errors.New("an attachment is sent on its own: send the text as a second message (or use --email-subject for an email with an attachment)")
		}
		return map[string]any{"type": "attachment", "attachment": map[string]any{"type": s.attachmentType(), "url": s.AttachmentURL}}, nil
	case len(s.QuickReplies) > 0:
		if text == "" {
			return nil, errors.New("--quick-reply needs the question as --text")
		}
		replies := make([]any, len(s.QuickReplies))
		for i, r := range s.QuickReplies {
			replies[i] = r
		}
		return map[string]any{"type": "quick_reply", "title": text, "replies": replies}, nil
	}
	if strings.TrimSpace(text) == "" {
		return nil, errors.New("nothing to send: give --text, --text-file, stdin, --attachment or --template")
	}
	return map[string]any{"type": "text", "text": text}, nil
}

func validAttachmentType(t string) bool {
	for _, a := range AttachmentTypes {
		if a == t {
			return true
		}
	}
	return false
}
