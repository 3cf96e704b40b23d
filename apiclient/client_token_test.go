package apiclient

import (
	"strings"
	"testing"
)

// A token with a control character is refused before any request, without echoing it.
func TestNewRefusesTokenWithControlCharacter(t *testing.T) {
	_, err := New(Options{BaseURL: "http://127.0.0.1:1/v2", Token: "secret-tok\x1b[0m"})
	if err == nil || !strings.Contains(err.Error(), "control character (byte 11 of 14)") || strings.Contains(err.Error(), "secret") {
		t.Fatalf("err = %v", err)
	}
	if _, err := New(Options{BaseURL: "http://127.0.0.1:1/v2", Token: "plain-token"}); err != nil {
		t.Fatalf("plain token: %v", err)
	}
}
