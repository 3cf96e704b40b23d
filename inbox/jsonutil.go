package inbox

import (
	"encoding/json"
	"fmt"
	"time"

	segjson "github.com/segmentio/encoding/json"
)

// marshalWithKind encodes v (a struct) with a leading "kind" field, in one allocation with
// room for the newline a JSON-lines writer appends. kind is one of the Kind constants:
// plain ASCII, no escaping needed.
func marshalWithKind(kind string, v any) ([]byte, error) {
	b := make([]byte, 0, 640)
	b = append(b, `{"kind":"`...)
	b = append(b, kind...)
	b = append(b, '"')
	start := len(b)
	b, err := appendItem(b, v)
	if err != nil {
		return nil, err
	}
	body := b[start:]
	if len(body) < 2 || body[0] != '{' {
		return nil, fmt.Errorf("history item: unexpected encoding %q", body)
	}
	if len(body) == 2 {
		return append(b[:start], '}'), nil
	}
	b[start] = ','
	return b, nil
}

// appendItem appends json.Marshal(v) to b. A message, encoded once per line of a
// conversation of up to millions, goes through segmentio/encoding's json, a faster drop-in
// whose output for this type is json.Marshal's byte for byte: sorted map keys, <>& and
// U+2028/2029 escaped, invalid UTF-8 as U+FFFD, the same numbers
// (TestMessageItemEncodingMatchesEncodingJSON and its fuzz test). One difference is kept
// out: it writes a time json.Marshal refuses (a year past 9999, from a hostile
// timestamp), so such an item takes json.Marshal.
func appendItem(b []byte, v any) ([]byte, error) {
	if m, ok := v.(*MessageItem); ok && m.timesEncodable() {
		return segjson.Append(b, m, segjson.EscapeHTML|segjson.SortMapKeys)
	}
	body, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	return append(b, body...), nil
}

// timesEncodable: every time of the item is UTC within years 0–9999, as time.MarshalJSON
// requires.
func (m *MessageItem) timesEncodable() bool {
	ok := func(t time.Time) bool { return t.Location() == time.UTC && t.Year() >= 0 && t.Year() <= 9999 }
	if m.Timestamp != nil && !ok(*m.Timestamp) {
		return false
	}
	for _, st := range m.Statuses {
		if !ok(st.Time) {
			return false
		}
	}
	return true
}

func str(m map[string]any, key string) string {
	if m == nil {
		return ""
	}
	switch v := m[key].(type) {
	case string:
		return v
	case float64:
		return fmt.Sprint(v)
	case json.Number:
		return v.String()
	case bool:
		return fmt.Sprint(v)
	}
	return ""
}

func sub(m map[string]any, key string) map[string]any {
	if m == nil {
		return nil
	}
	v, _ := m[key].(map[string]any)
	return v
}

func num(m map[string]any, key string) (float64, bool) {
	if m == nil {
		return 0, false
	}
	switch v := m[key].(type) {
	case float64:
		return v, true
	case int64:
		return float64(v), true
	case int:
		return float64(v), true
	case json.Number:
		f, err := v.Float64()
		return f, err == nil
	}
	return 0, false
}
