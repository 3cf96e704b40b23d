package apiclient

import (
	"encoding/json"
	"net/url"
	"strconv"
)

// Page is one page of a list endpoint.
type Page[T any] struct {
	Items      []T        `json:"items"`
	Pagination Pagination `json:"pagination"`
}

// Pagination carries the opaque next/previous URLs ("" when absent or null).
type Pagination struct {
	Next     string `json:"next"`
	Previous string `json:"previous"`
}

// NextCursor is the cursorId of the next page; false on the last page.
func (p *Page[T]) NextCursor() (int64, bool) { return ParseNextCursor(p.Pagination.Next) }

// ParseNextCursor reads the cursorId query parameter of a pagination URL. The
// URL is treated as opaque: its host and path may differ from the base URL.
// "" (or a URL without a cursorId) means there is no next page.
func ParseNextCursor(next string) (int64, bool) {
	if next == "" {
		return 0, false
	}
	u, err := url.Parse(next)
	if err != nil {
		return 0, false
	}
	v := u.Query().Get("cursorId")
	if v == "" {
		return 0, false
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		return 0, false
	}
	return n, true
}

// UnmarshalJSON makes a null or absent items list an empty one, so callers can
// print [] without nil checks.
func (p *Page[T]) UnmarshalJSON(data []byte) error {
	type plain Page[T]
	var v plain
	if err := json.Unmarshal(data, &v); err != nil {
		return err
	}
	if v.Items == nil {
		v.Items = []T{}
	}
	*p = Page[T](v)
	return nil
}

// PageOptions selects a page: Limit 1–100 (0: server default), Cursor the
// cursorId (0: first page).
type PageOptions struct {
	Limit  int
	Cursor int64
}

func (o PageOptions) query() url.Values {
	q := url.Values{}
	if o.Limit > 0 {
		q.Set("limit", strconv.Itoa(min(o.Limit, 100)))
	}
	if o.Cursor != 0 {
		q.Set("cursorId", strconv.FormatInt(o.Cursor, 10))
	}
	return q
}
