package factory

import (
	"time"

	"github.com/respondctl/respondctl/apiclient"
	"github.com/respondctl/respondctl/config"
)

// capabilityCache adapts the per-profile cache file to apiclient.CapabilityCache.
type capabilityCache struct{ c *config.CapabilityCache }

func (a capabilityCache) Load(baseURL string) (*apiclient.Capabilities, time.Time, bool) {
	ext, at, ok := a.c.Load(baseURL)
	if !ok {
		return nil, time.Time{}, false
	}
	return &apiclient.Capabilities{Extensions: ext}, at, true
}

func (a capabilityCache) Store(baseURL string, caps apiclient.Capabilities) {
	_ = a.c.Store(baseURL, caps.Extensions) // a cache that cannot be written is only slower
}
