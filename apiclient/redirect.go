package apiclient

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
)

// maxRedirects: a same-origin redirect chain longer than this is a loop.
const maxRedirects = 5

// RedirectError is a redirect the client refused to follow. Its text names
// both URLs (without query strings, which may carry credentials).
type RedirectError struct {
	From, To string
	Reason   string
}

func (e *RedirectError) Error() string {
	return fmt.Sprintf("refused redirect from %s to %s: %s", e.From, e.To, e.Reason)
}

// checkRedirect is the API client's redirect policy. The token is sent in the
// Authorization header, so a redirect may only stay on the base URL's origin
// (scheme, host and port): another port of the same host, another host or an
// https→http downgrade would receive the token (Go keeps the header for the
// same host on another port). A redirect must also keep the method: Go turns a
// POST answered 301/302/303 into a GET, which would report a send that never
// happened as done.
func (c *Client) checkRedirect(req *http.Request, via []*http.Request) error {
	prev := via[len(via)-1]
	refuse := func(reason string) error {
		return &RedirectError{From: urlLabel(prev.URL), To: urlLabel(req.URL), Reason: reason}
	}
	switch {
	case !sameOrigin(req.URL, c.base) && strings.EqualFold(req.URL.Scheme, "http") && strings.EqualFold(c.base.Scheme, "https"):
		return refuse("it downgrades https to http")
	case !sameOrigin(req.URL, c.base):
		return refuse("it leaves " + c.hostLabel() + " (the token is only sent there)")
	case req.Method != via[0].Method:
		return refuse(fmt.Sprintf("it turns %s into %s", via[0].Method, req.Method))
	case len(via) >= maxRedirects:
		return refuse(fmt.Sprintf("more than %d redirects", maxRedirects))
	}
	return nil
}

// sameOrigin compares scheme, host and port (default ports made explicit).
func sameOrigin(a, b *url.URL) bool {
	return strings.EqualFold(a.Scheme, b.Scheme) && strings.EqualFold(a.Hostname(), b.Hostname()) && port(a) == port(b)
}

func port(u *url.URL) string {
	if p := u.Port(); p != "" {
		return p
	}
	if strings.EqualFold(u.Scheme, "http") {
		return "80"
	}
	return "443"
}

// urlLabel is scheme://host/path: queries and user info are left out.
func urlLabel(u *url.URL) string {
	return (&url.URL{Scheme: u.Scheme, Host: u.Host, Path: u.Path}).String()
}

func isRedirectError(err error) bool {
	var re *RedirectError
	return errors.As(err, &re)
}
