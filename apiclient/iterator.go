package apiclient

import (
	"context"
	"fmt"
	"strconv"
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
	key     func(T) string // identity of an item, for cycle detection (nil: none)
	keep    func(T) bool   // client-side filter (nil: every item)
	items   []T
	idx     int
	cursor  int64
	started bool
	done    bool
	pages   int
	cur     T
	err     error
	// cursors requested so far and the first item of every page: a server
	// whose cursor cycles is stopped before it shows an item twice.
	cursors map[int64]bool
	firsts  map[string]bool
}

// NewIterator builds an iterator over any cursor-paged fetch function.
func NewIterator[T any](fetch func(ctx context.Context, cursor int64) (*Page[T], error)) *Iterator[T] {
	return &Iterator[T]{fetch: fetch}
}

// withKey names items, so a page that starts with an item already listed
// (a cursor that cycles through fresh-looking values) ends the listing.
func (it *Iterator[T]) withKey(key func(T) string) *Iterator[T] {
	it.key = key
	return it
}

// Next advances to the next item, fetching a page when needed. It returns
// false at the end or on error (see Err).
//
// The listing ends with a *PaginationError (and none of the offending page's
// items) when pagination.next has no usable cursorId, names a cursor already
// requested, or leads to a page whose first item was already listed.
func (it *Iterator[T]) Next(ctx context.Context) bool {
	for {
		for it.idx >= len(it.items) {
			if it.done || it.err != nil {
				return false
			}
			if it.started && it.cursor == 0 {
				it.done = true
				return false
			}
			if !it.fetchPage(ctx) {
				return false
			}
		}
		it.cur = it.items[it.idx]
		it.idx++
		if it.keep == nil || it.keep(it.cur) {
			return true
		}
	}
}

// fetchPage loads the page at it.cursor and moves the cursor on.
func (it *Iterator[T]) fetchPage(ctx context.Context) bool {
	if it.cursors == nil {
		it.cursors, it.firsts = map[int64]bool{}, map[string]bool{}
	}
	it.cursors[it.cursor] = true
	page, err := it.fetch(ctx, it.cursor)
	it.started = true
	if err != nil {
		it.err = err
		return false
	}
	it.pages++
	if it.key != nil && len(page.Items) > 0 {
		k := it.key(page.Items[0])
		if it.firsts[k] {
			it.err = &PaginationError{Pages: it.pages, Reason: fmt.Sprintf("page %d starts with an item already listed (%s)", it.pages, k)}
			return false
		}
		it.firsts[k] = true
	}
	next, perr := nextCursor(page.Pagination.Next, it.cursors)
	if perr != nil {
		perr.Pages = it.pages
		it.err = perr
		return false
	}
	it.items, it.idx = page.Items, 0
	if next == 0 {
		it.done = true
	}
	it.cursor = next
	return true
}

// PaginationError: the server's pagination cannot be followed safely (a next
// link without a usable cursor, or one that cycles). The listing stops
// rather than loop or print an item twice.
type PaginationError struct {
	Pages  int    // pages read before stopping
	Reason string // what was wrong, e.g. "cursorId 40 returned again"
}

func (e *PaginationError) Error() string {
	return fmt.Sprintf("pagination stopped after %d pages: %s; the listing is incomplete", e.Pages, e.Reason)
}

// nextCursor reads the cursor of a pagination.next link: 0 for the last page
// ("" or null), a *PaginationError for a link with no usable cursorId or a
// cursor in seen.
func nextCursor(next string, seen map[int64]bool) (int64, *PaginationError) {
	if next == "" {
		return 0, nil
	}
	cursor, ok := ParseNextCursor(next)
	switch {
	case !ok || cursor == 0:
		return 0, &PaginationError{Reason: fmt.Sprintf("the next link has no usable cursorId (%s)", oneLine(next, 120))}
	case seen[cursor]:
		return 0, &PaginationError{Reason: fmt.Sprintf("cursorId %d returned again (the server's cursor cycles)", cursor)}
	}
	return cursor, nil
}

