package cmdutil

import (
	"context"

	"github.com/respondctl/respondctl/inbox"
	"github.com/respondctl/respondctl/mirror"
	"github.com/spf13/cobra"
)

// AddSourceFlags adds --source and --max-staleness (the read commands that can answer
// from the inbox mirror).
func AddSourceFlags(cmd *cobra.Command, c *inbox.SourceChoice) {
	cmd.Flags().StringVar(&c.Mode, "source", inbox.SourceAuto,
		"where figures come from: api, mirror (the webhook-fed local mirror) or auto (the mirror on a server without extensions, when its listener is fresh)")
	cmd.Flags().DurationVar(&c.MaxStaleness, "max-staleness", inbox.DefaultMaxStaleness,
		"with --source auto: the oldest listener heartbeat the mirror may have")
}

// CheckSourceFlag validates --source.
func CheckSourceFlag(mode string) error {
	switch mode {
	case "", inbox.SourceAuto, inbox.SourceAPI, inbox.SourceMirror:
		return nil
	}
	return FlagErrorf("invalid --source %q: use api, mirror or auto", mode)
}

// MirrorOpener opens the selected profile's mirror when it exists (mirror.ErrNoMirror
// otherwise) and it mirrors this command's workspace (a *mirror.WorkspaceMismatchError or
// *mirror.NoWorkspaceError otherwise: a profile pointed at another workspace must not read
// the first one's figures).
func MirrorOpener(f *Factory) func(ctx context.Context) (*mirror.Mirror, error) {
	return func(ctx context.Context) (*mirror.Mirror, error) {
		path, err := f.MirrorPath()
		if err != nil {
			return nil, err
		}
		m, err := mirror.OpenExisting(ctx, path)
		if err != nil {
			return nil, err
		}
		ws, err := f.Workspace()
		if err == nil {
			err = m.CheckWorkspace(ctx, ws)
		}
		if err != nil {
			m.Close()
			return nil, err
		}
		return m, nil
	}
}
