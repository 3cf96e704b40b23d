package apiclient_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/respondctl/respondctl/apiclient"
)

// fuzzTransport answers every request with one canned status and body, in memory.
type fuzzTransport struct {
	status int
	body   []byte
}

func (f *fuzzTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.Body != nil {
		_, _ = io.Copy(io.Discard, r.Body)
		r.Body.Close()
	}
	return &http.Response{
		StatusCode: f.status, Status: http.StatusText(f.status), Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
		Header:  http.Header{"Content-Type": []string{"application/json"}},
		Body:    io.NopCloser(strings.NewReader(string(f.body))),
		Request: r,
	}, nil
}

const fuzzToken = "sbx_fuzz_secret_token"

// FuzzDecodeResponse feeds arbitrary answers (status, body) to every kind of API call and
// checks what the rest of respondctl relies on: no panic; an error is one line, never carries
// the token, and is typed (APIError, InvalidResponseError, OutcomeUnknownError, GaveUpError);
// a non-2xx answer is never a success; a decoded page has a non-nil item list and re-encodes.
func FuzzDecodeResponse(f *testing.F) {
	for _, seed := range []struct {
		status int
		body   string
	}{
		{200, `{"items":[{"id":1,"firstName":"Aisha","assignee":null,"custom_fields":[{"name":"a","value":true}]}],"pagination":{"next":"http://x/v2/contact/list?cursorId=1","previous":""}}`},
		{200, `{"items":[{"messageId":1,"contactId":2,"traffic":"outgoing","message":{"type":"card","x":[1]},"status":[{"value":"failed","timestamp":1,"message":"window"}]}],"pagination":{"next":null}}`},
		{200, `{"items":null}`},
		{200, `{"count":57,"unread":4}`},
		{200, `{"extensions":["counts","views"]}`},
		{200, `{"items":[{"id":3,"name":"VIP","filter":{"$and":[]},"status":null,"assignee":"none"}]}`},
		{200, `{"messageId":88002}`},
		{200, ``},
		{200, `{"items":[{"id":1,"firstName":"Ais`},
		{200, `{"id":"1234","firstName":5,"assignee":"lee","tags":"vip"}`},
		{200, `<html><body>Sign in</body></html>`},
		{502, "<html>\r\n<head><title>502 Bad Gateway</title></head></html>"},
		{404, `{"code":404,"message":"Contact not found"}`},
		{400, `{"code":400,"message":"bad token sbx_fuzz_secret_token\nsecond line"}`},
		{401, `{"code":"401"}`},
		{429, `{"code":429,"message":"Too many requests"}`},
		{500, `null`},
	} {
		f.Add(seed.status, []byte(seed.body))
	}
	f.Fuzz(func(t *testing.T, status int, body []byte) {
		if status < 100 || status > 599 {
			status = 200 + (status%400+400)%400
		}
		if status == http.StatusTooManyRequests || status == apiclient.StatusQueued {
			return // retried after Retry-After: a fuzz iteration must not sleep
		}
		tr := &fuzzTransport{status: status, body: body}
		c, err := apiclient.New(apiclient.Options{BaseURL: "http://127.0.0.1:9/v2", Token: fuzzToken,
			Transport: tr, MaxRetries: -1, RateLimit: -1})
		if err != nil {
			t.Fatal(err)
		}
		ctx := context.Background()
		id := apiclient.ContactID(7)
		ok := status >= 200 && status < 300
		check := func(what string, err error) {
			t.Helper()
			if err == nil {
				if !ok {
					t.Fatalf("%s: HTTP %d accepted as success", what, status)
				}
				return
			}
			msg := err.Error()
			if strings.ContainsAny(msg, "\n\r") {
				t.Fatalf("%s: error is not one line: %q", what, msg)
			}
			if strings.Contains(msg, fuzzToken) {
				t.Fatalf("%s: error carries the token: %q", what, msg)
			}
			var ae *apiclient.APIError
			var ie *apiclient.InvalidResponseError
			var ge *apiclient.GaveUpError
			var be *apiclient.BaseURLError
			if !errors.As(err, &ae) && !errors.As(err, &ie) && !errors.As(err, &ge) && !errors.As(err, &be) && !errors.Is(err, apiclient.ErrOutcomeUnknown) {
				t.Fatalf("%s: untyped error %T: %v", what, err, err)
			}
		}
		roundTrip := func(what string, v any) {
			t.Helper()
			if _, err := json.Marshal(v); err != nil {
				t.Fatalf("%s: decoded value does not re-encode: %v", what, err)
			}
		}

		contact, err := c.GetContact(ctx, id)
		check("GetContact", err)
		if err == nil {
			roundTrip("GetContact", contact)
		}
		contacts, err := c.ListContacts(ctx, apiclient.ContactListRequest{}, apiclient.PageOptions{Limit: 20})
		check("ListContacts", err)
		if err == nil {
			if contacts.Items == nil {
				t.Fatal("ListContacts: nil items")
			}
			contacts.NextCursor()
			roundTrip("ListContacts", contacts)
		}
		msgs, err := c.ListMessages(ctx, id, apiclient.MessageListOptions{PageOptions: apiclient.PageOptions{Limit: 50}})
		check("ListMessages", err)
		if err == nil {
			for _, m := range msgs.Items {
				m.Message.Fields()
				m.Message.AsText()
				m.Message.AsEmail()
				m.Message.AsTemplate()
			}
			roundTrip("ListMessages", msgs)
		}
		events, err := c.ListEvents(ctx, id, apiclient.PageOptions{})
		check("ListEvents", err)
		if err == nil {
			roundTrip("ListEvents", events)
		}
		count, err := c.CountContacts(ctx, apiclient.ContactListRequest{})
		check("CountContacts", err)
		if err == nil {
			roundTrip("CountContacts", count)
		}
		views, err := c.ListViews(ctx)
		check("ListViews", err)
		if err == nil {
			roundTrip("ListViews", views)
		}
		users, err := c.ListUsers(ctx, apiclient.PageOptions{})
		check("ListUsers", err)
		if err == nil {
			roundTrip("ListUsers", users)
		}
		caps, err := c.Capabilities(ctx)
		switch status {
		case http.StatusBadRequest, http.StatusForbidden, http.StatusNotFound, http.StatusMethodNotAllowed, http.StatusNotImplemented:
			// Read liberally: these mean "core only" (or, when /space/user
			// answers the same, a base URL that is not the API).
		default:
			check("Capabilities", err)
		}
		if err == nil {
			roundTrip("Capabilities", caps)
		}
		_, err = c.SendMessage(ctx, id, apiclient.SendMessageRequest{Message: apiclient.TextMessage("hi")})
		check("SendMessage", err)
		_, err = c.AddComment(ctx, id, "note")
		check("AddComment", err)
		check("SetAssignee", c.SetAssignee(ctx, id, apiclient.AssignUser(3)))
	})
}
