// Package users resolves the workspace users a command names: one set of rules for
// `assign --to`, `contacts list --assignee`, view assignees, `auth login --user` and the
// profile's `me` (id, email, full name, unique prefix, "me"; ambiguity lists the candidates),
// and one listing of the workspace's users per command run (Directory).
package users

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/respondctl/respondctl/apiclient"
	"github.com/respondctl/respondctl/suggest"
)

// User is the part of a workspace user that resolution and result lines need.
type User struct {
	ID    int64
	Name  string // "Lee Wong"
	Email string
}

// String renders the user for lists of candidates: "Lee Wong <lee@example.com> (id 7)".
func (u User) String() string {
	s := u.Name
	if u.Email != "" {
		if s != "" {
			s += " "
		}
		s += "<" + u.Email + ">"
	}
	return fmt.Sprintf("%s (id %d)", s, u.ID)
}

// Label is how result lines name the user: the name, else the email, else "user 7".
func (u User) Label() string {
	switch {
	case u.Name != "":
		return u.Name
	case u.Email != "":
		return u.Email
	}
	return fmt.Sprintf("user %d", u.ID)
}

// AmbiguousUserError: the query matched several users; respondctl never guesses.
type AmbiguousUserError struct {
	Query      string
	Candidates []User
}

func (e *AmbiguousUserError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%q matches %d users; use an email or id:", e.Query, len(e.Candidates))
	for _, c := range e.Candidates {
		b.WriteString("\n  " + c.String())
	}
	return b.String()
}

// UnknownUserError: nothing matched; Suggestions are the closest users by edit distance.
type UnknownUserError struct {
	Query       string
	Suggestions []User
}

func (e *UnknownUserError) Error() string {
	s := fmt.Sprintf("no user matches %q", e.Query)
	if len(e.Suggestions) == 0 {
		return s + " (see `respondctl users list`)"
	}
	names := make([]string, len(e.Suggestions))
	for i, u := range e.Suggestions {
		names[i] = u.String()
		if strings.Contains(e.Query, "@") && u.Email != "" {
			names[i] = u.Email // suggest in the form that was typed
		}
	}
	return s + "; did you mean " + strings.Join(names, ", or ") + "?"
}

const maxSuggestions = 3

// FromAPI converts an API user.
func FromAPI(u apiclient.User) User {
	return User{ID: u.ID, Name: strings.TrimSpace(u.FirstName + " " + u.LastName), Email: u.Email}
}

// FromAPIList converts a listing of API users.
func FromAPIList(list []apiclient.User) []User {
	out := make([]User, len(list))
	for i, u := range list {
		out[i] = FromAPI(u)
	}
	return out
}

// Resolve finds the one user a value means: "me" (the caller, me may be nil only
// when the query is not "me"), a numeric id ("7" or "id:7"), an email (case-insensitive), a
// full name, or a unique prefix of a first name, last name, full name or email. Several
// matches are an *AmbiguousUserError, none an *UnknownUserError with close matches.
func Resolve(users []User, query string, me *User) (User, error) {
	q := strings.TrimSpace(query)
	if q == "" {
		return User{}, &UnknownUserError{Query: query}
	}
	if strings.EqualFold(q, "me") {
		if me == nil {
			return User{}, fmt.Errorf("cannot resolve \"me\": the current user is unknown")
		}
		return *me, nil
	}
	if id, err := strconv.ParseInt(strings.TrimPrefix(strings.ToLower(q), "id:"), 10, 64); err == nil {
		for _, u := range users {
			if u.ID == id {
				return u, nil
			}
		}
		return User{}, &UnknownUserError{Query: q}
	}
	lq := strings.ToLower(q)
	// Exact matches win over prefixes: "Lee Wong" must not be ambiguous with "Lee Wongsa".
	if m := filterUsers(users, func(u User) bool {
		return strings.EqualFold(u.Email, q) || strings.EqualFold(u.Name, q)
	}); len(m) == 1 {
		return m[0], nil
	} else if len(m) > 1 {
		return User{}, &AmbiguousUserError{Query: q, Candidates: m}
	}
	m := filterUsers(users, func(u User) bool {
		for _, k := range userKeys(u) {
			if strings.HasPrefix(strings.ToLower(k), lq) {
				return true
			}
		}
		return false
	})
	switch len(m) {
	case 1:
		return m[0], nil
	case 0:
		return User{}, &UnknownUserError{Query: q, Suggestions: suggest.ClosestBy(q, users, userKeys, maxSuggestions)}
	}
	return User{}, &AmbiguousUserError{Query: q, Candidates: m}
}

// userKeys are the strings a query may match: full name, each name word, email, email local part.
func userKeys(u User) []string {
	keys := []string{u.Name, u.Email}
	keys = append(keys, strings.Fields(u.Name)...)
	if at := strings.IndexByte(u.Email, '@'); at > 0 {
		keys = append(keys, u.Email[:at])
	}
	return keys
}

func filterUsers(users []User, keep func(User) bool) []User {
	var out []User
	for _, u := range users {
		if keep(u) {
			out = append(out, u)
		}
	}
	return out
}

// ResolveAll resolves every value of a list (`--round-robin a,b,c`); duplicates collapse. Any
// unknown or ambiguous value fails the whole list, before any change.
func ResolveAll(users []User, queries []string, me *User) ([]User, error) {
	var out []User
	seen := map[int64]bool{}
	for _, q := range queries {
		u, err := Resolve(users, q, me)
		if err != nil {
			return nil, err
		}
		if !seen[u.ID] {
			seen[u.ID] = true
			out = append(out, u)
		}
	}
	return out, nil
}

// IsMe reports whether a value asks for the current user.
func IsMe(query string) bool { return strings.EqualFold(strings.TrimSpace(query), "me") }
