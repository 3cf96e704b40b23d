package apiclient

import (
	"bytes"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/respondctl/respondctl/apiclient/httpmock"
)

const testToken = "sk-test-SECRET-token-1234"

var testStart = time.Date(2024, 11, 24, 10, 0, 0, 0, time.UTC)

// syncBuffer is a concurrency-safe debug sink.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// newMockClient builds a client on reg with a fake clock and maximal jitter
// (Rand = 1), so backoffs are exactly 250ms, 500ms, 1s…
func newMockClient(t *testing.T, reg *httpmock.Registry, mod ...func(*Options)) (*Client, *httpmock.FakeClock) {
	t.Helper()
	clock := httpmock.NewFakeClock(testStart)
	opts := Options{
		BaseURL:   "https://api.test/v2",
		Token:     testToken,
		Transport: reg,
		Clock:     clock,
		Rand:      func() float64 { return 1 },
		RateLimit: -1, // pacing is tested on its own; keep other tests' sleeps to retries
	}
	for _, m := range mod {
		m(&opts)
	}
	c, err := New(opts)
	if err != nil {
		t.Fatal(err)
	}
	return c, clock
}

// registerGoodBase answers the one base-URL check a client makes on its
// first 404 (GET /space/user?limit=1): this base is the API.
func registerGoodBase(reg *httpmock.Registry) {
	reg.Register(httpmock.REST("GET", "space/user?limit=1"), httpmock.StringResponse(`{"items":[],"pagination":{"next":""}}`))
}

// assertNoToken fails when s contains the token.
func assertNoToken(t *testing.T, what, s string) {
	t.Helper()
	if strings.Contains(s, testToken) {
		t.Errorf("%s leaks the token: %s", what, s)
	}
}

type fakeCapCache struct {
	caps   *Capabilities
	at     time.Time
	base   string
	stores int
}

func (f *fakeCapCache) Load(baseURL string) (*Capabilities, time.Time, bool) {
	return f.caps, f.at, f.caps != nil
}

func (f *fakeCapCache) Store(baseURL string, caps Capabilities) {
	f.base, f.stores = baseURL, f.stores+1
	f.caps, f.at = &caps, testStart
}

type (
	httpmockRequest  = http.Request
	httpmockResponse = http.Response
)
