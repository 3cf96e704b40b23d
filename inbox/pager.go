package inbox

import (
	"context"

	"github.com/respondctl/respondctl/apiclient"
)

// maxPage is the largest page the API serves.
const maxPage = 100

// fetchPage fetches one page of a list endpoint.
type fetchPage[T any] func(ctx context.Context, page apiclient.PageOptions) (*apiclient.Page[T], error)

// pageIter pulls items one at a time, holding at most one page in memory.
type pageIter[T any] struct {
	fetch   fetchPage[T]
	size    int
	cursor  int64
	items   []T
	i       int
	started bool
	last    bool
	err     error
}

func newPageIter[T any](fetch fetchPage[T], size int) *pageIter[T] {
	if size <= 0 || size > maxPage {
		size = maxPage
	}
	return &pageIter[T]{fetch: fetch, size: size}
}

// Next advances to the next item, fetching the next page when needed.
func (p *pageIter[T]) Next(ctx context.Context) bool {
	for p.i >= len(p.items) {
		if p.err != nil || (p.started && p.last) {
			return false
		}
		if err := ctx.Err(); err != nil {
			p.err = err
			return false
		}
		page, err := p.fetch(ctx, apiclient.PageOptions{Limit: p.size, Cursor: p.cursor})
		p.started = true
		if err != nil {
			p.err = err
			return false
		}
		p.items, p.i = page.Items, 0
		next, ok := page.NextCursor()
		// A next cursor equal to the current one would loop for ever: treat it as the end.
		p.last = !ok || len(page.Items) == 0 || (p.cursor != 0 && next == p.cursor)
		p.cursor = next
	}
	p.i++
	return true
}

// Item is the current item (valid until the next call to Next).
func (p *pageIter[T]) Item() *T { return &p.items[p.i-1] }

// Err is the error that stopped the iteration, if any.
func (p *pageIter[T]) Err() error { return p.err }

// eachItem calls fn for every item of a list, page by page.
func eachItem[T any](ctx context.Context, fetch fetchPage[T], fn func(*T) error) error {
	it := newPageIter(fetch, maxPage)
	for it.Next(ctx) {
		if err := fn(it.Item()); err != nil {
			return err
		}
	}
	return it.Err()
}

// collectAll reads a whole (small) list: users, channels, closing notes.
func collectAll[T any](ctx context.Context, fetch fetchPage[T]) ([]T, error) {
	out := []T{}
	err := eachItem(ctx, fetch, func(t *T) error { out = append(out, *t); return nil })
	return out, err
}
