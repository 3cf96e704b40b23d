package actions

import (
	"context"
	"reflect"
	"strings"
	"testing"
)

// A contact named twice in different forms is sent to once: the later form is dropped with a
// notice; an identifier that cannot be looked up is kept; only-id lists make no request.
func TestCollapseSameContact(t *testing.T) {
	f := newFake()
	aisha := &Contact{ID: 1, Name: "Aisha"}
	ben := &Contact{ID: 2, Name: "Ben"}
	f.contacts["phone:+60123456789"] = aisha
	f.contacts["email:ben@example.com"] = ben
	kept, notices := CollapseSameContact(context.Background(), f,
		targetsOf("id:1", "phone:+60123456789", "email:ben@example.com", "id:2", "phone:+44000", "id:3"))
	var ids []string
	for _, k := range kept {
		ids = append(ids, k.ID)
	}
	if want := []string{"id:1", "email:ben@example.com", "phone:+44000", "id:3"}; !reflect.DeepEqual(ids, want) {
		t.Fatalf("kept %v, want %v", ids, want)
	}
	if len(notices) != 2 || !strings.Contains(notices[0], "phone:+60123456789 is contact 1, listed already as id:1") ||
		!strings.Contains(notices[1], "id:2 is contact 2, listed already as email:ben@example.com") {
		t.Fatalf("notices %q", notices)
	}

	// Only ids: nothing is looked up (the fake knows none of them) and nothing is dropped.
	only := targetsOf("id:7", "id:8")
	if kept, notices := CollapseSameContact(context.Background(), newFake(), only); len(kept) != 2 || notices != nil {
		t.Fatalf("ids only: kept %v, notices %q", kept, notices)
	}
}
