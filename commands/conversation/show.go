// Package conversation implements `respondctl conversation show` (alias `history`):
// messages and events of a conversation, interleaved in time order.
package conversation

import (
	"context"
	"fmt"
	"runtime"
	"time"

	"github.com/respondctl/respondctl/apiclient"
	"github.com/respondctl/respondctl/commands/cmdutil"
	"github.com/respondctl/respondctl/inbox"
	"github.com/respondctl/respondctl/mirror"
	"github.com/respondctl/respondctl/output"
	"github.com/respondctl/respondctl/timeparse"
	"github.com/spf13/cobra"
)

// ShowOptions holds the flags and dependencies of `conversation show`.
type ShowOptions struct {
	IO      *output.IOStreams
	Output  output.Options
	Now     func() time.Time
	Session func(ctx context.Context) (*inbox.Session, error)
	Context context.Context

	// OneP lets a whole-conversation -o jsonl stream run on one P (see showRun): only when
	// the process runs this command alone, without the in-process sandbox beside it.
	OneP bool

	Contact     apiclient.ContactIdentifier
	Limit       int
	All         bool
	Since       time.Time
	NewestFirst bool
	Details     bool
	Follow      bool
	Interval    time.Duration
	ChannelID   int64

	// Source is --source/--max-staleness; OpenMirror opens the profile's inbox mirror, whose
	// events stand in for the events extension.
	Source     inbox.SourceChoice
	OpenMirror func(ctx context.Context) (*mirror.Mirror, error)
}

// NewCmdConversation builds the `conversation` noun.
func NewCmdConversation(f *cmdutil.Factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "conversation <command>",
		Short: "Read a conversation's messages and events",
	}
	cmd.AddCommand(NewCmdShow(f, nil))
	return cmd
}

// NewCmdHistory is the top-level alias `respondctl history IDENT`.
func NewCmdHistory(f *cmdutil.Factory) *cobra.Command {
	c := NewCmdShow(f, nil)
	c.Use = "history <contact>"
	c.Aliases = nil // its name already; `conversation history` stays an alias of `conversation show`
	c.Short = "Show a conversation (alias of `conversation show`)"
	return c
}

// NewCmdShow builds `conversation show IDENT`.
func NewCmdShow(f *cmdutil.Factory, runF func(*ShowOptions) error) *cobra.Command {
	opts := &ShowOptions{}
	var since string
	cmd := &cobra.Command{
		Use:     "show <contact>",
		Aliases: []string{"history"},
		Short:   "Show messages and events in time order",
		Long: `Show a conversation: messages and conversation events interleaved in time order, oldest
first, the last 50 by default.

Each message shows its time, direction (← incoming, → outgoing), who sent it via (the
contact, a user, Workflow, API, Broadcast, AI agent, Echo, Bot), the channel, its body by
type and its latest status (✓ sent, ✓✓ delivered, ✓✓ read, ✗ failed with the reason).
Events are dimmed lines in plain words.

Ordering: the API lists newest first; respondctl reads the newest items and prints them
oldest first. --all reads the whole conversation in constant memory (a temporary file
replays it oldest first); --newest-first prints in API order without it. On a core server
incoming messages have no time: they keep their place among messages and are shown with
"--:--".

--follow polls every --interval and prints new messages and events, and status changes
of the recent messages already printed ("message 88001 delivered → read"); changes of
messages older than the newest 20 are not reported.`,
		Example: `  respondctl conversation show 1234
  respondctl history jane@example.com --since 2d --details
  respondctl conversation show +60123456789 --all -o jsonl > history.jsonl
  respondctl conversation show 1234 --follow`,
		Args: cmdutil.ExactArgs(1, "a contact identifier is required: an id, email or +phone"),
		RunE: func(cmd *cobra.Command, args []string) error {
			ident, err := apiclient.ParseContactIdentifier(args[0])
			if err != nil {
				return cmdutil.UsageError(err)
			}
			opts.Contact = ident
			if opts.All && cmd.Flags().Changed("limit") {
				return cmdutil.FlagErrorf("--limit and --all cannot be used together")
			}
			if opts.Limit <= 0 && !opts.All {
				return cmdutil.FlagErrorf("invalid --limit %d: use a positive number, or --all", opts.Limit)
			}
			if opts.Interval < time.Second {
				return cmdutil.FlagErrorf("invalid --interval %s: use at least 1s", opts.Interval)
			}
			oo, err := f.OutputOptions()
			if err != nil {
				return err
			}
			opts.Output, opts.IO, opts.Now = oo, f.IOStreams, f.Now
			if opts.Now == nil {
				opts.Now = time.Now
			}
			if since != "" {
				loc := oo.Loc
				if loc == nil {
					loc = time.Local
				}
				t, err := timeparse.ParseSince(since, opts.Now().In(loc))
				if err != nil {
					return cmdutil.FlagErrorf("invalid --since: %v", err)
				}
				opts.Since = t
			}
			opts.Context = cmd.Context()
			if err := cmdutil.CheckSourceFlag(opts.Source.Mode); err != nil {
				return err
			}
			if opts.OpenMirror == nil && cmd.Flags().Lookup("source") != nil {
				opts.OpenMirror = cmdutil.MirrorOpener(f)
			}
			if opts.Session == nil {
				opts.Session = cmdutil.ReadSession(f)
			}
			// GOMAXPROCS is process-wide: not beside other in-process work (tests running
			// commands in parallel) or the in-process sandbox, which serves the pages.
			opts.OneP = f.SoleCommand && !f.Global.Sandbox
			if runF != nil {
				return runF(opts)
			}
			return showRun(opts)
		},
	}
	fl := cmd.Flags()
	fl.IntVarP(&opts.Limit, "limit", "L", 50, "show the last `N` messages and events")
	fl.BoolVar(&opts.All, "all", false, "show the whole conversation")
	fl.StringVar(&since, "since", "", "only items since `WHEN` (30m, 2d, 1w, 2026-11-20, RFC 3339)")
	fl.BoolVar(&opts.NewestFirst, "newest-first", false, "print newest first (API order)")
	fl.BoolVar(&opts.Details, "details", false, "add message metadata: sender and the time of every status")
	fl.BoolVarP(&opts.Follow, "follow", "f", false, "keep printing new messages, events and status changes until interrupted")
	fl.DurationVar(&opts.Interval, "interval", 3*time.Second, "polling interval of --follow")
	fl.Int64Var(&opts.ChannelID, "channel", 0, "only messages of this channel `ID`")
	cmdutil.AddSourceFlags(cmd, &opts.Source)
	return cmd
}

