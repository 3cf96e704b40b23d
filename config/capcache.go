package config

import (
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"time"
)

// CapabilityTTL is how long a server's extension list is trusted.
const CapabilityTTL = 24 * time.Hour

// CapabilityCache remembers GET /space/capabilities per profile for a day, so
// each command does not pay an extra request. The entry is keyed by base URL:
// pointing a profile elsewhere invalidates it.
type CapabilityCache struct {
	Path string
	Now  func() time.Time
}

type capabilityEntry struct {
	BaseURL    string    `json:"baseUrl"`
	FetchedAt  time.Time `json:"fetchedAt"`
	Extensions []string  `json:"extensions"`
}

// NewCapabilityCache returns the cache file of a profile under CacheDir(env).
func NewCapabilityCache(env LookupEnv, profile string) *CapabilityCache {
	return &CapabilityCache{Path: filepath.Join(CacheDir(env), "capabilities", profile+".json")}
}

func (c *CapabilityCache) now() time.Time {
	if c.Now != nil {
		return c.Now()
	}
	return time.Now()
}

// Load returns the cached extensions of baseURL and when they were fetched,
// if fresh. Any problem (no file, corrupt file, stale entry) is a miss, never
// an error: the cache is only an optimisation.
func (c *CapabilityCache) Load(baseURL string) (extensions []string, fetchedAt time.Time, ok bool) {
	data, err := os.ReadFile(c.Path)
	if err != nil {
		return nil, time.Time{}, false
	}
	var e capabilityEntry
	if json.Unmarshal(data, &e) != nil || e.BaseURL != baseURL {
		return nil, time.Time{}, false
	}
	age := c.now().Sub(e.FetchedAt)
	if age < 0 || age > CapabilityTTL {
		return nil, time.Time{}, false
	}
	if e.Extensions == nil {
		e.Extensions = []string{}
	}
	return e.Extensions, e.FetchedAt, true
}

// Store records the extensions of baseURL.
func (c *CapabilityCache) Store(baseURL string, extensions []string) error {
	if extensions == nil {
		extensions = []string{}
	}
	data, err := json.Marshal(capabilityEntry{BaseURL: baseURL, FetchedAt: c.now().UTC(), Extensions: extensions})
	if err != nil {
		return err
	}
	return WriteFileAtomic(c.Path, data)
}

// Clear removes the entry (after login or a base URL change).
func (c *CapabilityCache) Clear() error {
	err := os.Remove(c.Path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	return err
}
