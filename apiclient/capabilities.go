package apiclient

import (
	"context"
	"errors"
	"net/http"
	"time"
)

// capabilityTTL is how long a persisted capability set is trusted.
const capabilityTTL = 24 * time.Hour

// Capabilities discovers the server's extensions: GET /space/capabilities.
// Read liberally: a server that answers 400, 403, 404, 405 or 501, or 2xx
// with a body that is not a capability list, has no extensions ("core
// only", noted in the --debug trace); 401, 429/5xx after retries and
// transport failures stay errors. A refusal is checked once against a core
// endpoint, so a base URL that is not the API fails here, clearly
// (*BaseURLError), instead of every later call failing obscurely. The answer
// is kept for the client's lifetime and, through Options.CapabilityCache,
// for a day.
func (c *Client) Capabilities(ctx context.Context) (Capabilities, error) {
	c.capMu.Lock()
	defer c.capMu.Unlock()
	if c.caps != nil {
		return *c.caps, nil
	}
	if c.capCache != nil {
		if caps, at, ok := c.capCache.Load(c.baseString); ok && caps != nil && c.clock.Now().Sub(at) < capabilityTTL {
			c.caps = normaliseCaps(*caps)
			return *c.caps, nil
		}
	}
	cl, err := newCall(http.MethodGet, mayRepeat, nil, nil, "space", "capabilities")
	if err != nil {
		return Capabilities{}, err
	}
	caps, err := doJSON[Capabilities](ctx, c, cl)
	var ae *APIError
	var ie *InvalidResponseError
	switch {
	case err == nil:
	case errors.As(err, &ie):
		c.trace.note("GET /space/capabilities %s: core only", shortCause(ie))
		caps = &Capabilities{}
	case errors.As(err, &ae) && coreOnlyStatus(ae.Status):
		if berr := c.CheckBaseURL(ctx); berr != nil {
			return Capabilities{}, berr
		}
		c.trace.note("GET /space/capabilities answered %d: no extensions, core only", ae.Status)
		caps = &Capabilities{}
	default:
		return Capabilities{}, err
	}
	c.caps = normaliseCaps(*caps)
	if c.capCache != nil {
		c.capCache.Store(c.baseString, *c.caps)
	}
	return *c.caps, nil
}

// coreOnlyStatus: the capabilities probe answered this way means "no
// extensions here", not a failure of the command.
func coreOnlyStatus(status int) bool {
	switch status {
	case http.StatusBadRequest, http.StatusForbidden, http.StatusNotFound, http.StatusMethodNotAllowed, http.StatusNotImplemented:
		return true
	}
	return false
}

func normaliseCaps(c Capabilities) *Capabilities {
	if c.Extensions == nil {
		c.Extensions = []string{}
	}
	return &c
}
