package apiclient

import (
	"bytes"
	"context"
	"unicode/utf8"

	gojson "github.com/goccy/go-json"
	"github.com/valyala/fastjson"
)

// Reading a whole conversation decodes one message page per 100 messages, and that decode
// is most of the client's CPU (encoding/json's reflection, run once for the page, again
// inside Message.UnmarshalJSON and again for each body). decodeMessagePageFast decodes
// the common page (the ids typed as the SDK types them) in one pass with goccy/go-json, a
// faster drop-in decoder; anything it does not take, or might read differently, goes
// through the encoding/json path, whose results and errors stay the reference.

// fastMessage is Message without the liberal readers: a page it cannot decode takes the
// encoding/json path, which reads string ids and reports errors.
type fastMessage struct {
	MessageID        int64           `json:"messageId"`
	ChannelMessageID string          `json:"channelMessageId"`
	ContactID        int64           `json:"contactId"`
	ChannelID        int64           `json:"channelId"`
	Traffic          string          `json:"traffic"`
	Message          fastBody        `json:"message"`
	Sender           *fastSender     `json:"sender"`
	Status           []MessageStatus `json:"status"`
	Timestamp        *int64          `json:"timestamp"`
}

// fastBody keeps a body's bytes (a copy) for the second step; anything but an object or
// null, at any occurrence of the key, sends the page to the reference path, which rejects
// it (a later duplicate key must not hide an earlier bad value).
type fastBody struct {
	raw []byte
	bad bool
}

func (b *fastBody) UnmarshalJSON(data []byte) error {
	switch {
	case len(data) > 0 && data[0] == '{':
		b.raw = append(b.raw[:0:0], data...)
	case bytes.Equal(data, []byte("null")):
		b.raw = nil
	default:
		b.bad = true
	}
	return nil
}

type fastSender struct {
	Source             string `json:"source"`
	UserID             int64  `json:"userId"`
	TeamID             int64  `json:"teamId"`
	WorkflowID         int64  `json:"workflowId"`
	BroadcastHistoryID int64  `json:"broadcastHistoryId"`
}

type fastMessagePage struct {
	Items      []fastMessage `json:"items"`
	Pagination Pagination    `json:"pagination"`
}

// decodeMessagePageFast returns the page, or false to send it through encoding/json.
// goccy/go-json accepts some text that is not JSON (01, 1., a raw tab in a string, "tru"),
// so the page must first pass a strict syntax check: valyala/fastjson's, which says what
// encoding/json's json.Valid says (TestMessagePageSyntaxCheckMatchesEncodingJSON and
// FuzzMessagePageSyntaxCheck) in about 40% of its time.
// Answers that are not valid UTF-8 or that escape a surrogate (\uD800–\uDFFF) take the
// reference path too: encoding/json replaces what is invalid in them with U+FFFD, and
// that replacement is its behaviour to keep, not one to re-create.
func decodeMessagePageFast(body []byte) (*Page[Message], bool) {
	// JSON's own whitespace around the value (an encoder's trailing newline) is not one of
	// the control bytes that matter; Unicode spaces are not JSON whitespace and stay.
	body = bytes.Trim(body, " \t\r\n")
	if !utf8.Valid(body) || bytes.Contains(body, []byte(`\uD`)) || bytes.Contains(body, []byte(`\ud`)) ||
		needsReferencePath(body) || fastjson.ValidateBytes(body) != nil {
		return nil, false
	}
	var fp fastMessagePage
	if gojson.Unmarshal(body, &fp) != nil {
		return nil, false
	}
	p := &Page[Message]{Items: make([]Message, len(fp.Items)), Pagination: fp.Pagination}
	for i := range fp.Items {
		f := &fp.Items[i]
		m := &p.Items[i]
		*m = Message{MessageID: f.MessageID, ChannelMessageID: f.ChannelMessageID, ContactID: f.ContactID,
			ChannelID: f.ChannelID, Traffic: f.Traffic, Status: f.Status, Timestamp: f.Timestamp}
		if f.Sender != nil {
			s := MessageSender(*f.Sender)
			m.Sender = &s
		}
		if f.Message.bad {
			return nil, false
		}
		if raw := f.Message.raw; raw != nil {
			var fields map[string]any
			if gojson.Unmarshal(raw, &fields) != nil {
				return nil, false
			}
			typ, ok := fields["type"].(string)
			if !ok && fields["type"] != nil {
				return nil, false // the reference path reports it
			}
			m.Message = MessageBody{Type: typ, Raw: raw, fields: fields}
		}
	}
	return p, true
}

// needsReferencePath reports what the fast path leaves to encoding/json:
//   - a byte below 0x20. The servers answer compact JSON, where none occurs (outside
//     strings only whitespace may, inside strings none may), but fastjson lets a raw
//     control byte through in a string that also holds an escape ("\x04\\b");
//   - a run of 19 or more digits: a number that may not fit an int64, which goccy reads
//     without an error where encoding/json refuses it (ids that long take the reference
//     path too, correctly and more slowly).
func needsReferencePath(b []byte) bool {
	digits := 0
	for _, c := range b {
		switch {
		case c < 0x20:
			return true
		case c >= '0' && c <= '9':
			if digits++; digits >= 19 {
				return true
			}
		default:
			digits = 0
		}
	}
	return false
}

// doMessagePage is doPage for a message page: the fast decode, or the reference one.
func doMessagePage(ctx context.Context, c *Client, cl *call) (*Page[Message], error) {
	resp, err := c.send(ctx, cl)
	if err != nil {
		return nil, err
	}
	if p, ok := decodeMessagePageFast(resp.body); ok {
		return p, nil
	}
	return pageFromBody[Message](cl, resp)
}
