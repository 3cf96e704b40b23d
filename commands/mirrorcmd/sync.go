package mirrorcmd

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/respondctl/respondctl/apiclient"
	"github.com/respondctl/respondctl/commands/cmdutil"
	"github.com/respondctl/respondctl/inbox"
	"github.com/respondctl/respondctl/mirror"
	"github.com/respondctl/respondctl/output"
	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"
)

// SyncOptions holds the flags of `mirror sync`.
type SyncOptions struct {
	Factory  *cmdutil.Factory
	Output   output.Options
	Since    time.Duration
	Messages string // "" | open | VIEW
	Restart  bool
	Context  context.Context
}

// NewCmdSync builds `mirror sync`.
func NewCmdSync(f *cmdutil.Factory, runF func(*SyncOptions) error) *cobra.Command {
	opts := &SyncOptions{Factory: f}
	var since string
	cmd := &cobra.Command{
		Use:   "sync",
		Short: "Backfill the mirror from the API at the rate limit (resumable)",
		Long: `Read every contact from the API into the mirror, at the endpoint's rate limit, with a
progress bar on a terminal. An interrupted sync resumes after the last stored page,
or, when it was reading messages, with the conversations not read yet (--restart starts
over). With --messages open (or a view name) the newest messages of
those conversations are read too, so last-message order, "awaiting reply" and messaging
windows are known before any webhook arrives; --since skips messages older than that.

The mirror records the workspace it mirrors (base URL and a fingerprint of the token);
a sync of another workspace is refused (exit 2). A mirror built before respondctl
recorded it is adopted by its first sync.

Webhooks received while the sync runs are not overwritten: each contact read carries the
time it was requested, and a newer webhook wins over it.`,
		Example: `  respondctl mirror sync
  respondctl mirror sync --messages open --since 30d
  respondctl mirror sync --messages "VIP open"`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if since != "" {
				d, err := ParseAge(since)
				if err != nil {
					return cmdutil.FlagErrorf("invalid --since %q: use a duration such as 30d or 12h", since)
				}
				opts.Since = d
			}
			oo, err := f.OutputOptions()
			if err != nil {
				return err
			}
			opts.Output, opts.Context = oo, cmd.Context()
			if runF != nil {
				return runF(opts)
			}
			return syncRun(opts)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&since, "since", "", "with --messages: skip messages older than this (e.g. 30d)")
	fl.StringVar(&opts.Messages, "messages", "", `also read the newest messages of "open" conversations, "all" or a view's`)
	fl.BoolVar(&opts.Restart, "restart", false, "ignore the resume point of an interrupted sync")
	return cmd
}

func syncRun(opts *SyncOptions) error {
	f := opts.Factory
	ctx := opts.Context
	client, err := f.APIClient()
	if err != nil {
		return err
	}
	ws, err := f.Workspace()
	if err != nil {
		return err
	}
	m, err := openMirror(ctx, f, true)
	if err != nil {
		return err
	}
	defer m.Close()
	// Before anything is written: a mirror of another workspace is refused, one that records
	// none (built before mirrors recorded it) is adopted for this one.
	before := m.SyncState(ctx)
	hadData := before.DoneMS > 0 || before.Cursor > 0
	adopted, err := m.ClaimWorkspace(ctx, ws)
	if err != nil {
		return err
	}
	if adopted && hadData {
		fmt.Fprintf(f.IOStreams.ErrOut, "The mirror did not record its workspace; it now mirrors %s.\n", ws)
	}
	bo := mirror.BackfillOptions{Restart: opts.Restart}
	if opts.Since > 0 {
		bo.Since = time.Now().Add(-opts.Since)
	}
	if opts.Messages != "" {
		req, err := messagesScope(ctx, f, opts.Messages)
		if err != nil {
			return err
		}
		bo.Messages = &req
	}
	ios := f.IOStreams
	if ios.IsStderrTTY() {
		bar := progressbar.NewOptions(-1, progressbar.OptionSetWriter(ios.ErrOut), progressbar.OptionSetDescription("mirror sync"),
			progressbar.OptionClearOnFinish(), progressbar.OptionSpinnerType(14))
		bo.Progress = func(contacts, conversations int) {
			bar.Describe(fmt.Sprintf("mirror sync: %d contacts, %d conversations", contacts, conversations))
			_ = bar.Add(1)
		}
		defer bar.Finish()
	}
	res, err := m.Backfill(ctx, client, bo)
	if err != nil {
		return fmt.Errorf("mirror sync stopped after %d contacts (run it again to resume): %w", res.Contacts, err)
	}
	if res.ResumedFrom > 0 {
		fmt.Fprintf(ios.ErrOut, "Resumed after contact %d.\n", res.ResumedFrom)
	}
	if res.ResumedConversations > 0 {
		fmt.Fprintf(ios.ErrOut, "Resumed the message pass: %d conversations already read were skipped.\n", res.ResumedConversations)
	}
	rate := 0.0
	if res.Seconds > 0 {
		rate = float64(res.Requests) / res.Seconds
	}
	if !isTable(opts.Output) {
		return output.PrintOne(ios, opts.Output, output.Spec{}, res)
	}
	fmt.Fprintf(ios.ErrOut, "Synced %d contacts and %d conversations (%d messages) in %.1fs, %d requests (%.2f/s).\n",
		res.Contacts, res.Conversations, res.Messages, res.Seconds, res.Requests, rate)
	return nil
}

func isTable(o output.Options) bool {
	return (o.Format == "" || o.Format == output.FormatTable) && o.JQ == "" && o.Template == ""
}

// messagesScope turns --messages into a request the mirror evaluates.
func messagesScope(ctx context.Context, f *cmdutil.Factory, name string) (apiclient.ContactListRequest, error) {
	if strings.EqualFold(name, "all") {
		return apiclient.ContactListRequest{}, nil
	}
	if strings.EqualFold(name, "open") {
		return apiclient.ContactListRequest{Filter: &apiclient.Filter{And: []apiclient.Condition{
			apiclient.FieldCondition("status", apiclient.OpIsEqualTo, apiclient.StatusOpen)}}}, nil
	}
	src, err := viewSources(f)
	if err != nil {
		return apiclient.ContactListRequest{}, err
	}
	v, err := inbox.ResolveView(ctx, src, name)
	if err != nil {
		if inbox.IsUnknownView(err) {
			return apiclient.ContactListRequest{}, cmdutil.FlagErrorf("--messages: %v", err)
		}
		return apiclient.ContactListRequest{}, err
	}
	return v.Request, nil
}

// viewSources are the profile's views and, for Mine, the current user; workspace views
// are an extension, which a mirror's server does not have.
func viewSources(f *cmdutil.Factory) (inbox.ViewSources, error) {
	var src inbox.ViewSources
	cfg, err := f.Config()
	if err != nil {
		return src, err
	}
	if conn, err := f.Connection(); err == nil {
		if p := cfg.Profile(conn.ProfileName); p != nil {
			src.Profile = p.Views
		}
	}
	src.Me = func(ctx context.Context) (int64, error) {
		u, err := f.Me(ctx)
		if err != nil {
			return 0, err
		}
		return u.ID, nil
	}
	return src, nil
}
