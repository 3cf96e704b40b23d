package apiclient

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// call is one logical API call; send may make several attempts of it.
type call struct {
	method     string
	path       string // relative to the base URL, escaped, leading "/"
	query      url.Values
	body       []byte // nil: no body
	header     http.Header
	idempotent bool
	// noBaseCheck: a 404 is returned as it is, without checking (once per
	// client) that the base URL is the API at all: the check itself, and the
	// raw calls of `respondctl api`.
	noBaseCheck bool
}

// response is a completed HTTP exchange.
type response struct {
	status int
	header http.Header
	body   []byte
}

// displayPath is the unescaped path for errors ("/contact/id:5/message").
func (cl *call) displayPath() string {
	if p, err := url.PathUnescape(cl.path); err == nil {
		return p
	}
	return cl.path
}

func (cl *call) endpoint() string { return endpointKey(cl.method, cl.displayPath()) }

// send runs the call with pacing and the retry rules:
//
//   - every attempt first waits for the endpoint's limiter; the first one
//     then runs the context's before-send hook (WithBeforeSend);
//   - a call interrupted before its first request is written (while it waits
//     for the limiter, or by the context's stop-before-writing signal,
//     WithStopBeforeWrite) ends in NotSentError: certainly not applied;
//   - 429 is retried for every call (the server refused before processing),
//     after Retry-After or a backoff;
//   - 449 ("queued, retry later") is retried for idempotent calls after
//     Retry-After or a longer backoff (seconds to a minute, queuedBackoff);
//     for the others it is OutcomeUnknownError: the platform may still
//     process the queued request, so an immediate resend could duplicate it;
//   - 500/502/503/504 and broken connections are retried only for idempotent
//     calls; for the others they end in OutcomeUnknownError, never a resend;
//   - a failed dial (nothing sent) is retried for every call;
//   - an attempt that timed out is retried once at most (idempotent calls
//     only): a hung server costs two timeouts, not MaxRetries+1;
//   - after MaxRetries retries the call ends in GaveUpError, and so does a
//     call whose next wait (limiter, Retry-After, backoff) would end after its
//     deadline (requestBudget), without sleeping it.
//
// A non-2xx final answer is returned as *APIError together with the response.
func (c *Client) send(ctx context.Context, cl *call) (*response, error) {
	key := cl.endpoint()
	var last error
	timeouts := 0
	deadline := c.clock.Now().Add(c.requestBudget())
	for attempt := 1; ; attempt++ {
		waitCtx, endWait := ctx, context.CancelFunc(func() {})
		if attempt == 1 {
			waitCtx, endWait = firstWaitContext(ctx) // a stop before writing ends this wait too
		}
		lim, err := c.limits.wait(waitCtx, key, deadline)
		endWait()
		if err != nil {
			var tl *waitTooLong
			if errors.As(err, &tl) {
				return nil, c.pastDeadline(cl, attempt-1, tl.wait, tl.reason, last)
			}
			if attempt == 1 {
				return nil, c.notSent(ctx, cl, err)
			}
			return nil, c.interrupted(cl, err, false)
		}
		if attempt == 1 {
			// The last check before the request is written: a stop that came while the
			// limiter was granting it still keeps it (and its journaled start) back.
			if cause := notSentCause(ctx); cause != nil {
				c.limits.finish(lim, nil, 0)
				return nil, c.notSent(ctx, cl, cause)
			}
			if err := RunBeforeSend(ctx); err != nil {
				c.limits.finish(lim, nil, 0)
				return nil, fmt.Errorf("%s %s: not sent: %w", cl.method, cl.displayPath(), err)
			}
		}
		resp, err := c.attempt(ctx, cl, attempt)
		var wait time.Duration
		if err != nil {
			c.limits.finish(lim, nil, 0)
			te := err.(*TransportError)
			switch {
			case isRedirectError(te.Err):
				return nil, te // the server answered with a redirect: nothing to retry
			case isTooLarge(te.Err) && !cl.idempotent:
				// The server answered, maybe after applying the send.
				return nil, &OutcomeUnknownError{Method: cl.method, Path: cl.displayPath(), Cause: te}
			case isTooLarge(te.Err):
				return nil, te // the same answer again would be as large
			}
			if ctx.Err() != nil {
				return nil, c.interrupted(cl, ctx.Err(), classifyNetError(te.Err) == failMaybeSent)
			}
			switch classifyNetError(te.Err) {
			case failPermanent:
				return nil, te
			case failMaybeSent:
				if !cl.idempotent {
					return nil, &OutcomeUnknownError{Method: cl.method, Path: cl.displayPath(), Cause: te}
				}
			}
			last = te
			// A server that did not answer within the timeout once is
			// likely hung: one more try, not MaxRetries × timeout.
			if te.Timeout > 0 {
				if timeouts++; timeouts > maxTimeoutRetries {
					return nil, &GaveUpError{Attempts: attempt, Last: te}
				}
			}
		} else {
			retryAfter := parseRetryAfter(resp.header, c.clock.Now())
			c.limits.finish(lim, resp, retryAfter)
			if resp.status >= 200 && resp.status < 300 {
				return resp, nil
			}
			apiErr := newAPIError(cl.method, cl.displayPath(), key, resp.status, resp.body, c.token)
			if !retryableStatus(resp.status, cl.idempotent) {
				if !cl.idempotent && unknownStatus(resp.status) {
					return resp, &OutcomeUnknownError{Method: cl.method, Path: cl.displayPath(), Cause: apiErr}
				}
				if !cl.noBaseCheck && resp.status == http.StatusNotFound {
					if berr := c.CheckBaseURL(ctx); berr != nil {
						return resp, berr
					}
				}
				return resp, apiErr
			}
			last = apiErr
			wait = retryAfter
			if wait == 0 && resp.status == StatusQueued {
				wait = c.queuedBackoff(attempt)
			}
			if wait > maxRetryAfter {
				return resp, &GaveUpError{Attempts: attempt, Last: apiErr}
			}
		}
		if attempt > c.maxRetries {
			return nil, &GaveUpError{Attempts: attempt, Last: last}
		}
		reason := "the server's Retry-After"
		if wait == 0 {
			wait, reason = c.backoff(attempt), "the backoff before a retry"
		}
		if c.clock.Now().Add(wait).After(deadline) {
			return nil, c.pastDeadline(cl, attempt, wait, reason, last)
		}
		c.trace.retry(attempt+1, c.maxRetries+1, wait, last)
		if err := c.clock.Sleep(ctx, wait); err != nil {
			// Waiting between attempts: the last attempt was refused or never
			// sent, so nothing was applied.
			return nil, c.interrupted(cl, err, false)
		}
	}
}

