package apiclient

import (
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/go-resty/resty/v2"
)

// Defaults for Options.
const (
	DefaultTimeout    = 30 * time.Second
	DefaultRateLimit  = 5.0 // requests per second per endpoint
	DefaultMaxRetries = 4
	DefaultUserAgent  = "respondctl"
)

// Options configures a Client. Only BaseURL is required.
type Options struct {
	BaseURL string // e.g. https://api.respond.io/v2
	Token   string
	Timeout time.Duration // per attempt; 0: 30s
	// Debug receives an HTTP trace (method, URL, status, duration, headers
	// with Authorization redacted, truncated bodies). The token never appears.
	Debug     io.Writer
	UserAgent string
	Insecure  bool              // allow http:// to non-loopback hosts
	Transport http.RoundTripper // nil: a pooled http.Transport
	Clock     Clock             // nil: SystemClock
	// RateLimit is the initial per-endpoint budget in requests/s (0: 5); the
	// server's X-RateLimit-Limit replaces it. Negative: no client-side pacing
	// (429 and Retry-After are still honoured).
	RateLimit float64
	// MaxRetries after the first attempt (0: 4; negative: none).
	MaxRetries int
	// CapabilityCache persists Capabilities across runs (optional).
	CapabilityCache CapabilityCache
	// Rand is the jitter source in [0,1) (nil: math/rand).
	Rand func() float64
	// MaxResponseBytes caps one response body (0: DefaultMaxResponseBytes).
	MaxResponseBytes int64
}

// CapabilityCache stores a server's capabilities between runs; entries older
// than a day are refreshed.
type CapabilityCache interface {
	Load(baseURL string) (*Capabilities, time.Time, bool)
	Store(baseURL string, caps Capabilities)
}

// Client is the typed API client. It is safe for concurrent use: the bulk
// engine runs many workers on one Client, sharing its rate limiter.
type Client struct {
	base       *url.URL
	baseString string
	token      string
	timeout    time.Duration
	userAgent  string
	maxRetries int
	clock      Clock
	rand       func() float64
	http       *resty.Client
	limits     *limiterSet
	trace      *tracer
	capCache   CapabilityCache

	capMu sync.Mutex
	caps  *Capabilities

	base404 baseCheck
}

// New validates opts and builds a Client.
func New(opts Options) (*Client, error) {
	base, err := parseBaseURL(opts.BaseURL, opts.Insecure)
	if err != nil {
		return nil, err
	}
	if err := checkToken(opts.Token); err != nil {
		return nil, err
	}
	c := &Client{
		base:       base,
		baseString: base.String(),
		token:      opts.Token,
		timeout:    opts.Timeout,
		userAgent:  opts.UserAgent,
		maxRetries: opts.MaxRetries,
		clock:      opts.Clock,
		rand:       opts.Rand,
		capCache:   opts.CapabilityCache,
	}
	if c.timeout <= 0 {
		c.timeout = DefaultTimeout
	}
	if c.userAgent == "" {
		c.userAgent = DefaultUserAgent
	}
	switch {
	case c.maxRetries == 0:
		c.maxRetries = DefaultMaxRetries
	case c.maxRetries < 0:
		c.maxRetries = 0
	}
	if c.clock == nil {
		c.clock = SystemClock{}
	}
	if c.rand == nil {
		c.rand = rand.Float64
	}
	rl := opts.RateLimit
	if rl == 0 {
		rl = DefaultRateLimit
	}
	c.limits = newLimiterSet(rl, c.clock)
	if opts.Debug != nil {
		c.trace = &tracer{w: opts.Debug, token: opts.Token}
		c.limits.note = func(msg string) { c.trace.note("%s", msg) }
	}
	transport := opts.Transport
	if transport == nil {
		t := http.DefaultTransport.(*http.Transport).Clone()
		// Bulk runs share one client across workers: keep their connections.
		t.MaxIdleConnsPerHost = 32
		transport = t
	}
	// No cookie jar, no resty retries or logging: the retry loop and the
	// trace are ours, so the rules about what may be resent live in one place.
	limit := opts.MaxResponseBytes
	if limit <= 0 {
		limit = DefaultMaxResponseBytes
	}
	transport = &limitTransport{next: transport, limit: limit}
	c.http = resty.NewWithClient(&http.Client{Transport: transport, CheckRedirect: c.checkRedirect}).
		SetRetryCount(0).
		SetLogger(discardLogger{}).
		SetAllowGetMethodPayload(true)
	return c, nil
}

// BaseURL is the normalised base URL (no trailing slash).
func (c *Client) BaseURL() string { return c.baseString }

// parseBaseURL accepts https anywhere and http only on loopback (or with insecure).
func parseBaseURL(raw string, insecure bool) (*url.URL, error) {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return nil, fmt.Errorf("no API base URL configured")
	}
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" || u.Hostname() == "" {
		return nil, fmt.Errorf("invalid API base URL %q: want e.g. https://api.respond.io/v2", raw)
	}
	if u.User != nil {
		return nil, fmt.Errorf("invalid API base URL: credentials in the URL are not supported; use a token")
	}
	switch strings.ToLower(u.Scheme) {
	case "https":
	case "http":
		if !insecure && !isLoopback(u.Hostname()) {
			return nil, fmt.Errorf("refusing plain http:// to non-loopback host %q: use https or --insecure", u.Hostname())
		}
	default:
		return nil, fmt.Errorf("invalid API base URL %q: scheme must be https", raw)
	}
	u.Scheme = strings.ToLower(u.Scheme)
	u.Path = strings.TrimRight(u.Path, "/")
	u.RawPath = ""
	u.RawQuery, u.Fragment = "", ""
	return u, nil
}

func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// hostLabel is scheme://host, used in transport errors.
func (c *Client) hostLabel() string { return c.base.Scheme + "://" + c.base.Host }

type discardLogger struct{}

func (discardLogger) Errorf(string, ...any) {}
func (discardLogger) Warnf(string, ...any)  {}
func (discardLogger) Debugf(string, ...any) {}

// checkToken refuses a token no HTTP header can carry (a control character, e.g. a newline
// pasted with it) before any request: retrying such a request could never succeed. The
// error names the position, never the token.
func checkToken(token string) error {
	for i := 0; i < len(token); i++ {
		if c := token[i]; c < 0x20 || c == 0x7f {
			return fmt.Errorf("the API token has a control character (byte %d of %d): check the profile or RESPOND_TOKEN for a stray newline or escape", i+1, len(token))
		}
	}
	return nil
}
