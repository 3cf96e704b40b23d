package window

import (
	"testing"
	"time"
)

func TestEvaluate(t *testing.T) {
	now := time.Date(2025, 3, 10, 12, 0, 0, 0, time.UTC)
	ago := func(d time.Duration) time.Time { return now.Add(-d) }
	tests := []struct {
		name          string
		source        string
		last          time.Time
		open          bool
		hasWindow     bool
		templatesOnly bool
		humanAgent    bool
		closesAt      time.Time
		closedAt      time.Time
		rule          string
		describe      string
	}{
		{"whatsapp open", "whatsapp_cloud", ago(20*time.Hour + 48*time.Minute), true, true, true, false,
			now.Add(3*time.Hour + 12*time.Minute), time.Time{}, "24h", "open, closes in 3h 12m"},
		{"whatsapp closed", "whatsapp", ago(3 * day), false, true, true, false,
			time.Time{}, ago(2 * day), "24h", "closed 2 days ago — templates only"},
		{"whatsapp exactly at close", "twilio_whatsapp", ago(day), true, true, true, false,
			now, time.Time{}, "24h", "open, closes in 0s"},
		{"whatsapp a second after close", "twilio_whatsapp", ago(day + time.Second), false, true, true, false,
			time.Time{}, now.Add(-time.Second), "24h", "closed just now — templates only"},
		{"whatsapp never wrote", "360dialog_whatsapp", time.Time{}, false, true, true, false,
			time.Time{}, time.Time{}, "24h", "closed, contact never wrote — templates only"},
		{"messenger standard", "facebook", ago(time.Hour), true, true, true, false,
			now.Add(7*day - time.Hour), time.Time{}, "24h, 7d human agent", "open, closes in 6d 23h"},
		{"messenger human agent", "facebook", ago(2 * day), true, true, true, true,
			now.Add(5 * day), time.Time{}, "24h, 7d human agent", "open, closes in 5d (human agent)"},
		{"instagram closed", "instagram", ago(8 * day), false, true, true, false,
			time.Time{}, ago(day), "24h, 7d human agent", "closed 1 day ago — message tags only"},
		{"wechat open", "wechat", ago(47 * time.Hour), true, true, false, false,
			now.Add(time.Hour), time.Time{}, "48h", "open, closes in 1h"},
		{"wechat closed", "wechat", ago(50 * time.Hour), false, true, false, false,
			time.Time{}, ago(2 * time.Hour), "48h", "closed 2 hours ago — nothing until the contact writes again"},
		{"telegram", "telegram", ago(30 * day), true, false, false, false,
			time.Time{}, time.Time{}, "none", "no messaging window"},
		{"email never wrote", "gmail", time.Time{}, true, false, false, false,
			time.Time{}, time.Time{}, "none", "no messaging window"},
		{"unknown source", "carrier_pigeon", ago(30 * day), true, false, false, false,
			time.Time{}, time.Time{}, "none", "no messaging window"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := Evaluate(tt.source, tt.last, now)
			if s.Open != tt.open || s.HasWindow != tt.hasWindow || s.TemplatesOnly != tt.templatesOnly || s.HumanAgent != tt.humanAgent {
				t.Errorf("state = %+v", s)
			}
			if !s.ClosesAt.Equal(tt.closesAt) || !s.ClosedAt.Equal(tt.closedAt) {
				t.Errorf("closesAt %v closedAt %v, want %v %v", s.ClosesAt, s.ClosedAt, tt.closesAt, tt.closedAt)
			}
			if s.Rule != tt.rule {
				t.Errorf("rule %q, want %q", s.Rule, tt.rule)
			}
			if got := s.Describe(now); got != tt.describe {
				t.Errorf("Describe = %q, want %q", got, tt.describe)
			}
		})
	}
}

func TestClosesWithin(t *testing.T) {
	now := time.Date(2025, 3, 10, 12, 0, 0, 0, time.UTC)
	s := Evaluate("whatsapp", now.Add(-22*time.Hour), now)
	if !s.ClosesWithin(now, 2*time.Hour) || s.ClosesWithin(now, time.Hour) {
		t.Errorf("ClosesWithin wrong for %+v", s)
	}
	if Evaluate("telegram", now, now).ClosesWithin(now, day) {
		t.Error("telegram never closes")
	}
	if Evaluate("whatsapp", now.Add(-2*day), now).ClosesWithin(now, day) {
		t.Error("a closed window does not close within")
	}
}

func TestFormatDuration(t *testing.T) {
	for d, want := range map[time.Duration]string{
		0: "0s", -time.Second: "0s", 30 * time.Second: "30s", 45 * time.Minute: "45m",
		3*time.Hour + 12*time.Minute + 30*time.Second: "3h 12m", 2 * time.Hour: "2h",
		2*day + 3*time.Hour + 5*time.Minute: "2d 3h", 7 * day: "7d",
	} {
		if got := FormatDuration(d); got != want {
			t.Errorf("FormatDuration(%v) = %q, want %q", d, got, want)
		}
	}
	for d, want := range map[time.Duration]string{
		10 * time.Second: "just now", time.Minute: "1 minute ago", 5 * time.Minute: "5 minutes ago",
		time.Hour: "1 hour ago", 25 * time.Hour: "1 day ago", 72 * time.Hour: "3 days ago",
	} {
		if got := Ago(d); got != want {
			t.Errorf("Ago(%v) = %q, want %q", d, got, want)
		}
	}
}

func TestRuleFor(t *testing.T) {
	if r := RuleFor("facebook"); r.Window() != 7*day || r.Standard != day || r.Source != "facebook" {
		t.Errorf("facebook rule %+v", r)
	}
	if !HasWindowRule("nexmo_whatsapp") || HasWindowRule("nexmo") || HasWindowRule("webchat") {
		t.Error("HasWindowRule wrong")
	}
}
