package apiclient

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// Backoff: full jitter over base·2^(n-1), capped.
const (
	backoffBase = 250 * time.Millisecond
	backoffCap  = 8 * time.Second
	// maxRetryAfter: a server asking for a longer pause than this ends the
	// call with GaveUpError instead of hanging the command.
	maxRetryAfter = 2 * time.Minute
	// maxRetryAfterHeader caps what parseRetryAfter returns, so an absurd
	// header cannot overflow a Duration into a negative (no) wait.
	maxRetryAfterHeader = 24 * time.Hour
	// maxTimeoutRetries: a call whose attempt got no answer within the
	// timeout is retried this many times at most, whatever MaxRetries says.
	// Other retryable failures are brief; a hung server is not, and five
	// 30 s timeouts (2.5 minutes) is too long to learn it.
	maxTimeoutRetries = 1
)

// StatusQueued is the platform's 449 "request queued, retry later".
const StatusQueued = 449

// backoff is the wait before retry number n (1-based), full jitter.
func (c *Client) backoff(n int) time.Duration {
	d := backoffBase << min(n-1, 10)
	if d > backoffCap || d <= 0 {
		d = backoffCap
	}
	return time.Duration(c.rand() * float64(d))
}

// retryableStatus says whether a status may be retried. Idempotent calls
// retry 429, 449, 500, 502, 503, 504. Non-idempotent calls retry only 429,
// which proves the request was refused before processing; for them a 449
// (queued: it may still be processed) or a 500/502/503/504 means the outcome
// is unknown (see unknownStatus).
func retryableStatus(status int, idempotent bool) bool {
	switch status {
	case http.StatusTooManyRequests:
		return true
	case StatusQueued, http.StatusInternalServerError, http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return idempotent
	}
	return false
}

// unknownStatus: a non-idempotent request answered with this status may still
// have been applied (e.g. behind a proxy that timed out, or queued by the platform).
func unknownStatus(status int) bool {
	switch status {
	case StatusQueued, http.StatusInternalServerError, http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return true
	}
	return false
}

// Queued backoff: a 449 without Retry-After means "retry in a few minutes";
// a read waits seconds to a minute between attempts, not milliseconds.
const (
	queuedBackoffBase = 2 * time.Second
	queuedBackoffCap  = time.Minute
)

// queuedBackoff is the wait before retry n (1-based) after a 449 that named
// no Retry-After: half fixed, half jitter over base·2^(n-1), capped.
func (c *Client) queuedBackoff(n int) time.Duration {
	d := queuedBackoffBase << min(n-1, 10)
	if d > queuedBackoffCap || d <= 0 {
		d = queuedBackoffCap
	}
	return d/2 + time.Duration(c.rand()*float64(d/2))
}

// parseRetryAfter reads Retry-After as seconds or an HTTP date.
func parseRetryAfter(h http.Header, now time.Time) time.Duration {
	v := strings.TrimSpace(h.Get("Retry-After"))
	if v == "" {
		return 0
	}
	if secs, err := strconv.ParseFloat(v, 64); err == nil {
		if secs <= 0 || secs != secs {
			return 0
		}
		if secs > maxRetryAfterHeader.Seconds() {
			return maxRetryAfterHeader // 1e300 would overflow a Duration
		}
		return time.Duration(secs * float64(time.Second))
	}
	if t, err := http.ParseTime(v); err == nil && t.After(now) {
		return t.Sub(now)
	}
	return 0
}

// netFailure classifies a transport error.
type netFailure int

const (
	// failNotSent: the connection was never established; nothing reached the
	// server, so even a send may be repeated.
	failNotSent netFailure = iota
	// failPermanent: retrying cannot help (unknown host, bad certificate).
	// Nothing was sent either.
	failPermanent
	// failMaybeSent: the connection broke or timed out after the request may
	// have been written: a send's outcome is unknown.
	failMaybeSent
)

func classifyNetError(err error) netFailure {
	var dnsErr *net.DNSError
	if errors.As(err, &dnsErr) && dnsErr.IsNotFound {
		return failPermanent
	}
	var certErr *tls.CertificateVerificationError
	var unknownAuth x509.UnknownAuthorityError
	var hostErr x509.HostnameError
	var invalidCert x509.CertificateInvalidError
	if errors.As(err, &certErr) || errors.As(err, &unknownAuth) || errors.As(err, &hostErr) || errors.As(err, &invalidCert) {
		return failPermanent
	}
	var opErr *net.OpError
	if errors.As(err, &opErr) && (opErr.Op == "dial" || opErr.Op == "proxyconnect") {
		return failNotSent
	}
	return failMaybeSent
}

// describeNetError is the short, token-free cause of a transport error.
func describeNetError(err error) string {
	var dnsErr *net.DNSError
	var redirErr *RedirectError
	var tooLarge *ResponseTooLargeError
	switch {
	case err == nil:
		return "unknown error"
	case errors.As(err, &redirErr):
		return redirErr.Error()
	case errors.As(err, &tooLarge):
		return tooLarge.Error()
	case errors.As(err, &dnsErr):
		if dnsErr.IsNotFound {
			return "no such host"
		}
		return "DNS lookup failed: " + oneLine(dnsErr.Err, 80)
	case errors.Is(err, syscall.ECONNREFUSED):
		return "connection refused"
	case errors.Is(err, syscall.ECONNRESET):
		return "connection reset"
	case errors.Is(err, syscall.EPIPE):
		return "connection closed (broken pipe)"
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return "connection closed by server"
	case errors.Is(err, context.DeadlineExceeded) || isTimeout(err):
		return "timeout"
	case errors.Is(err, context.Canceled):
		return "interrupted"
	}
	var certErr *tls.CertificateVerificationError
	if errors.As(err, &certErr) {
		return "TLS certificate not trusted: " + oneLine(certErr.Err.Error(), 120)
	}
	var opErr *net.OpError
	if errors.As(err, &opErr) && opErr.Err != nil {
		return oneLine(opErr.Err.Error(), 120)
	}
	return oneLine(err.Error(), 120)
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

// shortCause is the parenthesised reason in an OutcomeUnknownError.
func shortCause(err error) string {
	var ae *APIError
	var te *TransportError
	var ie *InvalidResponseError
	switch {
	case errors.As(err, &ie):
		return "answered 2xx with an unreadable body: " + strings.TrimPrefix(ie.Error(),
			"invalid response from server for "+ie.Method+" "+ie.Path+": ")
	case errors.As(err, &ae):
		return ae.Error()
	case errors.As(err, &te):
		if te.Timeout > 0 {
			return "no response within " + te.Timeout.String()
		}
		return describeNetError(te.Err)
	case errors.Is(err, context.Canceled):
		return "interrupted"
	case errors.Is(err, context.DeadlineExceeded):
		return "deadline exceeded"
	}
	return describeNetError(err)
}
