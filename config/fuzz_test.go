package config

import (
	"reflect"
	"strings"
	"testing"
)

// FuzzParseConfig checks that the profile/view/filter parser never panics,
// always reports errors on one line, and that whatever it accepts survives a
// save/load round trip unchanged.
func FuzzParseConfig(f *testing.F) {
	f.Add([]byte("current_profile: default\nprofiles:\n  default:\n    token: t\n"))
	f.Add([]byte("profiles:\n  default:\n    views:\n      - {name: vip, status: open, assignee: me, tags: [vip]}\n"))
	f.Add([]byte(`profiles: {default: {views: [{name: f, filter: {"$and": [{category: contactField, field: firstName, operator: isEqualTo, value: Aisha}]}}]}}`))
	f.Add([]byte(`profiles: {default: {views: [{name: r, filter: {"$or": [{category: contactField, field: createdAt, operator: isTimestampBetween, value: {from: "2024-01-01 00:00", to: "2024-02-01 00:00"}}]}}]}}`))
	f.Add([]byte("profiles:\n  default: base_url: x\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := Parse("/f/config.yaml", data)
		if err != nil {
			if strings.Contains(err.Error(), "\n") {
				t.Fatalf("multi-line error: %q", err)
			}
			return
		}
		out, err := c.Marshal()
		if err != nil {
			t.Fatalf("marshal accepted config: %v", err)
		}
		again, err := Parse("/f/config.yaml", out)
		if err != nil {
			t.Fatalf("re-parse of saved config failed: %v\n%s", err, out)
		}
		if !reflect.DeepEqual(normalizedForCompare(c), normalizedForCompare(again)) {
			t.Fatalf("round trip changed the config:\n%s", out)
		}
	})
}

// normalizedForCompare renders through Marshal, which is what the user sees.
func normalizedForCompare(c *Config) string {
	b, _ := c.Marshal()
	return string(b)
}
