package actions

import (
	"errors"
	"strings"
	"testing"
)

var testUsers = []UserRef{
	{ID: 7, Name: "Lee Wong", Email: "lee@example.com"},
	{ID: 8, Name: "Alice Tan", Email: "alice.tan@example.com"},
	{ID: 9, Name: "Alice Brown", Email: "abrown@example.com"},
	{ID: 10, Name: "Bob Lim", Email: "bob@example.com"},
	{ID: 11, Name: "Lee Wongsa", Email: "lws@example.com"},
}

func TestResolveUser(t *testing.T) {
	me := &UserRef{ID: 10, Name: "Bob Lim", Email: "bob@example.com"}
	for q, want := range map[string]int64{
		"me": 10, "ME": 10, "7": 7, "id:8": 8, "LEE@example.com": 7, "lee wong": 7,
		"bob": 10, "alice.t": 8, "abrown": 9, "Brown": 9, "lws": 11,
	} {
		u, err := ResolveUser(testUsers, q, me)
		if err != nil || u.ID != want {
			t.Errorf("ResolveUser(%q) = %v, %v; want id %d", q, u, err, want)
		}
	}
}

func TestResolveUserAmbiguousListsCandidates(t *testing.T) {
	_, err := ResolveUser(testUsers, "alice", nil)
	var amb *AmbiguousUserError
	if !errors.As(err, &amb) || len(amb.Candidates) != 2 {
		t.Fatalf("err = %v", err)
	}
	msg := err.Error()
	for _, want := range []string{`"alice" matches 2 users`, "Alice Tan <alice.tan@example.com> (id 8)", "Alice Brown"} {
		if !strings.Contains(msg, want) {
			t.Errorf("message %q lacks %q", msg, want)
		}
	}
	if _, err := ResolveUser(testUsers, "lee", nil); !errors.As(err, &amb) {
		t.Errorf("lee should be ambiguous, got %v", err)
	}
}

func TestResolveUserUnknownSuggests(t *testing.T) {
	_, err := ResolveUser(testUsers, "alcie", nil)
	var unk *UnknownUserError
	if !errors.As(err, &unk) || len(unk.Suggestions) == 0 || unk.Suggestions[0].ID != 8 && unk.Suggestions[0].ID != 9 {
		t.Fatalf("err = %v", err)
	}
	if !strings.Contains(err.Error(), "did you mean") {
		t.Errorf("message %q", err)
	}
	_, err = ResolveUser(testUsers, "zzzzzzzz", nil)
	if !errors.As(err, &unk) || len(unk.Suggestions) != 0 {
		t.Fatalf("err = %v", err)
	}
	if _, err := ResolveUser(testUsers, "99", nil); !errors.As(err, &unk) {
		t.Errorf("unknown id: %v", err)
	}
	if _, err := ResolveUser(testUsers, "me", nil); err == nil {
		t.Error("me without a current user must fail")
	}
}

func TestResolveCategory(t *testing.T) {
	known := []string{"Resolved", "Spam", "Follow-up needed"}
	if c, err := ResolveCategory(known, "resolved"); err != nil || c != "Resolved" {
		t.Errorf("got %q %v", c, err)
	}
	if c, err := ResolveCategory(known, ""); err != nil || c != "" {
		t.Errorf("empty: %q %v", c, err)
	}
	_, err := ResolveCategory(known, "Resolvd")
	var unk *UnknownCategoryError
	if !errors.As(err, &unk) || len(unk.Suggestions) != 1 || unk.Suggestions[0] != "Resolved" {
		t.Fatalf("err = %v", err)
	}
	_, err = ResolveCategory(known, "Billing")
	if err == nil || !strings.Contains(err.Error(), "known categories") {
		t.Errorf("err = %v", err)
	}
}
