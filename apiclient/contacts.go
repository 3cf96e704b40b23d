package apiclient

import (
	"context"
	"net/http"
	"strconv"
)

// contactCall builds a call under /contact/{identifier}/….
func contactCall(id ContactIdentifier, method string, repeat repeatPolicy, body any, q PageOptions, rest ...string) (*call, error) {
	canon, err := id.canonical()
	if err != nil {
		return nil, err
	}
	return newCall(method, repeat, body, q.query(), append([]string{"contact", canon.PathSegment()}, rest...)...)
}

// GetContact fetches one contact. GET /contact/{identifier}
func (c *Client) GetContact(ctx context.Context, id ContactIdentifier) (*Contact, error) {
	cl, err := contactCall(id, http.MethodGet, mayRepeat, nil, PageOptions{})
	if err != nil {
		return nil, err
	}
	return doJSON[Contact](ctx, c, cl)
}

// ListContacts fetches one page of contacts. POST /contact/list (idempotent: a read).
func (c *Client) ListContacts(ctx context.Context, req ContactListRequest, page PageOptions) (*Page[Contact], error) {
	cl, err := newCall(http.MethodPost, mayRepeat, req.wire(), page.query(), "contact", "list")
	if err != nil {
		return nil, err
	}
	return doJSON[Page[Contact]](ctx, c, cl)
}

// CountContacts counts matching contacts and how many have unread messages.
// POST /contact/count (EXT).
func (c *Client) CountContacts(ctx context.Context, req ContactListRequest) (*ContactCount, error) {
	cl, err := newCall(http.MethodPost, mayRepeat, req.wire(), nil, "contact", "count")
	if err != nil {
		return nil, err
	}
	return doJSON[ContactCount](ctx, c, cl)
}

// ListContactChannels fetches one page of a contact's channels.
// GET /contact/{identifier}/channels
func (c *Client) ListContactChannels(ctx context.Context, id ContactIdentifier, page PageOptions) (*Page[ContactChannel], error) {
	cl, err := contactCall(id, http.MethodGet, mayRepeat, nil, page, "channels")
	if err != nil {
		return nil, err
	}
	return doJSON[Page[ContactChannel]](ctx, c, cl)
}

// ListMessages fetches one page of a conversation's messages, newest first.
// GET /contact/{identifier}/message/list
func (c *Client) ListMessages(ctx context.Context, id ContactIdentifier, opts MessageListOptions) (*Page[Message], error) {
	cl, err := contactCall(id, http.MethodGet, mayRepeat, nil, opts.PageOptions, "message", "list")
	if err != nil {
		return nil, err
	}
	if opts.ChannelID != 0 {
		cl.query.Set("channelId", strconv.FormatInt(opts.ChannelID, 10))
	}
	return doMessagePage(ctx, c, cl)
}

// GetMessage fetches one message. GET /contact/{identifier}/message/{messageId}
func (c *Client) GetMessage(ctx context.Context, id ContactIdentifier, messageID int64) (*Message, error) {
	cl, err := contactCall(id, http.MethodGet, mayRepeat, nil, PageOptions{}, "message", strconv.FormatInt(messageID, 10))
	if err != nil {
		return nil, err
	}
	return doJSON[Message](ctx, c, cl)
}

// SendMessage sends a message. POST /contact/{identifier}/message.
// Not idempotent: it is never resent once it may have reached the server; an
// uncertain result is an *OutcomeUnknownError.
func (c *Client) SendMessage(ctx context.Context, id ContactIdentifier, req SendMessageRequest) (*SendMessageResponse, error) {
	cl, err := contactCall(id, http.MethodPost, neverRepeat, req, PageOptions{}, "message")
	if err != nil {
		return nil, err
	}
	out, err := doJSON[SendMessageResponse](ctx, c, cl)
	return requirePositiveID(cl, out, err, "messageId", func(r *SendMessageResponse) int64 { return r.MessageID })
}

// ListEvents fetches one page of conversation events, newest first.
// GET /contact/{identifier}/conversation/event/list (EXT)
func (c *Client) ListEvents(ctx context.Context, id ContactIdentifier, page PageOptions) (*Page[Event], error) {
	cl, err := contactCall(id, http.MethodGet, mayRepeat, nil, page, "conversation", "event", "list")
	if err != nil {
		return nil, err
	}
	return doJSON[Page[Event]](ctx, c, cl)
}
