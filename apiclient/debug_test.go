package apiclient

import (
	"context"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/respondctl/respondctl/apiclient/httpmock"
)

// TestDebugTraceTruncationKeepsTokenHidden: a body is cut at traceBodyLimit
// after the token is redacted, so a token straddling the cut leaves no prefix
// behind, and the cut never splits a UTF-8 character.
func TestDebugTraceTruncationKeepsTokenHidden(t *testing.T) {
	reg := &httpmock.Registry{}
	defer reg.Verify(t)
	var trace syncBuffer
	c, _ := newMockClient(t, reg, func(o *Options) { o.Debug = &trace })
	reg.Register(httpmock.REST("POST", "contact/id:1/message"), httpmock.StringResponse(`{"messageId":1}`))
	reg.Register(httpmock.REST("POST", "contact/id:1/message"), httpmock.StringResponse(`{"messageId":2}`))

	// The JSON body starts with `{"message":{"type":"text","text":"`.
	pad := traceBodyLimit - len(`{"message":{"type":"text","text":"`)
	for _, text := range []string{
		// 18 of the token's 25 bytes before the cut.
		strings.Repeat("x", pad-18) + testToken + strings.Repeat("x", 100),
		// The cut falls inside a two-byte "é".
		strings.Repeat("x", pad-1) + strings.Repeat("é", 100),
	} {
		if _, err := c.SendMessage(context.Background(), "1", SendMessageRequest{Message: TextMessage(text)}); err != nil {
			t.Fatal(err)
		}
	}
	out := trace.String()
	if half := testToken[:len(testToken)/2]; strings.Contains(out, half) {
		t.Errorf("trace shows the token's first half %q", half)
	}
	if !utf8.ValidString(out) {
		t.Error("trace cut a UTF-8 character in two")
	}
	if !strings.Contains(out, "bytes, truncated)") {
		t.Errorf("body not truncated:\n%s", out)
	}
}
