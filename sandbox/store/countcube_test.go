package store

import (
	"context"
	"encoding/json"
	"testing"
	"time"
)

// cubeFilters are view shapes the maintained counts answer.
var cubeFilters = []string{
	``,
	`{"$and":[]}`,
	`{"$and":[{"category":"contactField","field":"status","operator":"isEqualTo","value":"open"}]}`,
	`{"$and":[{"category":"contactField","field":"status","operator":"isEqualTo","value":"open"},{"category":"contactField","field":"assigneeUserId","operator":"isEqualTo","value":"1"}]}`,
	`{"$and":[{"category":"contactField","field":"status","operator":"isEqualTo","value":"open"},{"category":"contactField","field":"assigneeUserId","operator":"doesNotExist","value":null}]}`,
	`{"$and":[{"category":"contactTag","field":null,"operator":"hasAnyOf","value":["vip"]},{"category":"contactField","field":"status","operator":"isEqualTo","value":"open"}]}`,
	`{"$and":[{"category":"contactTag","field":null,"operator":"hasAnyOf","value":["VIP"]},{"category":"contactField","field":"assigneeUserId","operator":"exists","value":null}]}`,
	`{"$and":[{"category":"lifecycle","field":null,"operator":"isEqualTo","value":"hot lead"}]}`,
	`{"$and":[{"category":"contactField","field":"countryCode","operator":"isNotEqualTo","value":"MY"}]}`,
	`{"$and":[{"category":"contactField","field":"status","operator":"isEqualTo","value":"pending"}]}`,
}

