package apiclient

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"
)

// ContactIdentifier names a contact in API paths: "id:123", "email:jane@example.com"
// or "phone:+60123456789". Build one with ParseContactIdentifier or ContactID;
// client methods re-validate (and normalise) whatever they are given.
type ContactIdentifier string

// Identifier kinds, the part before the colon.
const (
	IdentifierID    = "id"
	IdentifierEmail = "email"
	IdentifierPhone = "phone"
)

// ContactID is the identifier of the contact with the given numeric id.
func ContactID(id int64) ContactIdentifier {
	return ContactIdentifier(IdentifierID + ":" + strconv.FormatInt(id, 10))
}

// InvalidIdentifierError is returned for input that is not a contact identifier.
// Commands treat it as a usage error: it is detected before any request.
type InvalidIdentifierError struct{ Input string }

func (e *InvalidIdentifierError) Error() string {
	input := e.Input
	if r := []rune(input); len(r) > maxShownInput {
		input = string(r[:maxShownInput]) + "…" // a pasted paragraph is not repeated in full
	}
	if in := strings.TrimSpace(e.Input); len(in) > maxBareIDDigits && len(in) <= 20 && allDigits(in) {
		// Too long for an id: most likely a phone number typed without its "+".
		return fmt.Sprintf("invalid contact identifier %q: a bare number of more than %d digits is ambiguous; "+
			"if it is a phone number, give it in E.164 with its country code (+%s); if it is a contact id, write id:%s",
			e.Input, maxBareIDDigits, in, in)
	}
	return fmt.Sprintf("invalid contact identifier %q: use an id (123), email, or phone in E.164 (+60123456789)", input)
}

// maxShownInput is how much of a rejected identifier its error repeats.
const maxShownInput = 60

// maxBareIDDigits separates bare ids from phone numbers typed without "+":
// a bare number of up to 9 digits is an id; anything longer is ambiguous (it
// looks like a phone number missing its "+") and is rejected.
const maxBareIDDigits = 9

// ParseContactIdentifier accepts, after trimming surrounding spaces:
//
//   - prefixed forms "id:<n>", "email:<address>", "phone:<number>" (prefix case-insensitive);
//   - a bare number of at most 9 digits: an id ("123" → "id:123");
//   - a bare address containing "@": an email ("jane@example.com" → "email:jane@example.com");
//   - a bare number starting with "+": a phone, where spaces, dashes, dots and
//     parentheses are dropped ("+60 12-345 6789" → "phone:+60123456789").
//
// Ids must be positive integers (leading zeros are dropped). Phones must be
// E.164: "+", then 7 to 15 digits not starting with 0. Anything else is an
// *InvalidIdentifierError.
func ParseContactIdentifier(s string) (ContactIdentifier, error) {
	in := strings.TrimSpace(s)
	bad := &InvalidIdentifierError{Input: s}
	kind, rest, prefixed := strings.Cut(in, ":")
	if prefixed {
		kind = strings.ToLower(kind)
		rest = strings.TrimSpace(rest)
		var v string
		var ok bool
		switch kind {
		case IdentifierID:
			v, ok = normaliseID(rest)
		case IdentifierEmail:
			v, ok = rest, validEmail(rest)
		case IdentifierPhone:
			v, ok = normalisePhone(rest)
		default:
			return "", bad
		}
		if !ok {
			return "", bad
		}
		return ContactIdentifier(kind + ":" + v), nil
	}
	switch {
	case in == "":
		return "", bad
	case allDigits(in):
		if len(in) > maxBareIDDigits {
			return "", bad
		}
		if v, ok := normaliseID(in); ok {
			return ContactIdentifier(IdentifierID + ":" + v), nil
		}
	case strings.Contains(in, "@"):
		if validEmail(in) {
			return ContactIdentifier(IdentifierEmail + ":" + in), nil
		}
	case in[0] == '+':
		if v, ok := normalisePhone(in); ok {
			return ContactIdentifier(IdentifierPhone + ":" + v), nil
		}
	}
	return "", bad
}

// String is the canonical form, e.g. "id:123".
func (c ContactIdentifier) String() string { return string(c) }

// Kind is "id", "email" or "phone" ("" for an invalid identifier).
func (c ContactIdentifier) Kind() string {
	k, _, ok := strings.Cut(string(c), ":")
	if !ok {
		return ""
	}
	return k
}

// Value is the part after the kind: the number, address or E.164 phone.
func (c ContactIdentifier) Value() string {
	_, v, _ := strings.Cut(string(c), ":")
	return v
}

// ID returns the numeric id of an "id:" identifier.
func (c ContactIdentifier) ID() (int64, bool) {
	if c.Kind() != IdentifierID {
		return 0, false
	}
	n, err := strconv.ParseInt(c.Value(), 10, 64)
	return n, err == nil
}

// PathSegment is the identifier escaped for use as one URL path segment.
func (c ContactIdentifier) PathSegment() string { return url.PathEscape(string(c)) }

// canonical validates and normalises an identifier handed to a client method.
func (c ContactIdentifier) canonical() (ContactIdentifier, error) {
	return ParseContactIdentifier(string(c))
}

func allDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

func normaliseID(s string) (string, bool) {
	if !allDigits(s) {
		return "", false
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n <= 0 {
		return "", false
	}
	return strconv.FormatInt(n, 10), true
}

// normalisePhone drops the separators people type and checks E.164.
func normalisePhone(s string) (string, bool) {
	if !strings.HasPrefix(s, "+") {
		return "", false
	}
	var b strings.Builder
	b.WriteByte('+')
	for i := 1; i < len(s); i++ {
		switch ch := s[i]; {
		case ch >= '0' && ch <= '9':
			b.WriteByte(ch)
		case ch == ' ' || ch == '-' || ch == '.' || ch == '(' || ch == ')':
		default:
			return "", false
		}
	}
	digits := b.String()[1:]
	if len(digits) < 7 || len(digits) > 15 || digits[0] == '0' {
		return "", false
	}
	return b.String(), true
}

// validEmail is deliberately loose (the server is the authority) but rejects
// what cannot be an address or would be unsafe in a path: whitespace, control
// characters, quotes, colons, slashes, a missing local part or domain.
func validEmail(s string) bool {
	local, domain, ok := strings.Cut(s, "@")
	if !ok || local == "" || domain == "" || len(s) > 254 || strings.Contains(domain, "@") {
		return false
	}
	if domain[0] == '.' || domain[len(domain)-1] == '.' || strings.Contains(domain, "..") {
		return false
	}
	for _, r := range s {
		switch {
		case r <= ' ' || r == 0x7f:
			return false
		case strings.ContainsRune(`"(),:;<>[\]/?#%`, r):
			return false
		case r == 0xfffd: // invalid UTF-8 decodes to this; keep identifiers valid text
			return false
		}
	}
	for _, r := range domain {
		if r < 0x80 && !(r == '.' || r == '-' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z') {
			return false
		}
	}
	return true
}
