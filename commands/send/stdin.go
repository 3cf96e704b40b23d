package send

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"

	"github.com/respondctl/respondctl/commands/cmdutil"
)

// maxMessageBytes bounds a message read from stdin or --text-file: far above any channel's
// limit, far below what would hurt (`send 1 < /dev/zero` is an error, not an OOM).
const maxMessageBytes = 1 << 20

// readMessage reads a message body from r, refusing more than maxMessageBytes.
func readMessage(r io.Reader, from string) (string, error) {
	data, err := io.ReadAll(io.LimitReader(r, maxMessageBytes+1))
	if err != nil {
		return "", fmt.Errorf("reading the message from %s: %w", from, err)
	}
	if len(data) > maxMessageBytes {
		return "", cmdutil.FlagErrorf("the message on %s is larger than %d KiB: not a message", from, maxMessageBytes>>10)
	}
	return string(bytes.TrimRight(data, "\n")), nil
}

// looksLikeOurRecords reports whether text is JSON that respondctl prints (contacts list -o
// jsonl|json, a bulk command's results): objects, one per line or in one array, each naming a
// contact. Piped into `send 1` such lines are identifiers meant for --input, not a message.
func looksLikeOurRecords(text string) bool {
	t := bytes.TrimSpace([]byte(text))
	if len(t) == 0 || (t[0] != '{' && t[0] != '[') {
		return false
	}
	var objs []map[string]json.RawMessage
	if t[0] == '[' {
		if json.Unmarshal(t, &objs) != nil {
			return false
		}
	} else {
		dec := json.NewDecoder(bytes.NewReader(t))
		for dec.More() {
			var o map[string]json.RawMessage
			if dec.Decode(&o) != nil {
				return false
			}
			objs = append(objs, o)
		}
	}
	if len(objs) == 0 {
		return false
	}
	for _, o := range objs {
		if o["id"] == nil && o["identifier"] == nil && o["contactId"] == nil {
			return false
		}
	}
	return true
}
