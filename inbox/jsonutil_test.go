package inbox

import (
	"encoding/json"
	"math"
	"strings"
	"testing"
	"time"
)

// hostileTexts: C0, C1, DEL, bidi controls, U+2028/2029, HTML characters, invalid UTF-8
// (a summary cut inside a character, a lone surrogate's bytes), the replacement
// character, astral characters and JSON's own escapes.
var hostileTexts = []string{
	"", "plain", "Do you ship to Penang?",
	"\x00\x01\x07\x08\t\n\v\f\r\x1b[2J\x1f", "\x7f", "a\u0080b\u0085c\u009b2J\u009f",
	"\u202aLRE\u202bRLE\u202cPDF\u202dLRO\u202eRLO", "\u2066\u2067\u2068\u2069\u200e\u200f\u061c",
	"line\u2028sep\u2029para", "<script>alert('x')</script> & \"q\" \\ /",
	"caf\xc3", "\xff\xfe\xfd", "\xed\xa0\x80 lone surrogate bytes", "\xf4\x90\x80\x80 past U+10FFFF",
	"\ufffd replacement", "😀 emoji 中文 é", strings.Repeat("long ", 500),
}

var numbers = []float64{0, math.Copysign(0, -1), 1, -1, 0.1, 1.5, 1e20, 1e21, 1e-6, 1e-7, 123456789, 1234567890123456789,
	math.MaxInt64, 5e-324, math.MaxFloat64, -math.MaxFloat64, 3.1390, 101.6869, 1.0000000000000002, 2.5e-8}

func hostileMessageItems() []*MessageItem {
	t := time.Date(2025, 5, 24, 9, 11, 5, 0, time.UTC)
	odd := time.Date(2025, 5, 24, 9, 11, 5, 123456789, time.FixedZone("x", 8*3600))
	var items []*MessageItem
	for i, s := range hostileTexts {
		n := numbers[i%len(numbers)]
		body := map[string]any{"type": "text", "text": s, s: s, "n": n, "b": true, "f": false, "z": nil,
			"nested": map[string]any{"arr": []any{s, n, nil, map[string]any{}, []any{}}, "B": 1.0, "a": "x", "aa": s},
			"nums": func() []any {
				a := make([]any, len(numbers))
				for j, x := range numbers {
					a[j] = x
				}
				return a
			}()}
		m := &MessageItem{ID: int64(i) - 3, ContactID: math.MaxInt64, Timestamp: &t, TimeSource: "message", Direction: s,
			ChannelID: math.MinInt64, Channel: s, ChannelMessageID: s, Via: s, Type: s, Summary: s, Body: body,
			Status: s, Statuses: []StatusItem{{Value: s, Time: t}, {Value: "failed", Time: odd, Reason: s}}}
		if i%2 == 0 {
			m.Sender = &MessageSender{Source: s, UserID: int64(i), UserName: s, WorkflowID: int64(i % 3)}
			m.FailureReason = s
		}
		if i%3 == 0 {
			m.Timestamp, m.Statuses, m.Body = nil, nil, nil
		}
		items = append(items, m)
	}
	items = append(items, &MessageItem{}, &MessageItem{Body: map[string]any{}, Statuses: []StatusItem{}})
	return items
}

// A message item encodes to exactly json.Marshal's bytes, whatever its text and numbers.
func TestMessageItemEncodingMatchesEncodingJSON(t *testing.T) {
	for _, m := range hostileMessageItems() {
		want, werr := json.Marshal(m)
		got, gerr := appendItem(nil, m)
		if string(got) != string(want) || (werr == nil) != (gerr == nil) {
			t.Fatalf("item %d:\n got %s (%v)\nwant %s (%v)", m.ID, got, gerr, want, werr)
		}
	}
}

// A time json.Marshal cannot write (a year past 9999, from a hostile timestamp) is an
// error on both paths, not a line.
func TestMessageItemEncodingRejectsWhatEncodingJSONRejects(t *testing.T) {
	far := time.Unix(1e12, 0).UTC()
	for _, m := range []*MessageItem{{Timestamp: &far}, {Statuses: []StatusItem{{Time: far}}}, {Body: map[string]any{"n": math.NaN()}}} {
		_, werr := json.Marshal(m)
		_, gerr := appendItem(nil, m)
		if werr == nil || gerr == nil {
			t.Errorf("%+v: json.Marshal error %v, appendItem error %v", m, werr, gerr)
		}
	}
}

func FuzzMessageItemEncoding(f *testing.F) {
	for i, s := range hostileTexts {
		f.Add(s, numbers[i%len(numbers)], int64(i)*1e9)
	}
	f.Fuzz(func(t *testing.T, s string, n float64, sec int64) {
		if math.IsNaN(n) || math.IsInf(n, 0) {
			return
		}
		ts := time.Unix(sec%(250000*86400*365), 0).UTC()
		m := &MessageItem{Via: s, Summary: s, Timestamp: &ts, Body: map[string]any{s: s, "n": n, "a": []any{s, n}},
			Sender: &MessageSender{Source: s, UserName: s}, Statuses: []StatusItem{{Value: s, Time: ts, Reason: s}}}
		want, werr := json.Marshal(m)
		got, gerr := appendItem(nil, m)
		if string(got) != string(want) || (werr == nil) != (gerr == nil) {
			t.Fatalf("got %s (%v)\nwant %s (%v)", got, gerr, want, werr)
		}
	})
}

// A history item's line is {"kind":…} followed by json.Marshal's fields, for messages
// (the fast encoder) and events alike.
func TestHistoryItemJSONIsKindThenFields(t *testing.T) {
	var items []HistoryItem
	for _, m := range hostileMessageItems() {
		items = append(items, HistoryItem{Kind: KindMessage, Message: m})
	}
	items = append(items, HistoryItem{Kind: KindEvent, Event: &EventItem{ID: 4, Text: "a\u202eb <x>", Data: map[string]any{"z": 1.0, "a": "\u2028"}}},
		HistoryItem{Kind: KindStatus, StatusChange: &StatusChange{MessageID: 1, From: "sent", To: "read"}})
	for _, h := range items {
		var v any = h.Event
		kind := KindEvent
		if h.Message != nil {
			v, kind = h.Message, KindMessage
		} else if h.StatusChange != nil {
			v, kind = h.StatusChange, KindStatus
		}
		fields, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		want := `{"kind":"` + kind + `",` + string(fields[1:])
		got, err := h.MarshalJSON()
		if err != nil || string(got) != want {
			t.Fatalf("got %s (%v)\nwant %s", got, err, want)
		}
	}
}
