package apiclient

import (
	"context"
	"fmt"
	"net/http"
)

// SetAssignee assigns the conversation. assignee is a user id (int64 or int),
// an email (string), or nil to unassign.
// POST /contact/{identifier}/conversation/assignee (idempotent: same end state).
func (c *Client) SetAssignee(ctx context.Context, id ContactIdentifier, assignee any) error {
	switch v := assignee.(type) {
	case nil, int64, string:
	case int:
		assignee = int64(v)
	default:
		return fmt.Errorf("assignee must be a user id, an email or nil, not %T", assignee)
	}
	body := struct {
		Assignee any `json:"assignee"`
	}{assignee}
	cl, err := contactCall(id, http.MethodPost, true, body, PageOptions{}, "conversation", "assignee")
	if err != nil {
		return err
	}
	_, err = c.send(ctx, cl)
	return err
}

// SetConversationStatus opens, closes (with optional category and summary),
// marks pending or snoozes (EXT) the conversation.
// POST /contact/{identifier}/conversation/status (idempotent).
func (c *Client) SetConversationStatus(ctx context.Context, id ContactIdentifier, req StatusRequest) error {
	if req.Status == "" {
		return fmt.Errorf("conversation status is required")
	}
	cl, err := contactCall(id, http.MethodPost, true, req, PageOptions{}, "conversation", "status")
	if err != nil {
		return err
	}
	_, err = c.send(ctx, cl)
	return err
}

// AddComment adds an internal note. POST /contact/{identifier}/comment.
// Not idempotent: never resent once it may have reached the server.
func (c *Client) AddComment(ctx context.Context, id ContactIdentifier, text string) (*Comment, error) {
	body := struct {
		Text string `json:"text"`
	}{text}
	cl, err := contactCall(id, http.MethodPost, false, body, PageOptions{}, "comment")
	if err != nil {
		return nil, err
	}
	out, err := doJSON[Comment](ctx, c, cl)
	return requirePositiveID(cl, out, err, "contactId", func(r *Comment) int64 { return r.ContactID })
}