func checkCube(t *testing.T, s *Store, when string) {
	t.Helper()
	ctx := context.Background()
	for _, f := range cubeFilters {
		q := ContactQuery{Filter: json.RawMessage(f), Ext: true}
		if _, _, ok := cubeCountSQL(q); !ok {
			t.Fatalf("%s: filter not answered from the cube: %s", when, f)
		}
		gotN, gotU, err := s.CountContacts(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		query, args, err := countSQL(q)
		if err != nil {
			t.Fatal(err)
		}
		var wantN, wantU int64
		if err := s.DB().QueryRow(query, args...).Scan(&wantN, &wantU); err != nil {
			t.Fatal(err)
		}
		if gotN != wantN || gotU != wantU {
			t.Errorf("%s: %s: cube %d/%d, scan %d/%d", when, f, gotN, gotU, wantN, wantU)
		}
	}
}

func TestCountCubeMatchesScan(t *testing.T) {
	s := openDemo(t)
	checkCube(t, s, "after seeding")
	db := s.DB()
	for _, q := range []string{
		`UPDATE contacts SET assignee_id = 2 WHERE id % 7 = 0`,
		`UPDATE contacts SET status = 'close', unread_count = 0 WHERE id % 11 = 0`,
		`UPDATE contacts SET unread_count = 4 WHERE id % 5 = 0 AND status = 'open'`,
		`UPDATE contacts SET lifecycle = 'Hot Lead', country_code = 'SG' WHERE id % 13 = 0`,
		`INSERT OR IGNORE INTO contact_tags (contact_id, tag) SELECT id, 'vip' FROM contacts WHERE id % 3 = 0`,
		`DELETE FROM contact_tags WHERE tag = 'vip' AND contact_id % 4 = 0`,
		`INSERT INTO contacts (id, first_name, status, assignee_id, unread_count, created_at) VALUES (7001, 'New', 'open', NULL, 2, 0)`,
		`INSERT INTO contact_tags (contact_id, tag) VALUES (7001, 'VIP')`,
		`DELETE FROM contacts WHERE id % 17 = 0`,
		`DELETE FROM contact_tags WHERE contact_id % 17 = 0`,
	} {
		if _, err := db.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		checkCube(t, s, q)
	}
}

// Filters the cube cannot answer go to the contacts.
func TestCountCubeDeclinesOtherFilters(t *testing.T) {
	for _, q := range []ContactQuery{
		{Search: "aisha"},
		{Filter: json.RawMessage(`{"$or":[{"category":"contactField","field":"status","operator":"isEqualTo","value":"open"}]}`)},
		{Filter: json.RawMessage(`{"$and":[{"category":"contactTag","field":null,"operator":"hasAnyOf","value":["vip","b2b"]}]}`)},
		{Filter: json.RawMessage(`{"$and":[{"category":"contactTag","field":null,"operator":"hasNoneOf","value":["vip"]}]}`)},
		{Filter: json.RawMessage(`{"$and":[{"category":"contactField","field":"firstName","operator":"isEqualTo","value":"Aisha"}]}`)},
		{Filter: json.RawMessage(`{"$and":[{"category":"contactField","field":"order_id","operator":"exists","value":null}]}`)},
		{Filter: json.RawMessage(`{"$and":[{"category":"contactField","field":"unread","operator":"isGreaterThan","value":0}]}`), Ext: true},
	} {
		if sql, _, ok := cubeCountSQL(q); ok {
			t.Errorf("%+v answered from the cube: %s", q, sql)
		}
	}
}

// After a bulk seed the cube is filled by GROUP BY rather than by the triggers.
func TestCountCubeAfterBulkSeed(t *testing.T) {
	s, err := Open(context.Background(), ":memory:", "large:400", func() time.Time { return fixedNow })
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	checkCube(t, s, "after a bulk seed")
	if _, err := s.DB().Exec(`UPDATE contacts SET status = 'pending' WHERE id % 3 = 0`); err != nil {
		t.Fatal(err)
	}
	checkCube(t, s, "after an update")
}

// The contact-detail writes (create, update, tags, lifecycle, merge, delete, workspace tag
// rename and delete) keep the maintained counts equal to a scan.
func TestCountCubeFollowsContactDetailWrites(t *testing.T) {
	s := openDemo(t)
	ctx := context.Background()
	str := func(v string) *string { return &v }
	steps := []struct {
		name string
		run  func() error
	}{
		{"create", func() error {
			_, err := s.CreateContact(ctx, ContactWrite{FirstName: str("Cube"), Email: Optional{Set: true, Value: str("cube@example.com")}})
			return err
		}},
		{"update country", func() error {
			_, err := s.UpdateContact(ctx, 3, ContactWrite{CountryCode: Optional{Set: true, Value: str("SG")}})
			return err
		}},
		{"tag", func() error { _, err := s.ChangeTags(ctx, 4, []string{"vip", "VIP"}, true); return err }},
		{"untag", func() error { _, err := s.ChangeTags(ctx, 4, []string{"vip"}, false); return err }},
		{"lifecycle", func() error { _, err := s.SetLifecycle(ctx, 5, str("Hot Lead")); return err }},
		{"lifecycle clear", func() error { _, err := s.SetLifecycle(ctx, 6, nil); return err }},
		{"merge", func() error { return s.MergeContacts(ctx, 7, 8, ContactWrite{}) }},
		{"delete", func() error { return s.DeleteContact(ctx, 9) }},
		{"rename tag", func() error {
			_, _, err := s.UpdateTag(ctx, TagUpdate{CurrentName: "vip", Name: str("VIP")})
			return err
		}},
		{"delete tag", func() error { _, err := s.DeleteTag(ctx, "VIP"); return err }},
	}
	for _, st := range steps {
		if err := st.run(); err != nil {
			t.Fatalf("%s: %v", st.name, err)
		}
		checkCube(t, s, st.name)
	}
}

// On a core-only server a contact left pending or snoozed reads as open, so a status filter
// for open matches it too; with the extensions the statuses stay apart.
func TestCoreOnlyStatusOpenMatchesWhatContactsShow(t *testing.T) {
	s := openDemo(t)
	open := json.RawMessage(`{"$and":[{"category":"contactField","field":"status","operator":"isEqualTo","value":"open"}]}`)
	count := func(ext bool) int64 {
		n, _, err := s.CountContacts(context.Background(), ContactQuery{Filter: open, Ext: ext})
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	var shownOpen, stored int64
	s.DB().QueryRow(`SELECT COUNT(*) FROM contacts WHERE status IN ('open','pending','snoozed')`).Scan(&shownOpen)
	s.DB().QueryRow(`SELECT COUNT(*) FROM contacts WHERE status = 'open'`).Scan(&stored)
	if shownOpen == stored {
		t.Fatal("the demo seed has no pending or snoozed contacts: the test proves nothing")
	}
	if got := count(false); got != shownOpen {
		t.Errorf("core-only open: %d, want %d (open, pending and snoozed)", got, shownOpen)
	}
	if got := count(true); got != stored {
		t.Errorf("EXT open: %d, want %d", got, stored)
	}
}
