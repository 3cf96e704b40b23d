package cmdutil

import (
	"context"

	"github.com/respondctl/respondctl/inbox"
)

// ReadSession is the one session constructor of the read commands: the factory's client, the
// active profile's views, its "me" and the run's listing of users. Nothing is built until the
// returned function runs.
func ReadSession(f *Factory) func(ctx context.Context) (*inbox.Session, error) {
	return func(ctx context.Context) (*inbox.Session, error) {
		return inbox.OpenSession(ctx, inbox.SessionDeps{APIClient: f.APIClient, Config: f.Config,
			Profile: f.Global.Profile, Me: f.Me, Users: f.Users})
	}
}
