// Package window implements the messaging-window rules of the platform contract: how long after a
// contact's last incoming message a channel accepts free-form messages, and what is allowed after.
//
// The rules are enforced by the channels themselves (a send outside the window is accepted and then
// fails), so the CLI evaluates them before sending to refuse early with a useful message.
package window

import (
	"fmt"
	"time"
)

// Kind is what a channel allows once its free-form window has closed.
type Kind int

const (
	// NoWindow: the channel accepts free-form messages at any time (Telegram, LINE, Viber, SMS,
	// email, web chat, custom channels, and any source this package does not know).
	NoWindow Kind = iota
	// TemplatesAfter: approved templates only after the window (WhatsApp sources).
	TemplatesAfter
	// TagsAfter: message tags only after the window (Facebook Messenger, Instagram).
	TagsAfter
	// NothingAfter: nothing may be sent until the contact writes again (WeChat).
	NothingAfter
)

// Rule is the messaging-window rule of one channel source.
type Rule struct {
	Source string
	Kind   Kind
	// Standard is the plain free-form window (24h for WhatsApp, Messenger, Instagram; 48h WeChat).
	Standard time.Duration
	// HumanAgent extends the window for human agents (7 days on Messenger and Instagram, applied
	// by the platform automatically); zero when the channel has no such extension.
	HumanAgent time.Duration
	// Label is the short rule text shown to users, e.g. "24h" or "24h, 7d human agent".
	Label string
}

// Window is the total time free-form messages are accepted after the last incoming message.
func (r Rule) Window() time.Duration {
	if r.HumanAgent > r.Standard {
		return r.HumanAgent
	}
	return r.Standard
}

const (
	day          = 24 * time.Hour
	whatsappRule = "24h"
	metaRule     = "24h, 7d human agent"
)

var rules = map[string]Rule{
	"whatsapp":              {Kind: TemplatesAfter, Standard: day, Label: whatsappRule},
	"whatsapp_cloud":        {Kind: TemplatesAfter, Standard: day, Label: whatsappRule},
	"360dialog_whatsapp":    {Kind: TemplatesAfter, Standard: day, Label: whatsappRule},
	"twilio_whatsapp":       {Kind: TemplatesAfter, Standard: day, Label: whatsappRule},
	"message_bird_whatsapp": {Kind: TemplatesAfter, Standard: day, Label: whatsappRule},
	"nexmo_whatsapp":        {Kind: TemplatesAfter, Standard: day, Label: whatsappRule},
	"facebook":              {Kind: TagsAfter, Standard: day, HumanAgent: 7 * day, Label: metaRule},
	"instagram":             {Kind: TagsAfter, Standard: day, HumanAgent: 7 * day, Label: metaRule},
	"wechat":                {Kind: NothingAfter, Standard: 2 * day, Label: "48h"},
}

// RuleFor returns the rule of a channel source. Unknown sources have no window: the contract
// names every windowed source, and refusing a send on a guess would be worse than trying it.
func RuleFor(source string) Rule {
	r, ok := rules[source]
	if !ok {
		return Rule{Source: source, Kind: NoWindow, Label: "none"}
	}
	r.Source = source
	return r
}

// HasWindowRule reports whether a source has a messaging window at all.
func HasWindowRule(source string) bool {
	_, ok := rules[source]
	return ok
}

// State is the messaging window of one contact channel at a moment.
type State struct {
	Source    string
	HasWindow bool // false: free-form messages are accepted at any time
	// Open reports whether a free-form message may be sent now. Always true without a window.
	Open bool
	// NeverOpened: the contact has never written on this channel (no lastIncomingMessageTime).
	NeverOpened bool
	// HumanAgent: the standard window has passed and the human-agent extension keeps it open.
	HumanAgent bool
	// ClosesAt is when the window closes (set while Open and HasWindow).
	ClosesAt time.Time
	// ClosedAt is when the window closed (set when closed, zero when it never opened).
	ClosedAt time.Time
	// TemplatesOnly: after the window only templates (WhatsApp) or message tags (Messenger,
	// Instagram) may be sent. False for WeChat, where nothing may be sent.
	TemplatesOnly bool
	// Rule is the short rule text, e.g. "24h"; "none" without a window.
	Rule string
	kind Kind
}

