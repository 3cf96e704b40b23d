package apiclient

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
)

// AssignTo is who a conversation is assigned to: a user id (AssignUser), an email
// (AssignEmail), or nobody (Unassigned, the zero value).
type AssignTo struct {
	userID int64
	email  string
}

// Unassigned assigns the conversation to nobody.
var Unassigned = AssignTo{}

// AssignUser assigns to a user id; 0 means nobody.
func AssignUser(id int64) AssignTo { return AssignTo{userID: id} }

// AssignEmail assigns to the user with this email.
func AssignEmail(email string) AssignTo { return AssignTo{email: email} }

// MarshalJSON writes the contract's assignee: a number, a string, or null.
func (a AssignTo) MarshalJSON() ([]byte, error) {
	switch {
	case a.userID != 0:
		return json.Marshal(a.userID)
	case a.email != "":
		return json.Marshal(a.email)
	}
	return []byte("null"), nil
}

func (a AssignTo) String() string {
	b, _ := a.MarshalJSON()
	return string(b)
}

// SetAssignee assigns the conversation to a user, or to nobody.
// POST /contact/{identifier}/conversation/assignee (idempotent: same end state).
func (c *Client) SetAssignee(ctx context.Context, id ContactIdentifier, to AssignTo) error {
	body := struct {
		Assignee AssignTo `json:"assignee"`
	}{to}
	cl, err := contactCall(id, http.MethodPost, mayRepeat, body, PageOptions{}, "conversation", "assignee")
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
	cl, err := contactCall(id, http.MethodPost, mayRepeat, req, PageOptions{}, "conversation", "status")
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
	cl, err := contactCall(id, http.MethodPost, neverRepeat, body, PageOptions{}, "comment")
	if err != nil {
		return nil, err
	}
	out, err := doJSON[Comment](ctx, c, cl)
	return requirePositiveID(cl, out, err, "contactId", func(r *Comment) int64 { return r.ContactID })
}
