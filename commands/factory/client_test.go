package factory

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/respondctl/respondctl/config"
)

// capServer answers /v2/space/capabilities and records what it saw.
type capServer struct {
	mu     sync.Mutex
	agents []string
	hits   int
}

func (s *capServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	s.agents = append(s.agents, r.UserAgent())
	s.hits++
	s.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write([]byte(`{"extensions":["views","counts"]}`))
}

// TestClientUserAgentAndCapabilityCache: the client says who it is, and one
// process's capability discovery is reused by the next (per profile, a day).
func TestClientUserAgentAndCapabilityCache(t *testing.T) {
	cs := &capServer{}
	srv := httptest.NewServer(cs)
	defer srv.Close()
	env := testEnv{config.EnvToken: "tok-1234567890", config.EnvAPIBase: srv.URL + "/v2"}

	f1, env := newTestFactory(t, env)
	c1, err := f1.APIClient()
	if err != nil {
		t.Fatal(err)
	}
	caps, err := c1.Capabilities(context.Background())
	if err != nil || !caps.Has("views") {
		t.Fatalf("caps = %+v, %v", caps, err)
	}
	if cs.hits != 1 || cs.agents[0] != "respondctl/test" {
		t.Fatalf("hits %d, User-Agent %q; want 1, respondctl/test", cs.hits, cs.agents)
	}
	cacheFile := filepath.Join(env["XDG_CACHE_HOME"], "respondctl", "capabilities", "default.json")
	if _, err := os.Stat(cacheFile); err != nil {
		t.Fatalf("no cache file: %v", err)
	}

	// A second process (new factory, same dirs) reads the cache: no request.
	f2 := NewWithDeps("test", Deps{IOStreams: f1.IOStreams, Env: env.lookup})
	defer func() { _ = f2.Close() }()
	c2, err := f2.APIClient()
	if err != nil {
		t.Fatal(err)
	}
	caps, err = c2.Capabilities(context.Background())
	if err != nil || !caps.Has("counts") {
		t.Fatalf("cached caps = %+v, %v", caps, err)
	}
	if cs.hits != 1 {
		t.Fatalf("second process asked the server again (%d requests)", cs.hits)
	}
}
