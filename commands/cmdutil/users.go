package cmdutil

import (
	"context"

	"github.com/respondctl/respondctl/apiclient"
	"github.com/respondctl/respondctl/users"
)

// ResolveUser finds a workspace user by the rules of package users (id, email, full name,
// unique prefix) with a client of its own (auth login, before a profile exists). An unknown
// user exits 5 with the closest matches, an ambiguous one 2 listing the candidates.
func ResolveUser(ctx context.Context, client *apiclient.Client, query string) (*apiclient.User, error) {
	list, err := users.ListAll(client)(ctx)
	if err != nil {
		return nil, err
	}
	return users.Lookup(list, query, nil)
}
