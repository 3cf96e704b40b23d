// Package webhook verifies and parses the webhooks the platform sends
// (../shared/platform-api.md, "Webhooks"): an HMAC-SHA256 signature of the raw
// body in X-Webhook-Signature, and one compact JSON object per event with
// event_type and event_id at the top level. It knows nothing of the mirror,
// the client or the command line.
package webhook

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"strings"
)

// SignatureHeader is the header carrying the signature.
const SignatureHeader = "X-Webhook-Signature"

// MaxBodyBytes is the largest body a receiver accepts (larger: 413).
const MaxBodyBytes = 1 << 20

// Sign returns the signature the platform sends for body: standard base64 (padded)
// of HMAC-SHA256 keyed with the key string's bytes as they are.
func Sign(key string, body []byte) string {
	m := hmac.New(sha256.New, []byte(key))
	m.Write(body)
	return base64.StdEncoding.EncodeToString(m.Sum(nil))
}

// Keys is the set of signing keys a receiver accepts (one per webhook).
type Keys struct{ keys [][]byte }

// ErrNoKeys is returned by NewKeys when no usable key is given.
var ErrNoKeys = errors.New("no signing key: pass --signing-key, --signing-keys-file or set webhook_signing_keys in the profile")

// NewKeys builds the set, ignoring blank entries and surrounding spaces.
func NewKeys(keys ...string) (Keys, error) {
	var k Keys
	seen := map[string]bool{}
	for _, s := range keys {
		s = strings.TrimSpace(s)
		if s == "" || seen[s] {
			continue
		}
		seen[s] = true
		k.keys = append(k.keys, []byte(s))
	}
	if len(k.keys) == 0 {
		return Keys{}, ErrNoKeys
	}
	return k, nil
}

// ParseKeysFile reads keys one per line; blank lines and lines starting with # are skipped.
func ParseKeysFile(data []byte) []string {
	var out []string
	for _, line := range strings.Split(string(data), "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		out = append(out, line)
	}
	return out
}

// Len is the number of keys.
func (k Keys) Len() int { return len(k.keys) }

// Verify reports whether signature (the header value) is the signature of body under
// any of the keys. Every key is tried whatever the outcome, and each comparison is
// constant-time, so the time taken says nothing about which key or how many bytes matched.
func (k Keys) Verify(body []byte, signature string) bool {
	got, err := base64.StdEncoding.DecodeString(strings.TrimSpace(signature))
	if err != nil || len(got) != sha256.Size {
		return false
	}
	ok := 0
	for _, key := range k.keys {
		m := hmac.New(sha256.New, key)
		m.Write(body)
		if hmac.Equal(m.Sum(nil), got) {
			ok = 1
		}
	}
	return ok == 1
}
