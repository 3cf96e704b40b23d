package apiclient

import (
	"context"
	"fmt"
)

// DefaultPageSize is the page size iterators use when given 0: the API's maximum.
const DefaultPageSize = 100

// Iterator streams a list endpoint page by page: it holds one page at a time
// and fetches the next only when the current one is used up.
//
//	it := c.IterateContacts(req, 0)
//	for it.Next(ctx) {
//	    use(it.Item())
//	}
//	if err := it.Err(); err != nil { … }
type Iterator[T any] struct {
	fetch   func(ctx context.Context, cursor int64) (*Page[T], error)
	items   []T
	idx     int
	cursor  int64
	started bool
	done    bool
	pages   int
	cur     T
	err     error
}

// NewIterator builds an iterator over any cursor-paged fetch function.
func NewIterator[T any](fetch func(ctx context.Context, cursor int64) (*Page[T], error)) *Iterator[T] {
	return &Iterator[T]{fetch: fetch}
}

// Next advances to the next item, fetching a page when needed. It returns
// false at the end or on error (see Err).
func (it *Iterator[T]) Next(ctx context.Context) bool {
	for it.idx >= len(it.items) {
		if it.done || it.err != nil {
			return false
		}
		if it.started && it.cursor == 0 {
			it.done = true
			return false
		}
		page, err := it.fetch(ctx, it.cursor)
		it.started = true
		if err != nil {
			it.err = err
			return false
		}
		it.pages++
		it.items, it.idx = page.Items, 0
		next, ok := page.NextCursor()
		switch {
		case !ok:
			it.done = true
		case next == it.cursor:
			// A server that hands back the same cursor would loop forever.
			it.err = fmt.Errorf("pagination did not advance (cursorId %d returned twice)", next)
			it.done = true
		default:
			it.cursor = next
		}
	}
	it.cur = it.items[it.idx]
	it.idx++
	return true
}

// Item is the current item (valid after Next returned true).
func (it *Iterator[T]) Item() T { return it.cur }

// Err is the error that stopped the iteration, if any.
func (it *Iterator[T]) Err() error { return it.err }

// PagesFetched counts the pages fetched so far.
func (it *Iterator[T]) PagesFetched() int { return it.pages }

func pageSize(n int) int {
	if n <= 0 || n > 100 {
		return DefaultPageSize
	}
	return n
}

// IterateContacts streams POST /contact/list.
func (c *Client) IterateContacts(req ContactListRequest, size int) *Iterator[Contact] {
	return NewIterator(func(ctx context.Context, cursor int64) (*Page[Contact], error) {
		return c.ListContacts(ctx, req, PageOptions{Limit: pageSize(size), Cursor: cursor})
	})
}

// IterateMessages streams a conversation's messages, newest first (channelID 0: all).
func (c *Client) IterateMessages(id ContactIdentifier, channelID int64, size int) *Iterator[Message] {
	return NewIterator(func(ctx context.Context, cursor int64) (*Page[Message], error) {
		return c.ListMessages(ctx, id, MessageListOptions{PageOptions: PageOptions{Limit: pageSize(size), Cursor: cursor}, ChannelID: channelID})
	})
}

// IterateEvents streams a conversation's events, newest first (EXT).
func (c *Client) IterateEvents(id ContactIdentifier, size int) *Iterator[Event] {
	return NewIterator(func(ctx context.Context, cursor int64) (*Page[Event], error) {
		return c.ListEvents(ctx, id, PageOptions{Limit: pageSize(size), Cursor: cursor})
	})
}

// IterateContactChannels streams a contact's channels.
func (c *Client) IterateContactChannels(id ContactIdentifier, size int) *Iterator[ContactChannel] {
	return NewIterator(func(ctx context.Context, cursor int64) (*Page[ContactChannel], error) {
		return c.ListContactChannels(ctx, id, PageOptions{Limit: pageSize(size), Cursor: cursor})
	})
}

// IterateUsers streams the workspace's users.
func (c *Client) IterateUsers(size int) *Iterator[User] {
	return NewIterator(func(ctx context.Context, cursor int64) (*Page[User], error) {
		return c.ListUsers(ctx, PageOptions{Limit: pageSize(size), Cursor: cursor})
	})
}

// IterateChannels streams the workspace's channels.
func (c *Client) IterateChannels(size int) *Iterator[Channel] {
	return NewIterator(func(ctx context.Context, cursor int64) (*Page[Channel], error) {
		return c.ListChannels(ctx, PageOptions{Limit: pageSize(size), Cursor: cursor})
	})
}

// IterateClosingNotes streams the closing-note categories.
func (c *Client) IterateClosingNotes(size int) *Iterator[ClosingNote] {
	return NewIterator(func(ctx context.Context, cursor int64) (*Page[ClosingNote], error) {
		return c.ListClosingNotes(ctx, PageOptions{Limit: pageSize(size), Cursor: cursor})
	})
}