func showRun(opts *ShowOptions) error {
	ctx := opts.Context
	sess, err := opts.Session(ctx)
	if err != nil {
		return err
	}
	contact, err := sess.Client.GetContact(ctx, opts.Contact)
	if err != nil {
		return err
	}
	tf := opts.IO.TimeFormatter(opts.Output)
	req := inbox.HistoryRequest{Contact: apiclient.ContactID(contact.ID), ContactName: inbox.ContactName(contact),
		ChannelID: opts.ChannelID, Clock: tf.Clock}
	if !sess.HasEvents() {
		events, notice, err := mirrorEvents(ctx, opts, contact.ID)
		if err != nil {
			return err
		}
		if events != nil {
			req.MirrorEvents = events
			fmt.Fprintln(opts.IO.ErrOut, notice+" (events)")
		} else {
			if notice != "" {
				fmt.Fprintln(opts.IO.ErrOut, notice)
			}
			fmt.Fprintln(opts.IO.ErrOut, "notice: conversation events are unavailable from this server (no events extension); showing messages only")
		}
	}
	if !opts.All {
		req.PageSize = opts.Limit + 1 // one page when it fits; the iterator caps it at 100
	} else if opts.Since.IsZero() && !opts.Follow {
		req.ReadAhead = true // every page will be read
	}
	it, err := sess.History(ctx, req)
	if err != nil {
		return err
	}
	window := inbox.HistoryWindow{Limit: opts.Limit, All: opts.All, Since: opts.Since, NewestFirst: opts.NewestFirst}
	if encode := output.LineEncoder(opts.Output); encode != nil && !opts.Follow {
		// -o jsonl: each item is encoded once, into its line, which --all spools and replays.
		if opts.All && opts.OneP {
			// A whole conversation is one pipeline (read-ahead overlaps the server's time, not
			// the client's CPU): on one P the GC has no idle P to mark on, which cost 10–15%
			// more CPU and 3 MiB more peak RSS with two (docs/read-benchmarks.md).
			defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
		}
		_, err := inbox.WriteHistoryLines(ctx, it, window, func(h inbox.HistoryItem) ([]byte, error) { return encode(h) }, opts.IO.Out)
		return err
	}
	p, err := output.NewPrinter(opts.IO, opts.Output, output.Spec{Human: humanLayout(opts, contact)})
	if err != nil {
		return err
	}
	if !opts.Follow && !opts.Output.Structured() {
		// A conversation read on a terminal goes through the pager (never while following).
		if err := opts.IO.StartPager(); err == nil {
			defer opts.IO.StopPager()
		}
	}
	seen := newSeenIDs(opts.Follow)
	if opts.Follow {
		// Before the first screen: whatever is newest now counts as seen, so a first screen
		// without messages (--since, or a window of events) does not make the first poll
		// print the whole conversation.
		if err := seen.prime(ctx, sess, req); err != nil {
			return err
		}
	}
	err = inbox.WalkHistory(ctx, it, window, func(h inbox.HistoryItem) error {
		seen.add(h)
		return p.Write(h)
	})
	if err == nil && opts.Follow {
		err = follow(ctx, opts, sess, req, seen, p)
	}
	if err == nil || p.Count() > 0 {
		// Nothing printed yet on error: leave stdout empty rather than print "[]".
		if cerr := p.Close(); err == nil {
			err = cerr
		}
	}
	// Ctrl-C ends a follow: what was printed stands, and the exit code is 130 as for any
	// interrupted command (see `respondctl help exit-codes`).
	return err
}

// mirrorEvents reads the contact's events from the inbox mirror when this run uses it
// (nil events: it does not); notice says where they came from.
func mirrorEvents(ctx context.Context, opts *ShowOptions, contactID int64) ([]apiclient.Event, string, error) {
	if opts.OpenMirror == nil {
		return nil, "", nil
	}
	ms, notice, err := inbox.ChooseSource(ctx, opts.Source, false, opts.OpenMirror, opts.Now())
	if err != nil || ms == nil {
		return nil, notice, err
	}
	defer ms.Close()
	events, err := inbox.MirrorEvents(ctx, ms.Mirror, contactID)
	if err != nil {
		return nil, "", err
	}
	if events == nil {
		events = []apiclient.Event{}
	}
	return events, notice, nil
}
