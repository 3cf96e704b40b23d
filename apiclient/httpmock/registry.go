// Package httpmock is a registry of stubbed HTTP responses for tests of code
// that uses apiclient, in the spirit of gh's pkg/httpmock:
//
//	reg := &httpmock.Registry{}
//	defer reg.Verify(t)
//	reg.Register(httpmock.REST("GET", "contact/id:1"), httpmock.JSONResponse(contact))
//	client, _ := apiclient.New(apiclient.Options{BaseURL: "https://api.test/v2", Transport: reg})
//
// Each stub answers one request. Verify fails the test when a stub was never
// used or a request matched no stub.
package httpmock

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
)

// Matcher selects the requests a stub answers.
type Matcher interface {
	Matches(req *http.Request) bool
	String() string
}

// Responder produces the answer (or transport error) for a matched request.
type Responder func(req *http.Request) (*http.Response, error)

// RecordedRequest is a request the registry saw, body included.
type RecordedRequest struct {
	Method string
	URL    string
	Path   string // unescaped
	Query  map[string][]string
	Header http.Header
	Body   []byte
}

type stub struct {
	matcher   Matcher
	responder Responder
	used      bool
}

// Registry is an http.RoundTripper answering from registered stubs. The zero
// value is ready to use; it is safe for concurrent requests.
type Registry struct {
	mu        sync.Mutex
	stubs     []*stub
	requests  []RecordedRequest
	unmatched []string
}

// Register adds a stub answering the first not yet answered request that m matches.
func (r *Registry) Register(m Matcher, resp Responder) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.stubs = append(r.stubs, &stub{matcher: m, responder: resp})
}

// RoundTrip implements http.RoundTripper.
func (r *Registry) RoundTrip(req *http.Request) (*http.Response, error) {
	var body []byte
	if req.Body != nil {
		b, err := io.ReadAll(req.Body)
		_ = req.Body.Close()
		if err != nil {
			return nil, err
		}
		body = b
	}
	rewind := func() { req.Body = io.NopCloser(bytes.NewReader(body)) }
	rewind()

	r.mu.Lock()
	r.requests = append(r.requests, RecordedRequest{
		Method: req.Method, URL: req.URL.String(), Path: req.URL.Path,
		Query: req.URL.Query(), Header: req.Header.Clone(), Body: body,
	})
	var found *stub
	for _, s := range r.stubs {
		if s.used {
			continue
		}
		rewind()
		if s.matcher.Matches(req) {
			found = s
			s.used = true
			break
		}
	}
	if found == nil {
		r.unmatched = append(r.unmatched, req.Method+" "+req.URL.String())
	}
	r.mu.Unlock()

	if found == nil {
		return nil, fmt.Errorf("httpmock: no registered stub matched %s %s", req.Method, req.URL)
	}
	rewind()
	resp, err := found.responder(req)
	if resp != nil && resp.Request == nil {
		resp.Request = req
	}
	return resp, err
}

// Requests returns every request seen so far, in order.
func (r *Registry) Requests() []RecordedRequest {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]RecordedRequest(nil), r.requests...)
}

// Count is the number of requests seen that m matches.
func (r *Registry) Count(m Matcher) int {
	n := 0
	for _, rr := range r.Requests() {
		req, err := http.NewRequest(rr.Method, rr.URL, bytes.NewReader(rr.Body))
		if err == nil && m.Matches(req) {
			n++
		}
	}
	return n
}

// TestingT is the part of *testing.T that Verify needs.
type TestingT interface {
	Helper()
	Errorf(format string, args ...any)
}

// Verify fails t when a stub went unused or a request matched no stub.
func (r *Registry) Verify(t TestingT) {
	t.Helper()
	r.mu.Lock()
	defer r.mu.Unlock()
	var unused []string
	for _, s := range r.stubs {
		if !s.used {
			unused = append(unused, s.matcher.String())
		}
	}
	if len(unused) > 0 {
		t.Errorf("httpmock: %d stub(s) not used: %s", len(unused), strings.Join(unused, "; "))
	}
	if len(r.unmatched) > 0 {
		t.Errorf("httpmock: %d request(s) matched no stub: %s", len(r.unmatched), strings.Join(r.unmatched, "; "))
	}
}
