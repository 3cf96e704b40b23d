package apiclient

import (
	"strings"
	"testing"
)

// A bare number too long for an id is most likely a phone without its "+": the error says
// so (and how to write either), instead of suggesting an id; a long paste is not repeated.
func TestInvalidIdentifierHints(t *testing.T) {
	_, err := ParseContactIdentifier("60123456789")
	if err == nil || !strings.Contains(err.Error(), "+60123456789") || !strings.Contains(err.Error(), "id:60123456789") ||
		strings.Contains(err.Error(), "use an id (123)") {
		t.Errorf("10+ digits: %v", err)
	}
	long := strings.Repeat("x", 500)
	_, err = ParseContactIdentifier(long)
	if err == nil || strings.Count(err.Error(), "x") > 70 || !strings.Contains(err.Error(), "…") {
		t.Errorf("long input: %v", err)
	}
}
