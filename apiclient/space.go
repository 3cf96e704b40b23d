package apiclient

import (
	"context"
	"net/http"
	"strconv"
)

func (c *Client) listSpace(page PageOptions, segments ...string) (*call, error) {
	return newCall(http.MethodGet, mayRepeat, nil, page.query(), append([]string{"space"}, segments...)...)
}

// ListUsers fetches one page of workspace users. GET /space/user
func (c *Client) ListUsers(ctx context.Context, page PageOptions) (*Page[User], error) {
	cl, err := c.listSpace(page, "user")
	if err != nil {
		return nil, err
	}
	return doJSON[Page[User]](ctx, c, cl)
}

// GetUser fetches one user. GET /space/user/{id}
func (c *Client) GetUser(ctx context.Context, id int64) (*User, error) {
	cl, err := c.listSpace(PageOptions{}, "user", strconv.FormatInt(id, 10))
	if err != nil {
		return nil, err
	}
	return doJSON[User](ctx, c, cl)
}

// ListChannels fetches one page of workspace channels. GET /space/channel
func (c *Client) ListChannels(ctx context.Context, page PageOptions) (*Page[Channel], error) {
	cl, err := c.listSpace(page, "channel")
	if err != nil {
		return nil, err
	}
	return doJSON[Page[Channel]](ctx, c, cl)
}

// ListClosingNotes fetches one page of closing-note categories. GET /space/closing_notes
func (c *Client) ListClosingNotes(ctx context.Context, page PageOptions) (*Page[ClosingNote], error) {
	cl, err := c.listSpace(page, "closing_notes")
	if err != nil {
		return nil, err
	}
	return doJSON[Page[ClosingNote]](ctx, c, cl)
}

// ListViews fetches the workspace's custom views. GET /space/view/list (EXT)
func (c *Client) ListViews(ctx context.Context) ([]View, error) {
	cl, err := c.listSpace(PageOptions{}, "view", "list")
	if err != nil {
		return nil, err
	}
	p, err := doJSON[Page[View]](ctx, c, cl)
	if err != nil {
		return nil, err
	}
	return p.Items, nil
}
