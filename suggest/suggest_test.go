package suggest

import (
	"slices"
	"strings"
	"testing"
)

func TestDistance(t *testing.T) {
	for _, c := range []struct {
		a, b string
		d    int
	}{
		{"", "", 0},
		{"abc", "", 3},
		{"", "abc", 3},
		{"kitten", "sitting", 3},
		{"Alice", "alcie", 2},
		{"lee", "LEE", 0},
		{"flaw", "lawn", 2},
		{"café", "cafe", 1}, // runes, not bytes
		{"日本語", "日本", 1},
		{"lee@exampel.com", "lee@example.com", 2},
	} {
		if got := Distance(c.a, c.b); got != c.d {
			t.Errorf("Distance(%q, %q) = %d, want %d", c.a, c.b, got, c.d)
		}
		if got := Distance(c.b, c.a); got != c.d {
			t.Errorf("Distance(%q, %q) = %d, want %d (symmetry)", c.b, c.a, got, c.d)
		}
	}
}

func TestClosest(t *testing.T) {
	emails := []string{"lee@example.com", "aisha@example.com", "carlos@example.com", "mei@example.com"}
	categories := []string{"Resolved", "Spam", "Follow-up needed"}
	for _, c := range []struct {
		name       string
		input      string
		candidates []string
		max        int
		want       []string
	}{
		{"typo in an email", "lee@exampel.com", emails, 3, []string{"lee@example.com"}},
		{"transposed email", "carlos@exmaple.com", emails, 3, []string{"carlos@example.com"}},
		{"nothing close", "zzz@nowhere.org", emails, 3, []string{}},
		{"a shared domain is no likeness", "nadia@example.com", emails, 3, []string{}},
		{"long names allow more typos", "Jonathon Smiht", []string{"Jonathan Smith", "Joan Smit"}, 3, []string{"Jonathan Smith"}},
		{"dropped letter", "Resolvd", categories, 3, []string{"Resolved"}},
		{"case ignored", "SPAM", categories, 3, []string{"Spam"}},
		{"prefix with a typo", "Follw", categories, 3, []string{"Follow-up needed"}},
		{"nothing like it", "Billing", categories, 3, []string{}},
		{"ties keep candidate order", "ab", []string{"ax", "xb", "ab-long"}, 3, []string{"ax", "xb", "ab-long"}},
		{"max caps the list", "ab", []string{"ax", "xb", "ay"}, 2, []string{"ax", "xb"}},
		{"far ones dropped beside a near one", "mei", []string{"lee", "mai", "mei"}, 3, []string{"mei", "mai"}},
		{"empty candidates", "x", nil, 3, []string{}},
		{"empty candidate ignored", "ab", []string{"", "ab"}, 3, []string{"ab"}},
	} {
		if got := Closest(c.input, c.candidates, c.max); !slices.Equal(got, c.want) {
			t.Errorf("%s: Closest(%q) = %q, want %q", c.name, c.input, got, c.want)
		}
	}
}

func TestClosestByUsesBestKey(t *testing.T) {
	type user struct{ name, email string }
	users := []user{{"Lee Wong", "lee@example.com"}, {"Aisha Rahman", "aisha@example.com"}}
	keys := func(u user) []string {
		return append([]string{u.name, u.email}, strings.Fields(u.name)...)
	}
	if got := ClosestBy("leee", users, keys, 3); len(got) != 1 || got[0] != users[0] {
		t.Errorf("leee: %v", got)
	}
	if got := ClosestBy("rahmen", users, keys, 3); len(got) != 1 || got[0] != users[1] {
		t.Errorf("rahmen: %v", got)
	}
}
