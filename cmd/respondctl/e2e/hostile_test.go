package e2e

import (
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"
)

// garbage is how the hostile proxy answers a request it picks.
type garbage string

const (
	pass garbage = "" // forward untouched
	// …Before: the request never reaches the sandbox; …After: the sandbox applies it and the
	// answer is replaced, the worst case for a non-idempotent call.
	html502Before   garbage = "html502-before"
	html502After    garbage = "html502-after"
	truncatedAfter  garbage = "truncated-after"
	empty200After   garbage = "empty200-after"
	wrongTypesAfter garbage = "wrongtypes-after"
	html200         garbage = "html200" // a captive portal: 200 text/html for everything
	drip            garbage = "drip"    // headers, then one byte every 300 ms, never finishing
	hang            garbage = "hang"    // no answer at all until the client gives up
)

const html502Page = "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n"

// hostileProxy forwards to the sandbox and answers the requests its rule picks with garbage.
type hostileProxy struct {
	*httptest.Server
	rule func(r *http.Request) garbage

	mu   sync.Mutex
	hits map[garbage]int
}

func newHostileProxy(t testing.TB, target string, rule func(r *http.Request) garbage) *hostileProxy {
	t.Helper()
	u, err := url.Parse(target)
	if err != nil {
		t.Fatal(err)
	}
	rp := httputil.NewSingleHostReverseProxy(&url.URL{Scheme: u.Scheme, Host: u.Host})
	p := &hostileProxy{rule: rule, hits: map[garbage]int{}}
	done := make(chan struct{})
	p.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		g := rule(r)
		p.mu.Lock()
		p.hits[g]++
		p.mu.Unlock()
		p.serve(w, r, g, rp, done)
	}))
	t.Cleanup(func() {
		close(done)
		p.Server.CloseClientConnections()
		p.Server.Close()
	})
	return p
}

// api is the proxy's base URL with the sandbox's /v2 prefix.
func (p *hostileProxy) api() string { return p.URL + "/v2" }

func (p *hostileProxy) count(g garbage) int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.hits[g]
}

func (p *hostileProxy) serve(w http.ResponseWriter, r *http.Request, g garbage, rp http.Handler, done chan struct{}) {
	if strings.HasSuffix(string(g), "-after") {
		// Let the sandbox apply the request; throw its answer away.
		rec := httptest.NewRecorder()
		rp.ServeHTTP(rec, r)
	}
	switch g {
	case pass:
		rp.ServeHTTP(w, r)
	case html502Before, html502After:
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(http.StatusBadGateway)
		io.WriteString(w, html502Page)
	case html200:
		w.Header().Set("Content-Type", "text/html")
		io.WriteString(w, "<!doctype html><html><body><h1>Sign in to the hotel Wi-Fi</h1></body></html>")
	case truncatedAfter:
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"items":[{"id":1,"firstName":"Ais`)
	case empty200After:
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusOK)
	case wrongTypesAfter:
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, wrongTypesBody(r))
	case drip, hang:
		if g == drip {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusOK)
			io.WriteString(w, `{"items":[`)
			w.(http.Flusher).Flush()
		}
		tick := time.NewTicker(300 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-r.Context().Done():
				return
			case <-done:
				return
			case <-tick.C:
				if g == drip {
					if _, err := io.WriteString(w, " "); err != nil {
						return
					}
					w.(http.Flusher).Flush()
				}
			}
		}
	}
}

// wrongTypesBody is valid JSON of the wrong shape for every endpoint: strings for numbers,
// an object for a list, a number for a string.
func wrongTypesBody(r *http.Request) string {
	switch {
	case strings.HasSuffix(r.URL.Path, "/list"), strings.HasSuffix(r.URL.Path, "/user"), strings.HasSuffix(r.URL.Path, "/channel"):
		return `{"items":{"id":"one"},"pagination":{"next":17}}`
	case strings.HasSuffix(r.URL.Path, "/count"):
		return `{"count":"many","unread":[1]}`
	case strings.HasSuffix(r.URL.Path, "/message"):
		// Not "88002": a numeric string is an id the client reads (docs/platform-api.md).
		return `{"messageId":"eighty-eight"}`
	}
	return `{"id":"1234","firstName":5,"assignee":"lee","tags":"vip","custom_fields":{"a":1},"created_at":"yesterday"}`
}

// on answers requests whose method and path suffix match with g, the rest untouched.
func on(method, suffix string, g garbage) func(*http.Request) garbage {
	return func(r *http.Request) garbage {
		if r.Method == method && strings.HasSuffix(r.URL.Path, suffix) {
			return g
		}
		return pass
	}
}
