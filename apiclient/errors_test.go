package apiclient

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/respondctl/respondctl/apiclient/httpmock"
)

func TestErrorMapping(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name    string
		method  string
		path    string
		resp    httpmock.Responder
		call    func(c *Client) error
		want    string
		check   func(error) bool
		retries bool // the responder is registered 5 times (retryable status)
	}{
		{"404 contact", "GET", "contact/id:99", httpmock.APIErrorResponse(404, "Contact not found"),
			func(c *Client) error { _, err := c.GetContact(ctx, "99"); return err },
			"contact id:99 not found", IsNotFound, false},
		{"404 contact sub-resource", "POST", "contact/email:x@y.com/conversation/assignee", httpmock.APIErrorResponse(404, "nope"),
			func(c *Client) error { return c.SetAssignee(ctx, "x@y.com", Unassigned) },
			"contact email:x@y.com not found", IsNotFound, false},
		{"404 message", "GET", "contact/id:1/message/5", httpmock.APIErrorResponse(404, "nope"),
			func(c *Client) error { _, err := c.GetMessage(ctx, "1", 5); return err },
			"message 5 of contact id:1 not found", IsNotFound, false},
		{"404 user", "GET", "space/user/8", httpmock.StatusStringResponse(404, ""),
			func(c *Client) error { _, err := c.GetUser(ctx, 8); return err },
			"user 8 not found", IsNotFound, false},
		{"401", "GET", "space/channel", httpmock.APIErrorResponse(401, "Unauthorized"),
			func(c *Client) error { _, err := c.ListChannels(ctx, PageOptions{}); return err },
			"HTTP 401 Unauthorized: Unauthorized", IsUnauthorized, false},
		{"403", "GET", "space/channel", httpmock.APIErrorResponse(403, "Forbidden for agents"),
			func(c *Client) error { _, err := c.ListChannels(ctx, PageOptions{}); return err },
			"HTTP 403 Forbidden: Forbidden for agents", IsForbidden, false},
		{"400 validation", "POST", "contact/id:1/comment", httpmock.APIErrorResponse(400, "text is too long\n(max 1000)"),
			func(c *Client) error { _, err := c.AddComment(ctx, "1", "x"); return err },
			"HTTP 400 Bad Request: text is too long (max 1000)", IsValidation, false},
		{"409", "POST", "contact/id:1/conversation/status", httpmock.APIErrorResponse(409, "conflict"),
			func(c *Client) error { return c.SetConversationStatus(ctx, "1", StatusRequest{Status: "open"}) },
			"HTTP 409 Conflict: conflict", IsValidation, false},
		{"html 502", "GET", "contact/id:1", httpmock.StatusStringResponse(502, "<html><body><h1>502 Bad Gateway</h1>\n<hr>nginx</body></html>"),
			func(c *Client) error { _, err := c.GetContact(ctx, "1"); return err },
			"gave up after 5 attempts: HTTP 502 Bad Gateway (non-JSON response from server)", nil, true},
		{"empty 200", "GET", "contact/id:1", httpmock.StringResponse(""),
			func(c *Client) error { _, err := c.GetContact(ctx, "1"); return err },
			"invalid response from server for GET /contact/id:1: empty body", isInvalidResponse, false},
		{"truncated 200", "GET", "contact/id:1", httpmock.StringResponse(`{"id": 1, "firstName": "Ai`),
			func(c *Client) error { _, err := c.GetContact(ctx, "1"); return err },
			"invalid response from server for GET /contact/id:1: truncated JSON (26 bytes)", isInvalidResponse, false},
		{"html 200", "GET", "contact/id:1", httpmock.StringResponse("<html><body>Maintenance</body></html>"),
			func(c *Client) error { _, err := c.GetContact(ctx, "1"); return err },
			"invalid response from server for GET /contact/id:1: got an HTML/XML page instead of JSON", isInvalidResponse, false},
		{"garbage 200", "GET", "contact/id:1", httpmock.StringResponse(`{"id": 1,, }`),
			func(c *Client) error { _, err := c.GetContact(ctx, "1"); return err },
			"invalid response from server for GET /contact/id:1: malformed JSON at byte 10", isInvalidResponse, false},
		{"wrong types", "GET", "contact/id:1", httpmock.StringResponse(`{"id": "one"}`),
			func(c *Client) error { _, err := c.GetContact(ctx, "1"); return err },
			"invalid response from server for GET /contact/id:1: field \"id\": got string, want int64", isInvalidResponse, false},
		{"wrong page shape", "GET", "space/user", httpmock.StringResponse(`{"items": {"id": 1}}`),
			func(c *Client) error { _, err := c.ListUsers(ctx, PageOptions{}); return err },
			"invalid response from server for GET /space/user: field \"items\": got object, want []User", isInvalidResponse, false},
		{"token echoed", "GET", "space/channel", httpmock.APIErrorResponse(400, "bad token "+testToken),
			func(c *Client) error { _, err := c.ListChannels(ctx, PageOptions{}); return err },
			"HTTP 400 Bad Request: bad token REDACTED", IsValidation, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			reg := &httpmock.Registry{}
			defer reg.Verify(t)
			n := 1
			if tt.retries {
				n = 5
			}
			for range n {
				reg.Register(httpmock.REST(tt.method, tt.path), tt.resp)
			}
			if strings.HasPrefix(tt.name, "404") {
				registerGoodBase(reg) // a first 404 checks the base URL once
			}
			c, _ := newMockClient(t, reg)
			err := tt.call(c)
			if err == nil {
				t.Fatal("no error")
			}
			if err.Error() != tt.want {
				t.Errorf("error = %q\nwant    %q", err, tt.want)
			}
			if tt.check != nil && !tt.check(err) {
				t.Errorf("classifier rejected %v", err)
			}
			assertNoToken(t, "error", err.Error())
		})
	}
}

func isInvalidResponse(err error) bool {
	var ir *InvalidResponseError
	return errors.As(err, &ir)
}

func TestAPIErrorKeepsBody(t *testing.T) {
	reg := &httpmock.Registry{}
	defer reg.Verify(t)
	c, _ := newMockClient(t, reg)
	reg.Register(httpmock.REST("GET", "contact/id:1"), httpmock.StatusJSONResponse(400, map[string]any{"code": 4001, "message": "bad"}))
	_, err := c.GetContact(context.Background(), "1")
	var ae *APIError
	if !errors.As(err, &ae) || ae.Code != 4001 || ae.Status != 400 || ae.Method != "GET" || ae.Path != "/contact/id:1" || !strings.Contains(string(ae.Body), "4001") {
		t.Errorf("APIError = %+v", ae)
	}
}
