package actions

import (
	"fmt"
	"strings"

	"github.com/respondctl/respondctl/window"
)

// MessengerTags are the message tags Facebook Messenger accepts on a text sent after the
// 7-day human-agent window (HUMAN_AGENT itself is applied by the platform within it).
var MessengerTags = []string{"ACCOUNT_UPDATE", "CONFIRMED_EVENT_UPDATE", "POST_PURCHASE_UPDATE"}

// NormalizeMessageTag checks a --message-tag value locally and returns its canonical form.
func NormalizeMessageTag(tag string) (string, error) {
	t := strings.ToUpper(strings.TrimSpace(tag))
	for _, ok := range MessengerTags {
		if t == ok {
			return t, nil
		}
	}
	if t == "HUMAN_AGENT" {
		return "", fmt.Errorf("--message-tag HUMAN_AGENT is applied by the platform within 7 days of the contact's last message; past them use one of %s", strings.Join(MessengerTags, ", "))
	}
	return "", fmt.Errorf("invalid --message-tag %q: use one of %s (Facebook Messenger)", tag, strings.Join(MessengerTags, ", "))
}

// acceptsTags reports whether a channel source takes a message tag on text messages.
func acceptsTags(source string) bool { return source == "facebook" }

// ChannelKindError is a message the chosen channel cannot carry (a WhatsApp template on
// another channel, a message tag off Facebook Messenger). It is a usage error (exit 2): the
// command line asked for something this channel does not have, and nothing was sent.
type ChannelKindError struct{ msg string }

func (e *ChannelKindError) Error() string { return e.msg }

// IsUsageError: exit 2, like a bad flag.
func (e *ChannelKindError) IsUsageError() bool { return true }

// CheckChannelKind refuses, before anything is sent, a message the channel cannot carry:
// a WhatsApp template on a non-WhatsApp channel, a message tag on a channel without tags.
// The error is a *ChannelKindError.
func CheckChannelKind(s *SendSpec, ch ContactChannel) error {
	if s == nil {
		return nil
	}
	if s.Template != "" && !window.IsWhatsApp(ch.Source) {
		advice := "send a text instead"
		if acceptsTags(ch.Source) {
			advice += " (past the messaging window with --message-tag " + strings.Join(MessengerTags, "|") + ")"
		}
		return &ChannelKindError{fmt.Sprintf("--template sends a WhatsApp template, but %q is a %s channel: %s", ch.Name, ch.Source, advice)}
	}
	if s.MessageTag != "" && !acceptsTags(ch.Source) {
		return &ChannelKindError{fmt.Sprintf("--message-tag is for Facebook Messenger, but %q is a %s channel", ch.Name, ch.Source)}
	}
	return nil
}

// closedWindowAdvice says what may still reach a contact whose window on a channel of this
// source has closed, with the flags that do it.
func closedWindowAdvice(source string) string {
	switch {
	case window.IsWhatsApp(source):
		return "send an approved template with --template NAME --lang CODE, or use --force to send anyway"
	case source == "facebook":
		return "send a text with a message tag (--message-tag " + strings.Join(MessengerTags, "|") + "), or use --force to send anyway"
	case source == "instagram":
		return "Instagram takes no message tag after it: use --force to send anyway"
	case window.HasWindowRule(source):
		return "wait until the contact writes again, or use --force to send anyway"
	}
	return "this channel has no messaging window"
}
