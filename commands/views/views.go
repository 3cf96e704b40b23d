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
	"github.com/respondctl/respondctl/mirror"
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

	// Source is --source and --max-staleness; OpenMirror opens the profile's mirror.
	Source     inbox.SourceChoice
	OpenMirror func(ctx context.Context) (*mirror.Mirror, error)
	mirror     *inbox.MirrorSource // chosen for this run (nil: the API)
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
  respondctl views --alert 'unassigned>20' --alert 'mine.unread>0'   # for cron: exit 8 when crossed`,
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
			if err := cmdutil.CheckSourceFlag(opts.Source.Mode); err != nil {
				return err
			}
			if opts.OpenMirror == nil {
				opts.OpenMirror = cmdutil.MirrorOpener(f)
			}
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
	cmd.Flags().StringArrayVar(&alerts, "alert", nil, "exit 8 when a view crosses a threshold, e.g. 'unassigned>20' or 'mine.unread>0'")
	cmdutil.AddSourceFlags(cmd, &opts.Source)
	return cmd
}

func viewsRun(opts *ViewsOptions) error {
	ctx := opts.Context
	sess, err := opts.Session(ctx)
	if err != nil {
		return err
	}
	ms, notice, err := inbox.ChooseSource(ctx, opts.Source, sess.HasCounts(), opts.OpenMirror, time.Now())
	if err != nil {
		return err
	}
	defer ms.Close()
	opts.mirror = ms
	if notice != "" {
		fmt.Fprintln(opts.IO.ErrOut, notice)
	}
	if opts.Watch {
		return watchRun(ctx, opts, sess)
	}
	counts, err := countAll(ctx, opts, sess)
	if err != nil {
		return err
	}
	if err := alertViewsExist(opts, counts); err != nil {
		return err // before the table: a misspelt alert prints nothing a script could mistake for data
	}
	if err := printCounts(opts, counts, !sess.HasCounts() && opts.mirror == nil); err != nil {
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
	api := func(ctx context.Context, views []inbox.View) ([]inbox.ViewCount, error) {
		return inbox.CountViews(ctx, views, sess.CountBackend(), inbox.CountOptions{Progress: progress.update})
	}
	if opts.mirror != nil {
		return inbox.CountViewsFromMirror(ctx, views, opts.mirror.Mirror, api)
	}
	return api(ctx, views)
}

// viewErrors reports views that could not be counted; the others were printed.
func viewErrors(opts *ViewsOptions, counts []inbox.ViewCount) error {
	var first error
	n := 0
	for _, c := range counts {
		var noMe *cmdutil.MeUnknownError
		if errors.As(c.Err, &noMe) {
			// Who "me" is comes with setting up a profile: until then Mine is simply not
			// counted, which is no failure of the other views.
			fmt.Fprintf(opts.IO.ErrOut, "view %s not counted: %v\n", c.Name, c.Err)
			continue
		}
		if c.Err != nil {
			fmt.Fprintf(opts.IO.ErrOut, "view %s: %s\n", output.SafeLine(c.Name), output.SafeLine(c.Err.Error()))
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

// alertViewsExist refuses an --alert naming a view that does not exist (exit 5).
func alertViewsExist(opts *ViewsOptions, counts []inbox.ViewCount) error {
	for _, a := range opts.Alerts {
		if _, _, err := a.Check(counts); err != nil {
			var unknown *inbox.UnknownViewError
			if errors.As(err, &unknown) {
				return cmdutil.NotFoundf("%s", unknown.Error())
			}
		}
	}
	return nil
}

// checkAlerts prints crossed thresholds on stderr and makes the command exit with
// cmdutil.ExitAlert, distinct from a failure to count (a server down exits 1, 4 or 6).
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
			fmt.Fprintln(opts.IO.ErrOut, output.SafeLine(msg)) // names a view (config text)
			crossed++
		}
	}
	if crossed > 0 {
		return &cmdutil.ExitCodeError{Code: cmdutil.ExitAlert, Err: fmt.Errorf("%d alert(s) crossed", crossed), Silent: true}
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
