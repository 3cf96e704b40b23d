package store

import (
	"context"
	"testing"
)

// TestContactIDsAreNeverReused: a contact created after the highest-numbered contact was
// deleted, or merged away, gets a new id, as on the platform (SQLite alone would hand out the
// deleted row's id again).
func TestContactIDsAreNeverReused(t *testing.T) {
	s := openDemo(t)
	ctx := context.Background()
	name := func(n string) ContactWrite { return ContactWrite{FirstName: &n} }

	a, err := s.CreateContact(ctx, name("Ana"))
	if err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteContact(ctx, a); err != nil {
		t.Fatal(err)
	}
	b, err := s.CreateContact(ctx, name("Ben"))
	if err != nil {
		t.Fatal(err)
	}
	if b <= a {
		t.Fatalf("created %d after deleting %d: the id was reused", b, a)
	}
	c, err := s.CreateContact(ctx, name("Cy"))
	if err != nil {
		t.Fatal(err)
	}
	if err := s.MergeContacts(ctx, b, c, ContactWrite{}); err != nil {
		t.Fatal(err)
	}
	d, err := s.CreateContact(ctx, name("Di"))
	if err != nil {
		t.Fatal(err)
	}
	if d <= c {
		t.Fatalf("created %d after merging %d away: the id was reused", d, c)
	}
	// Deleting a lower id does not lower the high-water mark.
	if err := s.DeleteContact(ctx, 2); err != nil {
		t.Fatal(err)
	}
	e, err := s.CreateContact(ctx, name("Ed"))
	if err != nil {
		t.Fatal(err)
	}
	if e != d+1 {
		t.Fatalf("created %d after %d; want %d", e, d, d+1)
	}
}
