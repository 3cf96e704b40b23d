package apiclient

import (
	"errors"
	"fmt"
	"io"
	"net/http"
)

// DefaultMaxResponseBytes caps one response body. The largest legitimate
// answer (a page of 100 contacts with custom fields) is well under 1 MiB; a
// server streaming gigabytes must not take the machine's memory with it.
// Reading a body to the cap costs about three times the cap in peak RSS
// (buffer growth and GC slack): 16 MiB keeps a hostile 1 GiB answer near
// 50 MiB, where 32 MiB measured 92 MiB, too close to the 100 MiB bound.
const DefaultMaxResponseBytes = 16 << 20

// ResponseTooLargeError: the body exceeded the cap (or announced it would).
type ResponseTooLargeError struct {
	Limit    int64
	Declared int64 // Content-Length when the server announced the size, else -1
}

func (e *ResponseTooLargeError) Error() string { return "response too large: " + e.detail() }

func (e *ResponseTooLargeError) detail() string {
	if e.Declared > 0 {
		return fmt.Sprintf("the server announced %d bytes (the limit is %d MiB per response)", e.Declared, e.Limit>>20)
	}
	return fmt.Sprintf("more than %d MiB (the limit per response)", e.Limit>>20)
}

func isTooLarge(err error) bool {
	var tl *ResponseTooLargeError
	return errors.As(err, &tl)
}

// limitTransport refuses bodies over limit: one announced larger fails before
// reading, one that keeps coming fails at limit+1 bytes, so memory stays
// bounded by the limit whatever the server sends.
type limitTransport struct {
	next  http.RoundTripper
	limit int64
}

func (t *limitTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := t.next.RoundTrip(req)
	if err != nil {
		return resp, err
	}
	if resp.ContentLength > t.limit {
		resp.Body.Close()
		return nil, &ResponseTooLargeError{Limit: t.limit, Declared: resp.ContentLength}
	}
	resp.Body = &limitedBody{rc: resp.Body, left: t.limit, limit: t.limit}
	return resp, nil
}

type limitedBody struct {
	rc          io.ReadCloser
	left, limit int64
}

func (b *limitedBody) Read(p []byte) (int, error) {
	if b.left <= 0 {
		// One more byte tells a body of exactly limit bytes from a longer one.
		var one [1]byte
		n, err := b.rc.Read(one[:])
		if n > 0 {
			return 0, &ResponseTooLargeError{Limit: b.limit, Declared: -1}
		}
		return 0, err
	}
	if int64(len(p)) > b.left {
		p = p[:b.left]
	}
	n, err := b.rc.Read(p)
	b.left -= int64(n)
	return n, err
}

func (b *limitedBody) Close() error { return b.rc.Close() }
