package store

import "strings"

// Delivery simulation timeline, in seconds after a message was sent.
const (
	SentAfter      = 1
	DeliveredAfter = 3
	ReadAfter      = 10
	FailedAfter    = 1
)

// statusOffsets places each reported status on the timeline (built once: Statuses runs for
// every message of every listed page).
var statusOffsets = map[string]int64{"sent": SentAfter, "delivered": DeliveredAfter, "read": ReadAfter}

// MessageStatus is one entry of an outgoing message's status list.
type MessageStatus struct {
	Value     string `json:"value"`
	Timestamp int64  `json:"timestamp"`
	Message   string `json:"message,omitempty"`
}

// StatusCoverage lists the statuses a channel source reports after "pending".
// Email, Telegram and similar never report delivered or read.
func StatusCoverage(source string) []string {
	switch {
	case IsWhatsApp(source), source == "facebook", source == "instagram", source == "viber", source == "webchat":
		return []string{"sent", "delivered", "read"}
	case source == "twilio", source == "message_bird", source == "nexmo":
		return []string{"sent", "delivered"}
	default:
		return []string{"sent"}
	}
}

// IsWhatsApp reports whether a source is one of the WhatsApp integrations.
func IsWhatsApp(source string) bool { return strings.Contains(source, "whatsapp") }

// Statuses computes the status list of an outgoing message at now: every
// status it reached, oldest first, capped at finalStatus ("" = as far as the
// channel reports). Computed lazily so no background work is needed.
func Statuses(source string, sentAt, now int64, finalStatus, failReason string) []MessageStatus {
	out := []MessageStatus{{Value: "pending", Timestamp: sentAt}}
	if finalStatus == "pending" {
		return out
	}
	if finalStatus == "failed" {
		if now >= sentAt+FailedAfter {
			out = append(out, MessageStatus{Value: "failed", Timestamp: sentAt + FailedAfter, Message: failReason})
		}
		return out
	}
	for _, st := range StatusCoverage(source) {
		at := sentAt + statusOffsets[st]
		if at > now {
			break
		}
		out = append(out, MessageStatus{Value: st, Timestamp: at})
		if st == finalStatus {
			break
		}
	}
	return out
}

// Failure reasons the channels report.
const (
	ReasonWhatsAppWindow  = "Message failed to send because more than 24 hours have passed since the customer last replied to this number."
	ReasonFacebookWindow  = "(#10) This message is sent outside of allowed window. Learn more about the new policy here: https://developers.facebook.com/docs/messenger-platform/policy-overview"
	ReasonInstagramWindow = "(#10) This message is sent outside of allowed window."
	ReasonWeChatWindow    = "45015: response out of time limit or subscription is canceled"
)

// WindowHours returns the free-form messaging window of a source in hours
// (0 = no window).
func WindowHours(source string) int64 {
	switch {
	case IsWhatsApp(source), source == "facebook", source == "instagram":
		return 24
	case source == "wechat":
		return 48
	}
	return 0
}

// WindowFailure returns the reason a send fails because of the channel's
// messaging window, or "" when the message may be sent. lastIncoming is the
// contact's last incoming message time on that channel (nil = never).
func WindowFailure(source string, lastIncoming *int64, now int64, msgType, messageTag string) string {
	hours := WindowHours(source)
	if hours == 0 {
		return ""
	}
	age := int64(-1)
	if lastIncoming != nil {
		age = now - *lastIncoming
	}
	within := func(h int64) bool { return age >= 0 && age <= h*3600 }
	switch {
	case IsWhatsApp(source):
		if msgType == "whatsapp_template" || within(24) {
			return ""
		}
		return ReasonWhatsAppWindow
	case source == "facebook":
		// 24h standard, 7 days with the human-agent tag the platform applies,
		// message tags (other than HUMAN_AGENT) after that.
		if within(24*7) || (messageTag != "" && !strings.EqualFold(messageTag, "HUMAN_AGENT")) {
			return ""
		}
		return ReasonFacebookWindow
	case source == "instagram":
		if within(24 * 7) {
			return ""
		}
		return ReasonInstagramWindow
	case source == "wechat":
		if within(48) {
			return ""
		}
		return ReasonWeChatWindow
	}
	return ""
}
