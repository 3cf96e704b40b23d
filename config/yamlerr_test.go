package config

import (
	"strings"
	"testing"
)

// Broken files report the line a human would point at, in the one-line
// "config PATH: line N: message" form.
func TestBrokenYAMLPointsAtOffendingLine(t *testing.T) {
	cases := []struct {
		name, in string
		line     string // "line N: " prefix expected after the path
	}{
		{"key indented less than its siblings",
			"profiles:\n  default:\n    token: abc\n   base_url: x\n", "line 4: did not find expected key"},
		{"same, more lines after it",
			"profiles:\n  default:\n    token: abc\n   base_url: x\n    me: y\n  other: {}\n", "line 4: did not find expected key"},
		{"top-level block",
			"current_profile: a\nprofiles:\n  a: {}\n b: {}\n", "line 4: did not find expected key"},
		{"key indented more than its siblings",
			"profiles:\n  default:\n    token: abc\n    base_url: x\n     me: y\n", "line 5: mapping values are not allowed"},
		{"unclosed bracket",
			"profiles:\n  default:\n    token: t\n    views: [{name: a, tags: [vip}]\n    me: x\n", "line 4: did not find expected ',' or ']'"},
		{"bracket never closed",
			"profiles:\n  default:\n    views: [a, b\n    token: t\n", "line 3: did not find expected ',' or ']'"},
		{"brace never closed",
			"profiles:\n  default:\n    views: {name: a\n\n    token: t\n", "line 3: did not find expected ',' or '}'"},
		{"tab indentation",
			"profiles:\n  default:\n\ttoken: t\n", "line 3: found character that cannot start any token"},
		{"tab after spaces",
			"profiles:\n  default:\n    token: t\n\tme: x\n", "line 4: found a tab character that violates indentation"},
		{"duplicate key",
			"profiles:\n  default:\n    token: a\n    token: b\n", `line 4: mapping key "token" already defined at line 3`},
		{"duplicate profile",
			"profiles:\n  default:\n    token: a\n  default:\n    token: b\n", `line 4: mapping key "default" already defined at line 2`},
		{"unclosed quote",
			"current_profile: x\nprofiles:\n  a:\n    token: \"abc\n  b:\n    token: c\n", "line 4: found unexpected end of stream"},
		{"error after a valid multi-line flow list",
			"profiles:\n  default:\n    views: [\n      {name: a},\n    ]\n    token: abc\n   me: x\n", "line 7: did not find expected key"},
		{"inline mapping value",
			"current_profile: default\nprofiles:\n  default: base_url: x\n", "line 3: mapping values are not allowed"},
		{"CRLF line endings",
			"profiles:\r\n  default:\r\n    token: abc\r\n   base_url: x\r\n", "line 4: did not find expected key"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Parse("/p/config.yaml", []byte(c.in))
			if err == nil {
				t.Fatal("want error")
			}
			want := "config /p/config.yaml: " + c.line
			if !strings.HasPrefix(err.Error(), want) || strings.Contains(err.Error(), "\n") {
				t.Errorf("got  %q\nwant %q…", err, want)
			}
		})
	}
}

func TestFirstFailingLineNoPrefixFails(t *testing.T) {
	if got := firstFailingLine([]byte("a: 1\nb: 2\n"), "did not find expected key", 1); got != 0 {
		t.Errorf("valid file: got %d, want 0", got)
	}
	if got := firstFailingLine([]byte("a: 1\n"), "x", 5); got != 0 {
		t.Errorf("line past the end: got %d, want 0", got)
	}
}
