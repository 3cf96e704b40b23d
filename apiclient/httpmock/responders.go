package httpmock

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"strconv"
	"syscall"
)

func newResponse(req *http.Request, status int, contentType string, body []byte) *http.Response {
	h := http.Header{}
	if contentType != "" {
		h.Set("Content-Type", contentType)
	}
	return &http.Response{
		StatusCode:    status,
		Status:        fmt.Sprintf("%d %s", status, http.StatusText(status)),
		Proto:         "HTTP/1.1",
		ProtoMajor:    1,
		ProtoMinor:    1,
		Header:        h,
		Body:          io.NopCloser(bytes.NewReader(body)),
		ContentLength: int64(len(body)),
		Request:       req,
	}
}

// JSONResponse answers 200 with v encoded as JSON.
func JSONResponse(v any) Responder { return StatusJSONResponse(http.StatusOK, v) }

// StatusJSONResponse answers status with v encoded as JSON.
func StatusJSONResponse(status int, v any) Responder {
	return func(req *http.Request) (*http.Response, error) {
		b, err := json.Marshal(v)
		if err != nil {
			return nil, fmt.Errorf("httpmock: encoding response: %w", err)
		}
		return newResponse(req, status, "application/json", b), nil
	}
}

// StringResponse answers 200 with body verbatim.
func StringResponse(body string) Responder { return StatusStringResponse(http.StatusOK, body) }

// StatusStringResponse answers status with body verbatim (an HTML proxy page,
// truncated JSON…). The content type is JSON when the body looks like JSON.
func StatusStringResponse(status int, body string) Responder {
	return func(req *http.Request) (*http.Response, error) {
		ct := "text/html; charset=utf-8"
		if t := bytes.TrimSpace([]byte(body)); len(t) > 0 && (t[0] == '{' || t[0] == '[') {
			ct = "application/json"
		}
		return newResponse(req, status, ct, []byte(body)), nil
	}
}

// APIErrorResponse answers status with the platform's {"code","message"} body.
func APIErrorResponse(status int, message string) Responder {
	return StatusJSONResponse(status, map[string]any{"code": status, "message": message})
}

// WithHeader adds a response header to r's answers.
func WithHeader(r Responder, key, value string) Responder {
	return func(req *http.Request) (*http.Response, error) {
		resp, err := r(req)
		if resp != nil {
			resp.Header.Add(key, value)
		}
		return resp, err
	}
}

// WithRateLimit adds X-RateLimit-Limit and X-RateLimit-Remaining.
func WithRateLimit(r Responder, limit, remaining int) Responder {
	return WithHeader(WithHeader(r, "X-RateLimit-Limit", strconv.Itoa(limit)), "X-RateLimit-Remaining", strconv.Itoa(remaining))
}

// TooManyRequests answers 429 with Retry-After (whole seconds).
func TooManyRequests(retryAfterSeconds int) Responder {
	return WithHeader(APIErrorResponse(http.StatusTooManyRequests, "Too many requests"), "Retry-After", strconv.Itoa(retryAfterSeconds))
}

// ErrorResponse fails the round trip with err, as a broken network would.
func ErrorResponse(err error) Responder {
	return func(*http.Request) (*http.Response, error) { return nil, err }
}

// ConnectionReset fails like a connection reset after the request was sent:
// the server may have processed it.
func ConnectionReset() Responder {
	return ErrorResponse(&net.OpError{Op: "read", Net: "tcp", Err: os.NewSyscallError("read", syscall.ECONNRESET)})
}

// ConnectionRefused fails like a refused dial: nothing reached the server.
func ConnectionRefused() Responder {
	return ErrorResponse(&net.OpError{Op: "dial", Net: "tcp", Err: os.NewSyscallError("connect", syscall.ECONNREFUSED)})
}

// UnexpectedEOF fails like a server that closed the connection mid-answer.
func UnexpectedEOF() Responder { return ErrorResponse(io.ErrUnexpectedEOF) }

// Hang never answers: it blocks until the request's context is done (the
// client's per-request timeout or cancellation) and returns its error.
func Hang() Responder {
	return func(req *http.Request) (*http.Response, error) {
		<-req.Context().Done()
		return nil, req.Context().Err()
	}
}

// CaptureBody stores the request body in *dst, then answers with r.
func CaptureBody(dst *[]byte, r Responder) Responder {
	return func(req *http.Request) (*http.Response, error) {
		if req.Body != nil {
			b, err := io.ReadAll(req.Body)
			if err != nil {
				return nil, err
			}
			*dst = b
			req.Body = io.NopCloser(bytes.NewReader(b))
		}
		return r(req)
	}
}

// RESTPayload answers status with body after handing the decoded JSON request
// payload to cb, for assertions.
func RESTPayload(status int, body string, cb func(payload map[string]any)) Responder {
	return func(req *http.Request) (*http.Response, error) {
		payload := map[string]any{}
		if req.Body != nil {
			b, err := io.ReadAll(req.Body)
			if err != nil {
				return nil, err
			}
			if len(bytes.TrimSpace(b)) > 0 {
				if err := json.Unmarshal(b, &payload); err != nil {
					return nil, fmt.Errorf("httpmock: request body is not a JSON object: %w", err)
				}
			}
		}
		cb(payload)
		return StatusStringResponse(status, body)(req)
	}
}
