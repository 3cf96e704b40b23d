package apiclient

import (
	"errors"
	"strings"
	"testing"
)

func TestParseContactIdentifier(t *testing.T) {
	tests := []struct {
		in   string
		want ContactIdentifier
	}{
		{"123", "id:123"},
		{" 42 ", "id:42"},
		{"007", "id:7"},
		{"999999999", "id:999999999"},
		{"id:123", "id:123"},
		{"ID:5", "id:5"},
		{"id:9223372036854775807", "id:9223372036854775807"},
		{"jane@example.com", "email:jane@example.com"},
		{"email:jane@example.com", "email:jane@example.com"},
		{"Email:Jane.Doe+tag@Example.co.uk", "email:Jane.Doe+tag@Example.co.uk"},
		{"+60123456789", "phone:+60123456789"},
		{"+60 12-345 6789", "phone:+60123456789"},
		{"+1 (415) 555-0100", "phone:+14155550100"},
		{"phone:+60123456789", "phone:+60123456789"},
		{"phone:+60 12.345.6789", "phone:+60123456789"},
	}
	for _, tt := range tests {
		got, err := ParseContactIdentifier(tt.in)
		if err != nil {
			t.Errorf("ParseContactIdentifier(%q): %v", tt.in, err)
			continue
		}
		if got != tt.want {
			t.Errorf("ParseContactIdentifier(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestParseContactIdentifierRejects(t *testing.T) {
	for _, in := range []string{
		"", "foo", "1234567890", "60123456789", "id:", "id:abc", "id:0", "id:-1", "id:99999999999999999999",
		"email:", "email:nobody", "@example.com", "jane@", "jane@@x.com", "ja ne@x.com", "jane@x..com",
		"jane@.x.com", "a/b@x.com", "phone:60123456789", "phone:+", "+0123456789", "+12", "+1234567890123456",
		"+60 12x345", "name:jane", "12 34", "-5",
	} {
		_, err := ParseContactIdentifier(in)
		var ie *InvalidIdentifierError
		if !errors.As(err, &ie) {
			t.Errorf("ParseContactIdentifier(%q): want InvalidIdentifierError, got %v", in, err)
			continue
		}
		if strings.Contains(err.Error(), "\n") {
			t.Errorf("error is not one line: %q", err)
		}
	}
	_, err := ParseContactIdentifier("foo")
	want := `invalid contact identifier "foo": use an id (123), email, or phone in E.164 (+60123456789)`
	if err == nil || err.Error() != want {
		t.Errorf("error = %v, want %s", err, want)
	}
}

func TestContactIdentifierAccessors(t *testing.T) {
	id := ContactID(77)
	if id.String() != "id:77" || id.Kind() != IdentifierID || id.Value() != "77" {
		t.Errorf("ContactID(77) = %q kind %q value %q", id, id.Kind(), id.Value())
	}
	if n, ok := id.ID(); !ok || n != 77 {
		t.Errorf("ID() = %d, %v", n, ok)
	}
	e := ContactIdentifier("email:jane@example.com")
	if _, ok := e.ID(); ok {
		t.Error("email identifier reported an id")
	}
	if got := ContactIdentifier("phone:+60123456789").PathSegment(); got != "phone:+60123456789" {
		t.Errorf("PathSegment = %q", got)
	}
	if got := ContactIdentifier("email:a+b@x.com").PathSegment(); strings.Contains(got, "/") {
		t.Errorf("PathSegment = %q", got)
	}
}

func FuzzParseContactIdentifier(f *testing.F) {
	for _, s := range []string{"123", "id:1", "jane@example.com", "+60 12-345 6789", "phone:+60123456789",
		"email:a@b", "foo", "", "id:007", "Email:X@Y.z", "+1 (415) 555-0100"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		id, err := ParseContactIdentifier(s)
		if err != nil {
			if id != "" {
				t.Fatalf("error with non-empty identifier %q", id)
			}
			if strings.Contains(err.Error(), "\n") && !strings.Contains(s, "\n") {
				t.Fatalf("multi-line error %q", err)
			}
			return
		}
		again, err := ParseContactIdentifier(id.String())
		if err != nil {
			t.Fatalf("round trip of %q (from %q): %v", id, s, err)
		}
		if again != id {
			t.Fatalf("round trip of %q gave %q", id, again)
		}
		switch id.Kind() {
		case IdentifierID, IdentifierEmail, IdentifierPhone:
		default:
			t.Fatalf("kind %q", id.Kind())
		}
		if strings.Contains(id.PathSegment(), "/") {
			t.Fatalf("path segment %q contains a slash", id.PathSegment())
		}
	})
}
