package cmdutil

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/respondctl/respondctl/apiclient"
	"github.com/respondctl/respondctl/suggest"
)

// ResolveUser finds a workspace user by numeric id or email (case-insensitive).
// An unknown user is a NotFoundError that lists the closest emails.
func ResolveUser(ctx context.Context, client *apiclient.Client, idOrEmail string) (*apiclient.User, error) {
	s := strings.TrimSpace(idOrEmail)
	if id, err := strconv.ParseInt(s, 10, 64); err == nil && id > 0 {
		u, err := client.GetUser(ctx, id)
		if apiclient.IsNotFound(err) {
			return nil, NotFoundf("user %d not found in this workspace", id)
		}
		return u, err
	}
	if !strings.Contains(s, "@") {
		return nil, FlagErrorf("%q is neither a user id nor an email", s)
	}
	var emails []string
	it := client.IterateUsers(0)
	for it.Next(ctx) {
		u := it.Item()
		if strings.EqualFold(u.Email, s) {
			return &u, nil
		}
		emails = append(emails, u.Email)
	}
	if err := it.Err(); err != nil {
		return nil, err
	}
	msg := fmt.Sprintf("no user with email %s in this workspace", s)
	if close := suggest.Closest(s, emails, 3); len(close) > 0 {
		msg += "; did you mean " + strings.Join(close, ", ") + "?"
	}
	return nil, NotFoundf("%s", msg)
}

// FirstAgent returns the first user with role agent (the --sandbox "me").
func FirstAgent(ctx context.Context, client *apiclient.Client) (*apiclient.User, error) {
	it := client.IterateUsers(0)
	for it.Next(ctx) {
		if u := it.Item(); u.Role == "agent" {
			return &u, nil
		}
	}
	if err := it.Err(); err != nil {
		return nil, err
	}
	return nil, NotFoundf("the workspace has no user with role agent")
}

// UserLabel is "First Last <email>" for messages.
func UserLabel(u *apiclient.User) string {
	name := strings.TrimSpace(u.FirstName + " " + u.LastName)
	switch {
	case name == "":
		return u.Email
	case u.Email == "":
		return name
	}
	return name + " <" + u.Email + ">"
}
