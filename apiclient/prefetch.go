package apiclient

import (
	"context"
	"net/http"
	"runtime"
	"strconv"
)

// readAhead wraps a page fetch so that, as soon as a page has arrived, the page after it
// is requested in the background while the caller works through this one: the server's
// time and the client's overlap instead of adding up. Only for callers that read the
// whole list (an abandoned read-ahead costs one extra page request). One page ahead at
// most; the limiter paces it like any other request.
func readAhead[T any](fetch func(ctx context.Context, cursor int64) (*Page[T], error)) func(ctx context.Context, cursor int64) (*Page[T], error) {
	type result struct {
		page *Page[T]
		err  error
	}
	var pending chan result
	var pendingCursor int64
	return func(ctx context.Context, cursor int64) (*Page[T], error) {
		var r result
		if pending != nil && pendingCursor == cursor {
			select {
			case r = <-pending:
			case <-ctx.Done():
				return nil, ctx.Err()
			}
		} else {
			r.page, r.err = fetch(ctx, cursor)
		}
		pending = nil
		if r.err == nil {
			if next, ok := r.page.NextCursor(); ok && next != cursor {
				ch := make(chan result, 1) // buffered: an abandoned read-ahead never blocks
				pending, pendingCursor = ch, next
				go func() {
					p, err := fetch(ctx, next)
					ch <- result{p, err}
				}()
				// Let it send its request now: on a single P (conversation show --all runs on
				// one) it would otherwise wait until the caller blocks, after this page.
				runtime.Gosched()
			}
		}
		return r.page, r.err
	}
}

// IterateMessagesAhead is IterateMessages reading one page ahead (see readAhead): for
// reading a whole conversation.
func (c *Client) IterateMessagesAhead(id ContactIdentifier, channelID int64, size int) *Iterator[Message] {
	return messageIterator(readAhead(func(ctx context.Context, cursor int64) (*Page[Message], error) {
		cl, err := contactCall(id, http.MethodGet, mayRepeat, nil, PageOptions{Limit: pageSize(size), Cursor: cursor}, "message", "list")
		if err != nil {
			return nil, err
		}
		if channelID != 0 {
			cl.query.Set("channelId", strconv.FormatInt(channelID, 10))
		}
		return doMessagePage(ctx, c, cl)
	}), channelID)
}

// IterateEventsAhead is IterateEvents reading one page ahead.
func (c *Client) IterateEventsAhead(id ContactIdentifier, size int) *Iterator[Event] {
	return eventIterator(readAhead(func(ctx context.Context, cursor int64) (*Page[Event], error) {
		return c.ListEvents(ctx, id, PageOptions{Limit: pageSize(size), Cursor: cursor})
	}))
}

// plainPage is Page without its UnmarshalJSON: decoding a Page runs the JSON scanner over
// the body three times (the outer call validates it, skips it, and the method's own call
// validates it again) before decoding; a plainPage is validated once and decoded.
type plainPage[T any] Page[T]

// doPage is doJSON for a page, decoded in one pass, with Page's guarantee that Items is
// never nil.
func doPage[T any](ctx context.Context, c *Client, cl *call) (*Page[T], error) {
	resp, err := c.send(ctx, cl)
	if err != nil {
		return nil, err
	}
	return pageFromBody[T](cl, resp)
}

// pageFromBody decodes a page answer in one pass (see plainPage).
func pageFromBody[T any](cl *call, resp *response) (*Page[T], error) {
	v, err := decode[plainPage[T]](cl, resp)
	if err != nil {
		return nil, err
	}
	p := (*Page[T])(v)
	if p.Items == nil {
		p.Items = []T{}
	}
	return p, nil
}
