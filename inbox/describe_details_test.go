package inbox

import (
	"testing"
	"time"
)

func TestDescribeDetailEvents(t *testing.T) {
	clock := func(t time.Time) string { return t.String() }
	for _, c := range []struct {
		cat, action string
		data        map[string]any
		want        string
	}{
		{"tag", "added", map[string]any{"tag": "vip"}, "tagged “vip” by API"},
		{"tag", "removed", map[string]any{"tag": "vip"}, "untagged “vip” by API"},
		{"tag", "renamed", map[string]any{"tag": "gold", "oldTag": "vip"}, "tag “vip” renamed to “gold” by API"},
		{"lifecycle", "changed", map[string]any{"lifecycle": "Customer", "oldLifecycle": "Hot Lead"}, "lifecycle stage “Hot Lead” → “Customer” by API"},
		{"lifecycle", "changed", map[string]any{"lifecycle": nil, "oldLifecycle": "Hot Lead"}, "lifecycle stage “Hot Lead” cleared by API"},
		{"contact", "updated", map[string]any{"changed": []any{"email", "custom_fields.plan"}}, "contact details changed (email, plan) by API"},
		{"contact", "merged", map[string]any{"mergedContactId": 7.0}, "a duplicate contact was merged into this one by API"},
	} {
		got := DescribeEvent(&EventItem{Category: c.cat, Action: c.action, By: "api", Data: c.data}, clock)
		if got != c.want {
			t.Errorf("%s/%s: %q, want %q", c.cat, c.action, got, c.want)
		}
	}
}
