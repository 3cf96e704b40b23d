// Package mirrorcmd implements `respondctl mirror sync|status|prune`: the local inbox
// mirror that `listen` keeps current.
package mirrorcmd

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/respondctl/respondctl/commands/cmdutil"
	"github.com/respondctl/respondctl/mirror"
	"github.com/respondctl/respondctl/output"
	"github.com/spf13/cobra"
)

// NewCmdMirror builds the `mirror` noun.
func NewCmdMirror(f *cmdutil.Factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "mirror <command>",
		Short: "The local inbox mirror fed by webhooks (sync, status, prune)",
		Long: `The inbox mirror is a SQLite database per profile in the state directory. respondctl listen
keeps it current from the workspace's webhooks; mirror sync backfills it from the API.
On a server without the extensions, views, contacts list and conversation show read it
while its listener heartbeat is fresh (see --source and --max-staleness on those commands).`,
	}
	cmd.AddCommand(NewCmdStatus(f, nil), NewCmdSync(f, nil), NewCmdPrune(f, nil))
	return cmd
}

// openMirror opens the profile's mirror; create says whether a missing one is made.
func openMirror(ctx context.Context, f *cmdutil.Factory, create bool) (*mirror.Mirror, error) {
	path, err := f.MirrorPath()
	if err != nil {
		return nil, err
	}
	if create {
		return mirror.Open(ctx, path)
	}
	m, err := mirror.OpenExisting(ctx, path)
	if errors.Is(err, mirror.ErrNoMirror) {
		return nil, cmdutil.NotFoundf("no mirror for this profile yet (%s): run `respondctl mirror sync` and `respondctl listen`", path)
	}
	return m, err
}

// StatusOptions holds the flags of `mirror status`.
type StatusOptions struct {
	Factory *cmdutil.Factory
	Output  output.Options
	Context context.Context
}

// NewCmdStatus builds `mirror status`.
func NewCmdStatus(f *cmdutil.Factory, runF func(*StatusOptions) error) *cobra.Command {
	opts := &StatusOptions{Factory: f}
	return &cobra.Command{
		Use:   "status",
		Short: "Show the mirror's size, last event, listener heartbeat, lag and what it does not know yet",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			oo, err := f.OutputOptions()
			if err != nil {
				return err
			}
			opts.Output, opts.Context = oo, cmd.Context()
			if runF != nil {
				return runF(opts)
			}
			return statusRun(opts)
		},
	}
}

func statusRun(opts *StatusOptions) error {
	ctx := opts.Context
	m, err := openMirror(ctx, opts.Factory, false)
	if err != nil {
		return err
	}
	defer m.Close()
	st, err := m.Status(ctx)
	if err != nil {
		return err
	}
	when := func(sec int64) output.Cell {
		if sec == 0 {
			return output.Text("never")
		}
		t := time.Unix(sec, 0)
		return output.TimeCell(&t)
	}
	lag := "no listener"
	if st.LagSeconds != nil {
		lag = (time.Duration(*st.LagSeconds) * time.Second).String()
	}
	spec := output.Spec{Columns: []output.Column{
		output.Col("path", func(s mirror.Status) output.Cell { return output.Text(s.Path) }),
		output.Col("workspace", func(s mirror.Status) output.Cell {
			if s.Workspace == nil {
				return output.Text("unknown (run `respondctl mirror sync` to record it)")
			}
			return output.Text(s.Workspace.String())
		}),
		output.Col("size", func(s mirror.Status) output.Cell { return output.Text(humanBytes(s.SizeBytes)) }),
		output.Col("contacts", func(s mirror.Status) output.Cell { return output.Text(strconv.FormatInt(s.Contacts, 10)) }),
		output.Col("events", func(s mirror.Status) output.Cell { return output.Text(strconv.FormatInt(s.Events, 10)) }),
		output.Col("last event", func(s mirror.Status) output.Cell { return when(s.LastEvent) }),
		output.Col("listener heartbeat", func(s mirror.Status) output.Cell { return when(s.Heartbeat) }),
		output.Col("lag", func(s mirror.Status) output.Cell { return output.Text(lag) }),
		output.Col("synced", func(s mirror.Status) output.Cell { return when(s.SyncedAt) }),
		output.Col("messages synced", func(s mirror.Status) output.Cell { return when(s.MessagesSynced) }),
		output.Col("messages resume", func(s mirror.Status) output.Cell {
			if s.MessagesResume == 0 {
				return output.Text("none")
			}
			return output.Text(fmt.Sprintf("%d conversations read by an interrupted sync", s.MessagesResume))
		}),
		output.Col("not yet known", func(s mirror.Status) output.Cell { return output.Text(strings.Join(s.Unknown, "; ")) }),
	}}
	return output.PrintOne(opts.Factory.IOStreams, opts.Output, spec, st)
}

func humanBytes(n int64) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.1f GiB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d B", n)
}

// PruneOptions holds the flags of `mirror prune`.
type PruneOptions struct {
	Factory   *cmdutil.Factory
	OlderThan time.Duration
	Context   context.Context
}

// NewCmdPrune builds `mirror prune`.
func NewCmdPrune(f *cmdutil.Factory, runF func(*PruneOptions) error) *cobra.Command {
	opts := &PruneOptions{Factory: f}
	var older string
	cmd := &cobra.Command{
		Use:     "prune --older-than 90d",
		Short:   "Delete events and raw webhook bodies older than a duration (contact state stays)",
		Example: `  respondctl mirror prune --older-than 90d`,
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			d, err := ParseAge(older)
			if err != nil {
				return cmdutil.FlagErrorf("invalid --older-than %q: use a duration such as 90d, 36h or 2w", older)
			}
			opts.OlderThan, opts.Context = d, cmd.Context()
			if runF != nil {
				return runF(opts)
			}
			m, err := openMirror(opts.Context, f, false)
			if err != nil {
				return err
			}
			defer m.Close()
			events, raws, err := m.Prune(opts.Context, time.Now().Add(-opts.OlderThan))
			if err != nil {
				return err
			}
			fmt.Fprintf(f.IOStreams.ErrOut, "Pruned %d events and %d raw bodies received before %s\n", events, raws,
				time.Now().Add(-opts.OlderThan).UTC().Format(time.RFC3339))
			return nil
		},
	}
	cmd.Flags().StringVar(&older, "older-than", "90d", "age of the events to delete: Nd, Nw or a Go duration")
	return cmd
}

// ParseAge reads 90d, 2w or a Go duration (36h).
func ParseAge(s string) (time.Duration, error) {
	s = strings.TrimSpace(s)
	for suffix, unit := range map[string]time.Duration{"d": 24 * time.Hour, "w": 7 * 24 * time.Hour} {
		if n, ok := strings.CutSuffix(s, suffix); ok {
			v, err := strconv.Atoi(n)
			if err != nil || v <= 0 {
				return 0, errors.New("bad age")
			}
			return time.Duration(v) * unit, nil
		}
	}
	d, err := time.ParseDuration(s)
	if err != nil || d <= 0 {
		return 0, errors.New("bad age")
	}
	return d, nil
}