// notSent reports a call given up before its first request was written: interrupted in the
// limiter, or stopped by ctx's stop-before-writing signal (WithStopBeforeWrite).
func (c *Client) notSent(ctx context.Context, cl *call, err error) error {
	if cause := notSentCause(ctx); cause != nil {
		err = cause
	}
	return &NotSentError{Method: cl.method, Path: cl.displayPath(), Cause: err}
}

// interrupted wraps a context error. inFlight: the request had been sent, so a
// non-idempotent call's outcome is unknown.
func (c *Client) interrupted(cl *call, err error, inFlight bool) error {
	if inFlight && !cl.idempotent {
		return &OutcomeUnknownError{Method: cl.method, Path: cl.displayPath(), Cause: err}
	}
	return fmt.Errorf("%s %s: %w", cl.method, cl.displayPath(), err)
}

// attempt makes one HTTP exchange; errors are *TransportError.
func (c *Client) attempt(ctx context.Context, cl *call, n int) (*response, error) {
	actx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	u := c.baseString + cl.path
	req := c.http.R().SetContext(actx).
		SetHeader("Accept", "application/json").
		SetHeader("User-Agent", c.userAgent)
	if c.token != "" {
		req.SetHeader("Authorization", "Bearer "+c.token)
	}
	if len(cl.query) > 0 {
		req.SetQueryParamsFromValues(cl.query)
	}
	if cl.body != nil {
		req.SetHeader("Content-Type", "application/json").SetBody(cl.body)
	}
	for k, vs := range cl.header {
		req.Header[http.CanonicalHeaderKey(k)] = vs
	}
	start := time.Now()
	c.trace.request(cl, u, req.Header, n)
	r, err := req.Execute(cl.method, u)
	elapsed := time.Since(start)
	if err != nil {
		if msg := err.Error(); redact(msg, c.token) != msg {
			err = &scrubbedError{msg: redact(msg, c.token), err: err}
		}
		te := &TransportError{Host: c.hostLabel(), Err: err}
		if classifyNetError(err) != failMaybeSent {
			te.Dial = true
		}
		if errors.Is(err, context.DeadlineExceeded) && ctx.Err() == nil {
			te.Timeout = c.timeout
		}
		c.trace.failure(elapsed, te)
		return nil, te
	}
	// The body is decoded as the server sent it: redacting the token here
	// corrupted every answer that happened to contain a short token ("t").
	// What is printed is redacted where it is printed (the trace, errors,
	// the raw responses of `respondctl api`).
	resp := &response{status: r.StatusCode(), header: r.Header(), body: r.Body()}
	c.trace.response(resp, r.Status(), elapsed)
	return resp, nil
}

