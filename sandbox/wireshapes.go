package sandbox

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strconv"
)

// The platform's vendor clients disagree on some shapes (docs/platform-api.md,
// "Tolerance rules"); the sandbox accepts every form they send and emits the
// variety the platform does, so clients tested here read liberally.

// flexID is an id sent as a JSON number or a numeric string ("31"): the
// vendor clients send channelId and assignee both ways.
type flexID int64

func (f *flexID) UnmarshalJSON(data []byte) error {
	data = bytes.TrimSpace(data)
	text := string(data)
	if len(data) > 0 && data[0] == '"' {
		if err := json.Unmarshal(data, &text); err != nil {
			return err
		}
	}
	n, err := strconv.ParseInt(text, 10, 64)
	if err != nil {
		kind := "a string"
		if len(data) > 0 && data[0] != '"' {
			kind = "a number"
		}
		return &json.UnmarshalTypeError{Value: kind + " " + text, Type: reflect.TypeOf(int64(0))}
	}
	*f = flexID(n)
	return nil
}

// numericString reports a JSON string holding an integer ("7").
func numericString(raw []byte) bool {
	var s string
	if len(raw) == 0 || raw[0] != '"' || json.Unmarshal(raw, &s) != nil || s == "" {
		return false
	}
	_, err := strconv.ParseInt(s, 10, 64)
	return err == nil
}

// numericChannelMessageID: Telegram, Viber and LINE message ids are numbers on
// those channels, and the platform passes them on as JSON numbers
// ("channelMessageId": 456, as in the vendor SDK's tests).
func numericChannelMessageID(source string, id *string) any {
	if id == nil {
		return nil
	}
	switch source {
	case "telegram", "viber", "line":
		if _, err := strconv.ParseInt(*id, 10, 64); err == nil {
			return json.Number(*id)
		}
	}
	return *id
}
