package apiclient

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
)

// BaseURLError: the configured base URL answers, but not as the platform
// API does (a website, or the API's host without its /v2 prefix).
type BaseURLError struct {
	BaseURL    string
	Status     int    // what GET /space/user answered (0: a 2xx that was not a page)
	Suggestion string // a base URL that may be meant ("" when none)
}

func (e *BaseURLError) Error() string {
	what := fmt.Sprintf("%d on /space/user", e.Status)
	if e.Status == 0 {
		what = "/space/user is not a list of users"
	}
	msg := fmt.Sprintf("%s: not a platform API (%s)", e.BaseURL, what)
	if e.Suggestion != "" {
		return msg + "; did you mean " + e.Suggestion + "?"
	}
	return msg + "; check the API base URL (e.g. https://api.respond.io/v2)"
}

// baseCheck remembers the one check a Client makes of its base URL.
type baseCheck struct {
	mu   sync.Mutex
	done bool
	err  *BaseURLError
}

// CheckBaseURL asks GET /space/user?limit=1 — a core endpoint every platform
// API serves — whether the base URL is the API. The client asks on the first
// 404 of a typed call (the path may not exist at all, rather than the contact
// or message) and when the capabilities probe is refused. It returns a *BaseURLError
// when that answers 404 or 405, or 2xx with something other than a page;
// anything else (success, 401, an unreachable host) is nil here and left to
// the command's own calls. The answer is kept for the client's lifetime.
func (c *Client) CheckBaseURL(ctx context.Context) error {
	c.base404.mu.Lock()
	defer c.base404.mu.Unlock()
	if !c.base404.done {
		c.base404.err = c.checkBaseURL(ctx)
		c.base404.done = ctx.Err() == nil
	}
	if c.base404.err == nil {
		return nil // a nil *BaseURLError is not a nil error
	}
	return c.base404.err
}

func (c *Client) checkBaseURL(ctx context.Context) *BaseURLError {
	cl, err := c.listSpace(PageOptions{Limit: 1}, "user")
	if err != nil {
		return nil
	}
	cl.noBaseCheck = true
	_, err = doJSON[Page[User]](ctx, c, cl)
	var ae *APIError
	var ie *InvalidResponseError
	switch {
	case errors.As(err, &ae) && (ae.Status == http.StatusNotFound || ae.Status == http.StatusMethodNotAllowed):
		return &BaseURLError{BaseURL: c.baseString, Status: ae.Status, Suggestion: c.suggestBase()}
	case errors.As(err, &ie):
		return &BaseURLError{BaseURL: c.baseString, Suggestion: c.suggestBase()}
	}
	return nil
}

// suggestBase is the base URL with /v2 appended when it has no version.
func (c *Client) suggestBase() string {
	p := strings.ToLower(c.base.Path)
	if strings.HasSuffix(p, "/v2") {
		return ""
	}
	return c.baseString + "/v2"
}
