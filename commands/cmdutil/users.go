package cmdutil

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/respondctl/respondctl/apiclient"
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
	if close := CloseMatches(s, emails, 3); len(close) > 0 {
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

// CloseMatches returns up to n candidates nearest to s by edit distance
// (case-insensitive), only those close enough to be a plausible typo.
func CloseMatches(s string, candidates []string, n int) []string {
	type scored struct {
		c string
		d int
	}
	s = strings.ToLower(s)
	var out []scored
	for _, c := range candidates {
		d := levenshtein(s, strings.ToLower(c))
		if d <= max(2, len(s)/5) || strings.Contains(strings.ToLower(c), s) {
			out = append(out, scored{c, d})
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].d < out[j].d })
	res := make([]string, 0, n)
	for i := 0; i < len(out) && i < n; i++ {
		res = append(res, out[i].c)
	}
	return res
}

func levenshtein(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}