// NextCursor reads the cursor of a pagination.next link for callers that
// page by hand (`respondctl api --paginate`): done is true on the last page
// ("" or null); an error for a link without a usable cursorId or with a
// cursor in seen. Callers add each cursor they request to seen.
func NextCursor(next string, seen map[int64]bool) (cursor int64, done bool, err error) {
	c, perr := nextCursor(next, seen)
	if perr != nil {
		return 0, false, perr
	}
	return c, c == 0, nil
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
	}).withKey(func(ct Contact) string { return "contact " + strconv.FormatInt(ct.ID, 10) })
}

// IterateMessages streams a conversation's messages, newest first (channelID 0:
// all). With a channel it also filters on the client: a server that ignores
// channelId still yields only that channel's messages.
func (c *Client) IterateMessages(id ContactIdentifier, channelID int64, size int) *Iterator[Message] {
	return messageIterator(func(ctx context.Context, cursor int64) (*Page[Message], error) {
		return c.ListMessages(ctx, id, MessageListOptions{PageOptions: PageOptions{Limit: pageSize(size), Cursor: cursor}, ChannelID: channelID})
	}, channelID)
}

// messageIterator is the iterator over fetched message pages: an item seen twice stops it
// (withKey), and with a channel only that channel's messages are kept, whether or not the
// server honoured channelId.
func messageIterator(fetch func(ctx context.Context, cursor int64) (*Page[Message], error), channelID int64) *Iterator[Message] {
	it := NewIterator(fetch).withKey(func(m Message) string { return "message " + strconv.FormatInt(m.MessageID, 10) })
	if channelID != 0 {
		it.keep = func(m Message) bool { return m.ChannelID == channelID }
	}
	return it
}

// eventIterator is the iterator over fetched event pages (an item seen twice stops it).
func eventIterator(fetch func(ctx context.Context, cursor int64) (*Page[Event], error)) *Iterator[Event] {
	return NewIterator(fetch).withKey(func(e Event) string { return "event " + strconv.FormatInt(e.ID, 10) })
}

// IterateEvents streams a conversation's events, newest first (EXT).
func (c *Client) IterateEvents(id ContactIdentifier, size int) *Iterator[Event] {
	return eventIterator(func(ctx context.Context, cursor int64) (*Page[Event], error) {
		return c.ListEvents(ctx, id, PageOptions{Limit: pageSize(size), Cursor: cursor})
	})
}

// IterateContactChannels streams a contact's channels.
func (c *Client) IterateContactChannels(id ContactIdentifier, size int) *Iterator[ContactChannel] {
	return NewIterator(func(ctx context.Context, cursor int64) (*Page[ContactChannel], error) {
		return c.ListContactChannels(ctx, id, PageOptions{Limit: pageSize(size), Cursor: cursor})
	}).withKey(func(ch ContactChannel) string { return "channel " + strconv.FormatInt(ch.ID, 10) })
}

// IterateUsers streams the workspace's users.
func (c *Client) IterateUsers(size int) *Iterator[User] {
	return NewIterator(func(ctx context.Context, cursor int64) (*Page[User], error) {
		return c.ListUsers(ctx, PageOptions{Limit: pageSize(size), Cursor: cursor})
	}).withKey(func(u User) string { return "user " + strconv.FormatInt(u.ID, 10) })
}

// IterateChannels streams the workspace's channels.
func (c *Client) IterateChannels(size int) *Iterator[Channel] {
	return NewIterator(func(ctx context.Context, cursor int64) (*Page[Channel], error) {
		return c.ListChannels(ctx, PageOptions{Limit: pageSize(size), Cursor: cursor})
	}).withKey(func(ch Channel) string { return "channel " + strconv.FormatInt(ch.ID, 10) })
}

// IterateClosingNotes streams the closing-note categories.
func (c *Client) IterateClosingNotes(size int) *Iterator[ClosingNote] {
	return NewIterator(func(ctx context.Context, cursor int64) (*Page[ClosingNote], error) {
		return c.ListClosingNotes(ctx, PageOptions{Limit: pageSize(size), Cursor: cursor})
	}).withKey(func(n ClosingNote) string { return "category " + strconv.Quote(n.Category) })
}
