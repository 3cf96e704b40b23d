package users

import (
	"context"
	"sync"

	"github.com/respondctl/respondctl/apiclient"
)

// Lister lists every user of the workspace.
type Lister func(ctx context.Context) ([]apiclient.User, error)

// ListAll pages GET /space/user to the end.
func ListAll(c *apiclient.Client) Lister {
	return func(ctx context.Context) ([]apiclient.User, error) {
		var out []apiclient.User
		it := c.IterateUsers(0)
		for it.Next(ctx) {
			out = append(out, it.Item())
		}
		return out, it.Err()
	}
}

// Directory is the one listing of the workspace's users of a command run: resolving `--to`,
// "me", the action's result labels and the read commands' names all share it, so a run lists
// the users at most once. A failed listing is not kept (the next caller tries again).
type Directory struct {
	list Lister

	mu    sync.Mutex
	users []apiclient.User
	done  bool
}

// NewDirectory wraps a lister.
func NewDirectory(list Lister) *Directory { return &Directory{list: list} }

// List returns the workspace's users, listing them on first use.
func (d *Directory) List(ctx context.Context) ([]apiclient.User, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.done {
		return d.users, nil
	}
	list, err := d.list(ctx)
	if err != nil {
		return nil, err
	}
	d.users, d.done = list, true
	return d.users, nil
}

// Lookup resolves a value by the package's rules (me: the current user, may be nil) and
// returns the full API user.
func Lookup(list []apiclient.User, query string, me *User) (*apiclient.User, error) {
	u, err := Resolve(FromAPIList(list), query, me)
	if err != nil {
		return nil, err
	}
	for i := range list {
		if list[i].ID == u.ID {
			return &list[i], nil
		}
	}
	au := apiclient.User{ID: u.ID, Email: u.Email, FirstName: u.Name}
	return &au, nil // "me" outside the listing
}