// scrubRaw removes the token from a response handed out verbatim by Do, which
// `respondctl api` prints (a debug endpoint or a proxy page may echo it). A
// token shorter than minEchoToken is not looked for: it cannot be told apart
// from the data it would corrupt (a sandbox started with --token t).
func (c *Client) scrubRaw(r *RawResponse) {
	if len(c.token) < minEchoToken {
		return
	}
	tok := []byte(c.token)
	if bytes.Contains(r.Body, tok) {
		r.Body = bytes.ReplaceAll(r.Body, tok, []byte("REDACTED"))
	}
	for k, vs := range r.Header {
		for i, v := range vs {
			if strings.Contains(v, c.token) {
				r.Header[k][i] = strings.ReplaceAll(v, c.token, "REDACTED")
			}
		}
	}
}

// decode unmarshals a 2xx body; a malformed one is an *InvalidResponseError.
func decode[T any](cl *call, resp *response) (*T, error) {
	var v T
	if err := json.Unmarshal(resp.body, &v); err != nil {
		return nil, &InvalidResponseError{Method: cl.method, Path: cl.displayPath(), Err: err, reason: badBodyReason(resp.body, err)}
	}
	return &v, nil
}

// do sends a JSON call and decodes the answer into T.
func doJSON[T any](ctx context.Context, c *Client, cl *call) (*T, error) {
	resp, err := c.send(ctx, cl)
	if err != nil {
		return nil, err
	}
	out, err := decode[T](cl, resp)
	if err != nil && !cl.idempotent {
		// The server answered 2xx, so a send or comment was most likely applied, but its
		// result (the message id) is unreadable: report it unknown, never as failed, so
		// nothing resends it.
		return nil, &OutcomeUnknownError{Method: cl.method, Path: cl.displayPath(), Cause: err}
	}
	return out, err
}

// repeatPolicy says whether a typed call may be sent again when its outcome is uncertain. It
// is a struct, not a bool, so that a bare true/false does not compile where getting it wrong
// resends a message.
type repeatPolicy struct{ idempotent bool }

var (
	// mayRepeat: the call is idempotent (reads, assign, status): 5xx answers, broken
	// connections and timeouts are retried.
	mayRepeat = repeatPolicy{idempotent: true}
	// neverRepeat: the call is not idempotent (send, comment): it is retried only when the
	// server provably refused it (429/449, a failed dial); otherwise its outcome is unknown.
	neverRepeat = repeatPolicy{idempotent: false}
)

// newCall builds a call for a path made of already escaped segments.
func newCall(method string, repeat repeatPolicy, body any, query url.Values, segments ...string) (*call, error) {
	cl := &call{method: method, path: "/" + strings.Join(segments, "/"), query: query, idempotent: repeat.idempotent}
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return nil, fmt.Errorf("encoding %s request: %w", cl.displayPath(), err)
		}
		cl.body = b
	}
	return cl, nil
}
