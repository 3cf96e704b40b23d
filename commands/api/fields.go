package api

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/respondctl/respondctl/commands/cmdutil"
)

type field struct {
	key   string
	value any
}

// parseFields reads -f (strings) and -F (typed) flags in order.
func parseFields(raw, typed []string, stdin io.Reader) ([]field, error) {
	var out []field
	for _, kv := range raw {
		k, v, ok := strings.Cut(kv, "=")
		if !ok || k == "" {
			return nil, cmdutil.FlagErrorf("invalid -f %q: want key=value", kv)
		}
		out = append(out, field{k, v})
	}
	stdinUsed := false
	for _, kv := range typed {
		k, v, ok := strings.Cut(kv, "=")
		if !ok || k == "" {
			return nil, cmdutil.FlagErrorf("invalid -F %q: want key=value", kv)
		}
		val, err := typedValue(v, stdin, &stdinUsed)
		if err != nil {
			return nil, cmdutil.FlagErrorf("-F %s: %v", k, err)
		}
		out = append(out, field{k, val})
	}
	return out, nil
}

// typedValue: true/false/null, integers, floats and JSON object or array
// literals become JSON values; @file
// (or @- for stdin) is the file's contents — parsed as JSON when it is JSON, so
// -F filter=@filter.json sends an object; anything else stays a string.
func typedValue(v string, stdin io.Reader, stdinUsed *bool) (any, error) {
	switch v {
	case "true":
		return true, nil
	case "false":
		return false, nil
	case "null":
		return nil, nil
	}
	if n, err := strconv.ParseInt(v, 10, 64); err == nil {
		return n, nil
	}
	if x, err := strconv.ParseFloat(v, 64); err == nil && !strings.ContainsAny(v, "xXpP_") {
		return x, nil
	}
	if strings.HasPrefix(v, "{") || strings.HasPrefix(v, "[") {
		// A JSON object or array literal (-F 'filter={"$and":[]}'); anything
		// that does not parse stays a string.
		var js any
		if json.Unmarshal([]byte(v), &js) == nil {
			return js, nil
		}
		return v, nil
	}
	if !strings.HasPrefix(v, "@") {
		return v, nil
	}
	var b []byte
	var err error
	if v == "@-" {
		if *stdinUsed {
			return nil, fmt.Errorf("stdin can be read only once")
		}
		*stdinUsed = true
		b, err = io.ReadAll(stdin)
	} else {
		b, err = os.ReadFile(v[1:])
	}
	if err != nil {
		return nil, err
	}
	var js any
	if json.Unmarshal(b, &js) == nil {
		return js, nil
	}
	return strings.TrimRight(string(b), "\n"), nil
}

// queryString renders a typed value for a query parameter.
func queryString(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	default:
		b, _ := json.Marshal(x)
		return string(b)
	}
}
