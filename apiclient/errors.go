package apiclient

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"sort"
	"strings"
	"time"

	"github.com/respondctl/respondctl/scrub"
)

// APIError is a non-2xx response from the server.
type APIError struct {
	Status  int    // HTTP status
	Code    int    // "code" of a JSON error body (0 when absent)
	Message string // "message" of a JSON error body, one line, token-free
	Method  string
	Path    string // relative to the base URL, unescaped, e.g. "/contact/id:99"
	Body    []byte // the raw body, for `respondctl api`; never part of Error()

	nonJSON  bool   // the body was not a JSON error object (an HTML proxy page)
	notFound string // what was not found, e.g. "contact id:99"
}

func (e *APIError) Error() string {
	if e.Status == http.StatusNotFound && e.notFound != "" {
		return e.notFound + " not found"
	}
	head := fmt.Sprintf("HTTP %d %s", e.Status, http.StatusText(e.Status))
	if http.StatusText(e.Status) == "" {
		head = fmt.Sprintf("HTTP %d", e.Status)
	}
	switch {
	case e.Message != "":
		return head + ": " + e.Message
	case len(strings.TrimSpace(string(e.Body))) == 0:
		return head + " (empty response from server)"
	case e.nonJSON:
		return head + " (non-JSON response from server)"
	}
	return head
}

// newAPIError builds the error for a non-2xx response. token is scrubbed from
// the message in case a server echoes the request back.
func newAPIError(method, path, endpoint string, status int, body []byte, token string) *APIError {
	e := &APIError{Status: status, Method: method, Path: path, Body: body}
	trimmed := strings.TrimSpace(string(body))
	if trimmed != "" {
		code, msg, ok := parseErrorBody(body)
		if !ok {
			e.nonJSON = true
		} else {
			e.Code = code
			e.Message = oneLine(redactEcho(msg, token), 300)
		}
	}
	if status == http.StatusNotFound {
		e.notFound = notFoundSubject(endpoint, path)
	}
	return e
}

// parseErrorBody reads a JSON error object liberally: "code" may be a number
// or a string ("400"), and "message" a string or an object/array of strings
// ({"text": ["text is required"]}); "error" stands in for a missing message.
// ok is false when the body is not a JSON object.
func parseErrorBody(body []byte) (code int, message string, ok bool) {
	var wire map[string]json.RawMessage
	trimmed := strings.TrimSpace(string(body))
	if !strings.HasPrefix(trimmed, "{") || json.Unmarshal(body, &wire) != nil {
		return 0, "", false
	}
	var c flexInt
	if raw, has := wire["code"]; has && json.Unmarshal(raw, &c) == nil {
		code = int(c)
	}
	for _, key := range []string{"message", "error", "errors"} {
		if raw, has := wire[key]; has {
			if message = flattenMessage(raw, 0); message != "" {
				break
			}
		}
	}
	return code, message, true
}

