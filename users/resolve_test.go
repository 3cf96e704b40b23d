package users

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/respondctl/respondctl/apiclient"
)

var testUsers = []User{
	{ID: 7, Name: "Lee Wong", Email: "lee@example.com"},
	{ID: 8, Name: "Alice Tan", Email: "alice.tan@example.com"},
	{ID: 9, Name: "Alice Brown", Email: "abrown@example.com"},
	{ID: 10, Name: "Bob Lim", Email: "bob@example.com"},
	{ID: 11, Name: "Lee Wongsa", Email: "lws@example.com"},
}

func TestResolve(t *testing.T) {
	me := &User{ID: 10, Name: "Bob Lim", Email: "bob@example.com"}
	for q, want := range map[string]int64{
		"me": 10, "ME": 10, "7": 7, "id:8": 8, "LEE@example.com": 7, "lee wong": 7,
		"bob": 10, "alice.t": 8, "abrown": 9, "Brown": 9, "lws": 11,
	} {
		u, err := Resolve(testUsers, q, me)
		if err != nil || u.ID != want {
			t.Errorf("Resolve(%q) = %v, %v; want id %d", q, u, err, want)
		}
	}
}

func TestResolveUserAmbiguousListsCandidates(t *testing.T) {
	_, err := Resolve(testUsers, "alice", nil)
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
	if _, err := Resolve(testUsers, "lee", nil); !errors.As(err, &amb) {
		t.Errorf("lee should be ambiguous, got %v", err)
	}
}

func TestResolveUserUnknownSuggests(t *testing.T) {
	_, err := Resolve(testUsers, "alcie", nil)
	var unk *UnknownUserError
	if !errors.As(err, &unk) || len(unk.Suggestions) == 0 || unk.Suggestions[0].ID != 8 && unk.Suggestions[0].ID != 9 {
		t.Fatalf("err = %v", err)
	}
	if !strings.Contains(err.Error(), "did you mean") {
		t.Errorf("message %q", err)
	}
	_, err = Resolve(testUsers, "zzzzzzzz", nil)
	if !errors.As(err, &unk) || len(unk.Suggestions) != 0 {
		t.Fatalf("err = %v", err)
	}
	if _, err := Resolve(testUsers, "99", nil); !errors.As(err, &unk) {
		t.Errorf("unknown id: %v", err)
	}
	if _, err := Resolve(testUsers, "me", nil); err == nil {
		t.Error("me without a current user must fail")
	}
}

func TestResolveUnknownEmailSuggestsEmails(t *testing.T) {
	_, err := Resolve(testUsers, "lee@exampel.com", nil)
	if err == nil || !strings.Contains(err.Error(), "did you mean lee@example.com?") {
		t.Fatalf("err = %v", err)
	}
}

func TestResolveAllCollapsesDuplicates(t *testing.T) {
	got, err := ResolveAll(testUsers, []string{"lee wong", "7", "bob"}, nil)
	if err != nil || len(got) != 2 || got[0].ID != 7 || got[1].ID != 10 {
		t.Fatalf("got %v, %v", got, err)
	}
	if _, err := ResolveAll(testUsers, []string{"bob", "alice"}, nil); err == nil {
		t.Fatal("an ambiguous value must fail the whole list")
	}
}

func TestDirectoryListsOnce(t *testing.T) {
	calls := 0
	d := NewDirectory(func(context.Context) ([]apiclient.User, error) {
		calls++
		if calls == 1 {
			return nil, errors.New("flaky")
		}
		return []apiclient.User{{ID: 7, FirstName: "Lee", LastName: "Wong", Email: "lee@example.com"}}, nil
	})
	ctx := context.Background()
	if _, err := d.List(ctx); err == nil {
		t.Fatal("first listing should fail")
	}
	for range 3 {
		if l, err := d.List(ctx); err != nil || len(l) != 1 {
			t.Fatalf("List = %v, %v", l, err)
		}
	}
	if calls != 2 {
		t.Fatalf("listed %d times, want 2 (a failure is not kept, a success is)", calls)
	}
	u, err := Lookup([]apiclient.User{{ID: 7, FirstName: "Lee", LastName: "Wong", Email: "lee@example.com", Role: "agent"}}, "Lee Wong", nil)
	if err != nil || u.Role != "agent" {
		t.Fatalf("Lookup = %+v, %v", u, err)
	}
}
