package bulkcmd

import (
	"context"
	"errors"
	"fmt"

	"github.com/respondctl/respondctl/actions"
	"github.com/respondctl/respondctl/commands/cmdutil"
	"github.com/respondctl/respondctl/inbox"
	"github.com/respondctl/respondctl/users"
)

// NewPlatform builds the API-backed Platform of the factory's profile (its saved views serve
// --view, its "me" serves --to me and the Mine view).
func NewPlatform(f *cmdutil.Factory) (actions.Platform, error) {
	views, err := inbox.ProfileViews(f.Config, f.Global.Profile)
	if err != nil {
		return nil, err
	}
	client, err := f.APIClient()
	if err != nil {
		return nil, err
	}
	return actions.NewClientPlatform(client, views, f.Me).WithUsers(f.Users), nil
}

// ResolveUsers resolves `--to` style values against the workspace's users, asking the factory
// who "me" is only when a value says "me". Unknown users exit 5 with close matches; ambiguous
// names exit 2 listing the candidates (printed here, one per line, since main prints one line).
func ResolveUsers(ctx context.Context, f *cmdutil.Factory, p actions.Platform, queries []string) ([]actions.UserRef, error) {
	list, err := p.Users(ctx)
	if err != nil {
		return nil, err
	}
	var me *users.User
	for _, q := range queries {
		if users.IsMe(q) && f.Me != nil {
			u, err := f.Me(ctx)
			if err != nil {
				return nil, fmt.Errorf("resolving \"me\": %w", err)
			}
			ref := users.FromAPI(*u)
			me = &ref
			break
		}
	}
	out, err := users.ResolveAll(list, queries, me)
	return out, UserError(f, err)
}

// UserError maps the actions package's lookup errors to exit codes (an ambiguous user is
// already a usage error, exit 2, in cmdutil.ExitCode).
func UserError(f *cmdutil.Factory, err error) error {
	var unk *users.UnknownUserError
	var cat *actions.UnknownCategoryError
	if errors.As(err, &unk) || errors.As(err, &cat) {
		return &cmdutil.NotFoundError{Err: err}
	}
	return err
}