// flattenMessage turns a message value into one line of text: strings as
// they are, arrays joined with "; ", objects as "key: value" pairs in key order.
func flattenMessage(raw json.RawMessage, depth int) string {
	if depth > 4 {
		return ""
	}
	var v any
	if json.Unmarshal(raw, &v) != nil {
		return ""
	}
	switch x := v.(type) {
	case string:
		return x
	case float64, bool:
		return strings.TrimSpace(string(raw))
	case []any:
		var list []json.RawMessage
		_ = json.Unmarshal(raw, &list)
		var parts []string
		for _, item := range list {
			if s := flattenMessage(item, depth+1); s != "" {
				parts = append(parts, s)
			}
		}
		return strings.Join(parts, "; ")
	case map[string]any:
		var obj map[string]json.RawMessage
		_ = json.Unmarshal(raw, &obj)
		keys := make([]string, 0, len(obj))
		for k := range obj {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		var parts []string
		for _, k := range keys {
			if s := flattenMessage(obj[k], depth+1); s != "" {
				parts = append(parts, k+": "+s)
			}
		}
		return strings.Join(parts, "; ")
	}
	return ""
}

// notFoundSubject names the missing thing from the endpoint template, so a 404
// reads "contact id:99 not found" rather than "HTTP 404".
func notFoundSubject(endpoint, path string) string {
	_, tmpl, _ := strings.Cut(endpoint, " ")
	segs := strings.Split(strings.Trim(path, "/"), "/")
	switch {
	case tmpl == "/contact/{identifier}/message/{messageId}" && len(segs) == 4:
		return "message " + segs[3] + " of contact " + segs[1]
	case strings.HasPrefix(tmpl, "/contact/{identifier}") && len(segs) >= 2:
		return "contact " + segs[1]
	case tmpl == "/space/user/{id}" && len(segs) == 3:
		return "user " + segs[2]
	}
	return ""
}

// IsNotFound reports a 404 from the server.
func IsNotFound(err error) bool { return hasStatus(err, http.StatusNotFound) }

// IsUnauthorized reports a 401: missing or wrong token.
func IsUnauthorized(err error) bool { return hasStatus(err, http.StatusUnauthorized) }

// IsForbidden reports a 403: the token may not do this.
func IsForbidden(err error) bool { return hasStatus(err, http.StatusForbidden) }

// IsValidation reports a request the server rejected as invalid (400, 409, 413).
func IsValidation(err error) bool {
	return hasStatus(err, http.StatusBadRequest) || hasStatus(err, http.StatusConflict) ||
		hasStatus(err, http.StatusRequestEntityTooLarge)
}

// IsRateLimited reports a 429, including one a GaveUpError ended on.
func IsRateLimited(err error) bool { return hasStatus(err, http.StatusTooManyRequests) }

func hasStatus(err error, status int) bool {
	var ae *APIError
	return errors.As(err, &ae) && ae.Status == status
}

// TransportError is a failure below HTTP: the server could not be reached or
// the connection broke. Error() is one line.
type TransportError struct {
	Host    string // scheme and host, e.g. "https://api.respond.io"
	Err     error
	Dial    bool          // failed while connecting: nothing was sent
	Timeout time.Duration // non-zero when the per-request timeout expired
}

func (e *TransportError) Error() string {
	var re *RedirectError
	var tl *ResponseTooLargeError
	switch {
	case errors.As(e.Err, &re):
		return re.Error()
	case errors.As(e.Err, &tl):
		return fmt.Sprintf("response from %s too large: %s", e.Host, tl.detail())
	case e.Timeout > 0 && !e.Dial:
		return fmt.Sprintf("no response from %s within %s", e.Host, e.Timeout)
	case e.Dial:
		return fmt.Sprintf("cannot reach %s: %s", e.Host, describeNetError(e.Err))
	}
	return fmt.Sprintf("connection to %s failed: %s", e.Host, describeNetError(e.Err))
}

func (e *TransportError) Unwrap() error { return e.Err }

// InvalidResponseError is a 2xx response whose body could not be decoded.
type InvalidResponseError struct {
	Method, Path string
	Err          error

	reason string // what was wrong with the body, in words ("empty body")
}

// badBodyReason names what is wrong with a 2xx body that did not decode, in
// the words of someone looking at the wire, not of encoding/json.
func badBodyReason(body []byte, err error) string {
	trimmed := strings.TrimSpace(string(body))
	var syn *json.SyntaxError
	switch {
	case trimmed == "":
		return "empty body"
	case strings.HasPrefix(trimmed, "<"):
		return "got an HTML/XML page instead of JSON"
	case errors.Is(err, io.ErrUnexpectedEOF) || err.Error() == "unexpected end of JSON input":
		return fmt.Sprintf("truncated JSON (%d bytes)", len(body))
	case errors.As(err, &syn):
		return fmt.Sprintf("malformed JSON at byte %d", syn.Offset)
	}
	return ""
}

func (e *InvalidResponseError) Error() string {
	if e.reason != "" {
		return fmt.Sprintf("invalid response from server for %s %s: %s", e.Method, e.Path, e.reason)
	}
	cause := e.Err.Error()
	var te *json.UnmarshalTypeError
	if errors.As(e.Err, &te) {
		// Speak JSON, not Go internals: `field "id": got string, want int64`.
		want := strings.ReplaceAll(te.Type.String(), "apiclient.", "")
		if te.Field != "" {
			cause = fmt.Sprintf("field %q: got %s, want %s", te.Field, te.Value, want)
		} else {
			cause = fmt.Sprintf("got %s, want %s", te.Value, want)
		}
	}
	return fmt.Sprintf("invalid response from server for %s %s: %s", e.Method, e.Path, oneLine(cause, 200))
}

func (e *InvalidResponseError) Unwrap() error { return e.Err }

// ErrOutcomeUnknown matches every OutcomeUnknownError with errors.Is.
var ErrOutcomeUnknown = errors.New("outcome unknown")

// OutcomeUnknownError: a non-idempotent request (a send, a comment, a raw POST)
// may or may not have been applied. The client never resends it.
type OutcomeUnknownError struct {
	Method, Path string
	Cause        error
}

func (e *OutcomeUnknownError) Error() string {
	return fmt.Sprintf("outcome unknown: %s %s may or may not have been applied (%s); check the conversation before retrying",
		e.Method, e.Path, shortCause(e.Cause))
}

// Unwrap exposes both ErrOutcomeUnknown and the cause (so errors.Is(err,
// context.Canceled) still reports an interrupted send).
func (e *OutcomeUnknownError) Unwrap() []error { return []error{ErrOutcomeUnknown, e.Cause} }

// GaveUpError: retries were exhausted (or the server asked to wait too long).
type GaveUpError struct {
	Attempts int
	Last     error
}

func (e *GaveUpError) Error() string {
	if e.Attempts == 0 {
		return fmt.Sprintf("gave up before sending: %v", e.Last)
	}
	return fmt.Sprintf("gave up after %d attempts: %v", e.Attempts, e.Last)
}

func (e *GaveUpError) Unwrap() error { return e.Last }

// minEchoToken is the shortest token looked for in what a server sends back
// (error messages, raw bodies): shorter ones would match ordinary text.
const minEchoToken = 8

// redactEcho removes a server-echoed token from text respondctl prints.
func redactEcho(s, token string) string {
	if len(token) < minEchoToken {
		return s
	}
	return redact(s, token)
}

// redact removes the token from s, literal, JSON-escaped or URL-encoded.
// Tokens must never reach output.
func redact(s, token string) string {
	return scrub.String(s, token)
}

// scrubbedError is a transport error whose text quoted the token (a redirect
// URL carrying it); it still unwraps to the original for classification.
type scrubbedError struct {
	msg string
	err error
}

func (e *scrubbedError) Error() string { return e.msg }
func (e *scrubbedError) Unwrap() error { return e.err }

// oneLine collapses whitespace runs (newlines included) and truncates to max runes.
func oneLine(s string, max int) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > max {
		return string(r[:max]) + "…"
	}
	return s
}