// Evaluate computes the window state of a channel with the given source whose contact last wrote
// at lastIncoming (zero: never), as seen at now.
func Evaluate(source string, lastIncoming, now time.Time) State {
	r := RuleFor(source)
	s := State{Source: source, Rule: r.Label, kind: r.Kind}
	if r.Kind == NoWindow {
		s.Open = true
		return s
	}
	s.HasWindow = true
	s.TemplatesOnly = r.Kind == TemplatesAfter || r.Kind == TagsAfter
	if lastIncoming.IsZero() {
		s.NeverOpened = true
		return s
	}
	closes := lastIncoming.Add(r.Window())
	if !now.After(closes) { // inclusive, as the channels count it
		s.Open = true
		s.ClosesAt = closes
		s.HumanAgent = r.HumanAgent > 0 && !now.Before(lastIncoming.Add(r.Standard))
		return s
	}
	s.ClosedAt = closes
	return s
}

// AllowedAfter names what the channel accepts once the window is closed, for messages:
// "templates only", "message tags only" or "nothing until the contact writes".
func (s State) AllowedAfter() string {
	switch s.kind {
	case TemplatesAfter:
		return "templates only"
	case TagsAfter:
		return "message tags only"
	case NothingAfter:
		return "nothing until the contact writes again"
	}
	return "anything"
}

// Describe renders the state for people, relative to now:
// "open, closes in 3h 12m", "closed 2 days ago — templates only", "no messaging window".
func (s State) Describe(now time.Time) string {
	if !s.HasWindow {
		return "no messaging window"
	}
	if s.Open {
		d := "open, closes in " + FormatDuration(s.ClosesAt.Sub(now))
		if s.HumanAgent {
			d += " (human agent)"
		}
		return d
	}
	if s.NeverOpened {
		return "closed, contact never wrote — " + s.AllowedAfter()
	}
	return "closed " + Ago(now.Sub(s.ClosedAt)) + " — " + s.AllowedAfter()
}

// FormatDuration renders a positive duration compactly, at most two units: "3h 12m", "45m",
// "2d 3h", "30s". Zero or negative renders "0s".
func FormatDuration(d time.Duration) string {
	if d <= 0 {
		return "0s"
	}
	if d < time.Minute {
		return fmt.Sprintf("%ds", int(d/time.Second))
	}
	days := int(d / day)
	hours := int(d % day / time.Hour)
	mins := int(d % time.Hour / time.Minute)
	switch {
	case days > 0 && hours > 0:
		return fmt.Sprintf("%dd %dh", days, hours)
	case days > 0:
		return fmt.Sprintf("%dd", days)
	case hours > 0 && mins > 0:
		return fmt.Sprintf("%dh %dm", hours, mins)
	case hours > 0:
		return fmt.Sprintf("%dh", hours)
	}
	return fmt.Sprintf("%dm", mins)
}

// Ago renders an elapsed duration as "just now", "5 minutes ago", "1 hour ago", "2 days ago".
func Ago(d time.Duration) string {
	switch {
	case d < time.Minute:
		return "just now"
	case d < time.Hour:
		return plural(int(d/time.Minute), "minute") + " ago"
	case d < day:
		return plural(int(d/time.Hour), "hour") + " ago"
	}
	return plural(int(d/day), "day") + " ago"
}

func plural(n int, unit string) string {
	if n == 1 {
		return "1 " + unit
	}
	return fmt.Sprintf("%d %ss", n, unit)
}

// ClosesWithin reports whether the window is open now and closes within d (for
// `--window-closing-within`). Channels without a window never close.
func (s State) ClosesWithin(now time.Time, d time.Duration) bool {
	return s.HasWindow && s.Open && s.ClosesAt.Sub(now) <= d
}

// IsWhatsApp reports whether a channel source is one of the WhatsApp sources: the channels
// that send approved templates (outside the 24-hour window too).
func IsWhatsApp(source string) bool { return RuleFor(source).Kind == TemplatesAfter }
