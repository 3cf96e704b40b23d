// Package views implements `respondctl views`: the view selector with its notification
// indicators (contact counts, unread counts, a red or blue dot).
package views

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/respondctl/respondctl/commands/cmdutil"
	"github.com/respondctl/respondctl/inbox"
	"github.com/respondctl/respondctl/output"
	"github.com/spf13/cobra"
)

// ViewsOptions holds the flags and dependencies of `views`.
type ViewsOptions struct {
	Factory *cmdutil.Factory
	IO      *output.IOStreams
	Output  output.Options

	Watch    bool
	Interval time.Duration
	Alerts   []inbox.ViewAlert

	// Session builds the read session (tests inject one).
	Session func(ctx context.Context) (*inbox.Session, error)
	Context context.Context
}

// NewCmdViews builds `respondctl views`.
func NewCmdViews(f *cmdutil.Factory, runF func(*ViewsOptions) error) *cobra.Command {
	opts := &ViewsOptions{Factory: f}
	var watch string
	var alerts []string
	cmd := &cobra.Command{
		Use:   "views",
		Short: "List views with their contact counts and unread indicators",
		Long: `List the view selector: the built-in views All (open conversations), Mine (open and
assigned to you) and Unassigned (open, no assignee), the views saved in your profile
(views: in the config file) and the workspace's custom views.

Each view shows how many contacts it holds, how many of them have unread messages, and
the notification indicator: red when there are unread messages needing attention, blue
when there are none (a coloured dot on a terminal, the word otherwise).

On a server without the counts extension the contacts are counted by paging the contact
list, and unread counts are unknown.`,
		Example: `  respondctl views
  respondctl views -o json
  respondctl views --watch          # refresh every 10s; one JSON line per change when piped
  respondctl views --alert 'unassigned>20' --alert 'mine.unread>0'   # for cron: exit 1 when crossed`,
		Args: watchIntervalArg,
		RunE: func(cmd *cobra.Command, args []string) error {
			if cmd.Flags().Changed("watch") {
				opts.Watch = true
				if len(args) == 1 { // `--watch 30s`: the interval as a separate word
					watch = args[0]
				}
				d, err := time.ParseDuration(watch)
				if err != nil || d < time.Second {
					return cmdutil.FlagErrorf("invalid --watch interval %q: use a duration of at least 1s, e.g. 10s or 1m", watch)
				}
				opts.Interval = d
			}
			for _, a := range alerts {
				va, err := inbox.ParseViewAlert(a)
				if err != nil {
					return cmdutil.UsageError(err)
				}
				opts.Alerts = append(opts.Alerts, va)
			}
			oo, err := f.OutputOptions()
			if err != nil {
				return err
			}
			opts.Output, opts.IO = oo, f.IOStreams
			opts.Context = cmd.Context()
			if opts.Session == nil {
				opts.Session = cmdutil.ReadSession(f)
			}
			if runF != nil {
				return runF(opts)
			}
			return viewsRun(opts)
		},
	}
	cmd.Flags().StringVar(&watch, "watch", "10s", "refresh every `INTERVAL` until interrupted")
	cmd.Flags().Lookup("watch").NoOptDefVal = "10s"
	cmd.Flags().StringArrayVar(&alerts, "alert", nil, "exit 1 when a view crosses a threshold, e.g. 'unassigned>20' or 'mine.unread>0'")
	return cmd
}

func viewsRun(opts *ViewsOptions) error {
	ctx := opts.Context
	sess, err := opts.Session(ctx)
	if err != nil {
		return err
	}
	if opts.Watch {
		return watchRun(ctx, opts, sess)
	}
	counts, err := countAll(ctx, opts, sess)
	if err != nil {
		return err
	}
	if err := printCounts(opts, counts, !sess.HasCounts()); err != nil {
		return err
	}
	if err := viewErrors(opts, counts); err != nil {
		return err
	}
	return checkAlerts(opts, counts)
}

// countAll lists and counts every view, with progress on stderr when paging takes long.
func countAll(ctx context.Context, opts *ViewsOptions, sess *inbox.Session) ([]inbox.ViewCount, error) {
	views, err := inbox.ListViews(ctx, sess.ViewSources())
	if err != nil {
		return nil, err
	}
	progress := newPagingProgress(opts.IO, sess)
	defer progress.done()
	return inbox.CountViews(ctx, views, sess.CountBackend(), inbox.CountOptions{Progress: progress.update})
}

// viewErrors reports views that could not be counted; the others were printed.
func viewErrors(opts *ViewsOptions, counts []inbox.ViewCount) error {
	var first error
	n := 0
	for _, c := range counts {
		if c.Err != nil {
			fmt.Fprintf(opts.IO.ErrOut, "view %s: %v\n", c.Name, c.Err)
			n++
			if first == nil {
				first = c.Err
			}
		}
	}
	if first == nil {
		return nil
	}
	return &cmdutil.ExitCodeError{Code: cmdutil.ExitCode(first), Err: fmt.Errorf("%d view(s) could not be counted", n), Silent: true}
}

// checkAlerts prints crossed thresholds on stderr and makes the command exit 1.
func checkAlerts(opts *ViewsOptions, counts []inbox.ViewCount) error {
	crossed := 0
	for _, a := range opts.Alerts {
		hit, msg, err := a.Check(counts)
		if err != nil {
			var unknown *inbox.UnknownViewError
			if errors.As(err, &unknown) {
				return cmdutil.NotFoundf("%s", unknown.Error())
			}
			return err
		}
		if hit {
			fmt.Fprintln(opts.IO.ErrOut, msg)
			crossed++
		}
	}
	if crossed > 0 {
		return &cmdutil.ExitCodeError{Code: cmdutil.ExitError, Err: fmt.Errorf("%d alert(s) crossed", crossed), Silent: true}
	}
	return nil
}

// watchIntervalArg accepts no arguments, except the interval of `--watch 30s` written as a
// separate word (the flag's value is optional, so the parser leaves it as an argument).
func watchIntervalArg(cmd *cobra.Command, args []string) error {
	if len(args) == 0 {
		return nil
	}
	if f := cmd.Flags().Lookup("watch"); len(args) == 1 && f.Changed && f.Value.String() == f.NoOptDefVal {
		if _, err := time.ParseDuration(args[0]); err == nil {
			return nil
		}
	}
	return cmdutil.FlagErrorf("views takes no arguments (got %q); the interval goes with the flag: --watch=30s", strings.Join(args, " "))
}
