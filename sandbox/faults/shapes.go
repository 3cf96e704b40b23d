package faults

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
)

type bareNextKey struct{}

// BareNext reports whether the request drew the nov2 fault: its pagination
// links are to be written without the /v2 prefix.
func BareNext(ctx context.Context) bool {
	v, _ := ctx.Value(bareNextKey{}).(bool)
	return v
}

// shapingWriter rewrites a JSON error answer {"code": N, "message": "…"} into
// another shape the platform's clients show:
//
//	1  {"code": "N", "message": "…"}              code as a string
//	2  {"code": N, "message": {"error": ["…"]}}   message as an object
//	3  {"code": "N", "message": {"error": ["…"]}} both
//
// Other answers (2xx, non-JSON, bodies of another shape) pass unchanged.
type shapingWriter struct {
	http.ResponseWriter
	variant int
	status  int
	held    bool // an error answer is being buffered
	buf     bytes.Buffer
}

func (s *shapingWriter) Unwrap() http.ResponseWriter { return s.ResponseWriter }

func (s *shapingWriter) WriteHeader(status int) {
	if s.status != 0 {
		return
	}
	s.status = status
	if status >= 400 && strings.Contains(s.Header().Get("Content-Type"), "json") {
		s.held = true
		return
	}
	s.ResponseWriter.WriteHeader(status)
}

func (s *shapingWriter) Write(p []byte) (int, error) {
	if s.status == 0 {
		s.WriteHeader(http.StatusOK)
	}
	if s.held {
		return s.buf.Write(p)
	}
	return s.ResponseWriter.Write(p)
}

// finish writes a held error answer, reshaped.
func (s *shapingWriter) finish() {
	if !s.held {
		return
	}
	body := reshapeError(s.buf.Bytes(), s.variant)
	s.Header().Set("Content-Length", strconv.Itoa(len(body)))
	s.ResponseWriter.WriteHeader(s.status)
	_, _ = s.ResponseWriter.Write(body)
}

func reshapeError(body []byte, variant int) []byte {
	var e struct {
		Code    *int    `json:"code"`
		Message *string `json:"message"`
	}
	if json.Unmarshal(body, &e) != nil || e.Code == nil || e.Message == nil {
		return body
	}
	out := map[string]any{"code": *e.Code, "message": *e.Message}
	if variant == 1 || variant == 3 {
		out["code"] = strconv.Itoa(*e.Code)
	}
	if variant == 2 || variant == 3 {
		out["message"] = map[string][]string{"error": {*e.Message}}
	}
	b, err := json.Marshal(out)
	if err != nil {
		return body
	}
	return append(b, '\n')
}
