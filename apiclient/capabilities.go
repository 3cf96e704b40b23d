package apiclient

import (
	"context"
	"net/http"
	"time"
)

// capabilityTTL is how long a persisted capability set is trusted.
const capabilityTTL = 24 * time.Hour

// Capabilities discovers the server's extensions. GET /space/capabilities; a
// 404 means a core-only server (empty set). The answer is kept for the
// client's lifetime and, through Options.CapabilityCache, for a day.
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
	switch {
	case IsNotFound(err):
		caps = &Capabilities{}
	case err != nil:
		return Capabilities{}, err
	}
	c.caps = normaliseCaps(*caps)
	if c.capCache != nil {
		c.capCache.Store(c.baseString, *c.caps)
	}
	return *c.caps, nil
}

func normaliseCaps(c Capabilities) *Capabilities {
	if c.Extensions == nil {
		c.Extensions = []string{}
	}
	return &c
}
