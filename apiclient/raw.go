package apiclient

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
)

// RawResponse is the answer to Do.
type RawResponse struct {
	Status int
	Header http.Header
	Body   []byte
}

// RawRequest is a request for DoRequest.
type RawRequest struct {
	Method string
	// Path is relative to the base URL ("contact/id:1" or "/contact/id:1",
	// optionally with a query), or an absolute URL on the base URL's host.
	Path   string
	Query  url.Values
	Body   io.Reader // nil: no body; sent as application/json
	Header http.Header
}

// idempotentPOSTs are POST endpoints that only read or set an end state, so
// repeating them is harmless.
var idempotentPOSTs = map[string]bool{
	"POST /contact/list":                               true,
	"POST /contact/count":                              true,
	"POST /contact/{identifier}/conversation/assignee": true,
	"POST /contact/{identifier}/conversation/status":   true,
}

// Idempotent reports whether a request may be repeated safely: GET, HEAD,
// PUT, DELETE and OPTIONS, and the known idempotent POST endpoints.
func Idempotent(method, path string) bool {
	switch m := strings.ToUpper(method); m {
	case http.MethodGet, http.MethodHead, http.MethodPut, http.MethodDelete, http.MethodOptions:
		return true
	case http.MethodPost:
		return idempotentPOSTs[endpointKey(m, path)]
	}
	return false
}

// Do is the raw escape hatch behind `respondctl api`. It applies the same
// pacing and retry rules as the typed methods. A non-2xx answer returns both
// the *RawResponse (with the body) and an error (*APIError, or
// *OutcomeUnknownError for a non-idempotent call).
func (c *Client) Do(ctx context.Context, method, path string, query url.Values, body io.Reader) (*RawResponse, error) {
	return c.DoRequest(ctx, RawRequest{Method: method, Path: path, Query: query, Body: body})
}

// DoRequest is Do with extra headers.
func (c *Client) DoRequest(ctx context.Context, r RawRequest) (*RawResponse, error) {
	method := strings.ToUpper(strings.TrimSpace(r.Method))
	if method == "" {
		method = http.MethodGet
	}
	path, query, err := c.relativePath(r.Path)
	if err != nil {
		return nil, err
	}
	for k, vs := range r.Query {
		for _, v := range vs {
			query.Add(k, v)
		}
	}
	cl := &call{method: method, path: path, query: query, header: r.Header, noBaseCheck: true}
	cl.idempotent = Idempotent(method, cl.displayPath())
	if r.Body != nil {
		b, err := io.ReadAll(r.Body)
		if err != nil {
			return nil, fmt.Errorf("reading request body: %w", err)
		}
		cl.body = b
	}
	resp, err := c.send(ctx, cl)
	if resp == nil {
		return nil, err
	}
	raw := &RawResponse{Status: resp.status, Header: resp.header.Clone(), Body: resp.body}
	c.scrubRaw(raw)
	var ae *APIError
	if errors.As(err, &ae) {
		ae.Body = raw.Body
	}
	return raw, err
}

// relativePath turns a user path or absolute URL into an escaped path
// relative to the base URL, plus its query. Absolute URLs must be on the base
// URL's host: the token is never sent anywhere else.
func (c *Client) relativePath(p string) (string, url.Values, error) {
	p = strings.TrimSpace(p)
	u, err := url.Parse(p)
	if err != nil {
		return "", nil, fmt.Errorf("invalid path %q: %v", p, err)
	}
	escaped := u.EscapedPath()
	if u.IsAbs() || u.Host != "" {
		if !strings.EqualFold(u.Host, c.base.Host) {
			return "", nil, fmt.Errorf("refusing to send the token to %q: the URL must be on %s", u.Host, c.base.Host)
		}
		// Strip the base path prefix ("/v2") when present.
		basePath := c.base.EscapedPath()
		if basePath != "" && (escaped == basePath || strings.HasPrefix(escaped, basePath+"/")) {
			escaped = strings.TrimPrefix(escaped, basePath)
		}
	}
	if !strings.HasPrefix(escaped, "/") {
		escaped = "/" + escaped
	}
	return escaped, u.Query(), nil
}

// CheckJSON reports a 2xx answer that says it is JSON (Content-Type) but
// whose body does not parse (empty, truncated, an HTML page) as an
// *InvalidResponseError, so `respondctl api` fails like the typed commands.
// Other content types and 204 pass: the raw command prints them as they are.
func CheckJSON(method, path string, r *RawResponse) error {
	if r == nil || r.Status == http.StatusNoContent || r.Status < 200 || r.Status > 299 {
		return nil
	}
	if !strings.Contains(strings.ToLower(r.Header.Get("Content-Type")), "json") {
		return nil
	}
	var v any
	err := json.Unmarshal(r.Body, &v)
	if err == nil {
		return nil
	}
	return &InvalidResponseError{Method: strings.ToUpper(method), Path: path, Err: err, reason: badBodyReason(r.Body, err)}
}
