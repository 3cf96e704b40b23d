package contacts

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/respondctl/respondctl/apiclient"
	"github.com/respondctl/respondctl/commands/cmdutil"
	"github.com/respondctl/respondctl/inbox"
	"github.com/respondctl/respondctl/mirror"
	"github.com/respondctl/respondctl/output"
	"github.com/spf13/cobra"
)

// ListOptions holds the flags and dependencies of `contacts list` and `contacts search`.
type ListOptions struct {
	IO      *output.IOStreams
	Output  output.Options
	Now     func() time.Time
	Session func(ctx context.Context) (*inbox.Session, error)
	Context context.Context

	// Source is --source/--max-staleness; OpenMirror opens the profile's mirror.
	Source     inbox.SourceChoice
	OpenMirror func(ctx context.Context) (*mirror.Mirror, error)

	View          string
	Shortcuts     inbox.Shortcuts
	Limit         int
	All           bool
	ClosingWithin time.Duration
}

// NewCmdList builds `contacts list`.
func NewCmdList(f *cmdutil.Factory, runF func(*ListOptions) error) *cobra.Command {
	opts := &ListOptions{}
	var mine, unassigned bool
	var closing string
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List contacts, most recent message first",
		Long: `List contacts of a view (or all contacts), sorted by most recent message when the server
has the lastMessageTime extension (server order otherwise).

--window-closing-within keeps the contacts whose messaging window closes soon, so you can
answer before only templates are allowed (one extra request per contact).

At most --limit contacts are listed (30 by default). When more match and stdout is not a
terminal, stderr says so ("showing 30 of 51 matching; use --all"): pipe --all into a bulk
command, or give the bulk command the view itself (assign --view Unassigned).`,
		Example: `  respondctl contacts list --mine
  respondctl contacts list --view "VIP open" --tag vip --limit 100
  respondctl contacts list --unassigned --all -o jsonl
  respondctl contacts list --window-closing-within 2h`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			n := 0
			for _, set := range []bool{opts.View != "", mine, unassigned} {
				if set {
					n++
				}
			}
			if n > 1 {
				return cmdutil.FlagErrorf("use only one of --view, --mine and --unassigned")
			}
			if mine {
				opts.View = inbox.ViewMine
			}
			if unassigned {
				opts.View = inbox.ViewUnassigned
			}
			if closing != "" {
				d, err := time.ParseDuration(closing)
				if err != nil || d <= 0 {
					return cmdutil.FlagErrorf("invalid --window-closing-within %q: use a duration such as 30m or 2h", closing)
				}
				opts.ClosingWithin = d
			}
			return prepare(cmd, f, opts, runF)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&opts.View, "view", "", "contacts of the view `NAME` (see `respondctl views`)")
	fl.BoolVar(&mine, "mine", false, "open conversations assigned to you")
	fl.BoolVar(&unassigned, "unassigned", false, "open conversations with no assignee")
	fl.StringVar(&closing, "window-closing-within", "", "only contacts whose messaging window closes within `DURATION`, the soonest first")
	addFilterFlags(cmd, opts)
	cmdutil.AddSourceFlags(cmd, &opts.Source)
	return cmd
}

func addFilterFlags(cmd *cobra.Command, opts *ListOptions) {
	fl := cmd.Flags()
	fl.StringVar(&opts.Shortcuts.Status, "status", "", "conversation status: open, close, pending, snoozed, all")
	fl.StringVar(&opts.Shortcuts.Assignee, "assignee", "", "me, none, any, or a user: id, email, name or unique prefix")
	fl.StringArrayVar(&opts.Shortcuts.Tags, "tag", nil, "has this tag (repeat for several: all must match)")
	fl.StringVar(&opts.Shortcuts.Lifecycle, "lifecycle", "", "lifecycle stage")
	fl.IntVarP(&opts.Limit, "limit", "L", 30, "show at most `N` contacts")
	fl.BoolVar(&opts.All, "all", false, "show every matching contact (streamed)")
}

// prepare validates the shared flags and runs.
func prepare(cmd *cobra.Command, f *cmdutil.Factory, opts *ListOptions, runF func(*ListOptions) error) error {
	if opts.All && cmd.Flags().Changed("limit") {
		return cmdutil.FlagErrorf("--limit and --all cannot be used together")
	}
	if opts.Limit <= 0 && !opts.All {
		return cmdutil.FlagErrorf("invalid --limit %d: use a positive number, or --all", opts.Limit)
	}
	switch st := strings.ToLower(opts.Shortcuts.Status); st {
	case "", "open", "close", "closed", "pending", "snoozed", "all":
		opts.Shortcuts.Status = st
	default:
		return cmdutil.FlagErrorf("invalid --status %q: use open, close, pending, snoozed or all", opts.Shortcuts.Status)
	}
	oo, err := f.OutputOptions()
	if err != nil {
		return err
	}
	opts.Output, opts.IO, opts.Now = oo, f.IOStreams, f.Now
	if opts.Now == nil {
		opts.Now = time.Now
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
	if runF != nil {
		return runF(opts)
	}
	return listRun(opts)
}

func listRun(opts *ListOptions) error {
	ctx := opts.Context
	sess, err := opts.Session(ctx)
	if err != nil {
		return err
	}
	view, err := inbox.ContactQuery(ctx, sess.ViewSources(), opts.View, opts.Shortcuts)
	if err != nil {
		return viewError(err)
	}
	columns := contactColumns
	if opts.ClosingWithin > 0 {
		columns = append(columns[:2:2], append([]output.Column{windowColumn}, columns[2:]...)...)
	}
	human := !opts.Output.Structured()
	p, err := output.NewPrinter(opts.IO, opts.Output, output.Spec{Columns: columns})
	if err != nil {
		return err
	}
	if human {
		// Tables on a terminal go through the pager (less -F quits at once when they fit).
		if err := opts.IO.StartPager(); err == nil {
			defer opts.IO.StopPager()
		}
	}
	if opts.ClosingWithin == 0 {
		done, err := listFromMirror(ctx, opts, sess, view, p)
		if done || err != nil {
			return err
		}
	}
	now := opts.Now()
	// Channels cost one request per contact (paced by the endpoint's rate budget), so they
	// are looked up only to find closing windows.
	lookupChannels := opts.ClosingWithin > 0
	sortedByLastMessage := sess.Caps.Has(apiclient.ExtLastMessageTime)
	limit := opts.Limit
	n := 0
	more := false // a contact past --limit matched: the list was cut
	var closing []inbox.ContactRow
	err = sess.EachViewContact(ctx, view, func(c *apiclient.Contact) error {
		if !opts.All && n >= limit {
			more = true
			return inbox.ErrStop
		}
		row := inbox.NewContactRow(c)
		if opts.ClosingWithin > 0 && row.LastMessageTime != nil && row.LastMessageTime.Before(now.Add(-longestWindow)) {
			// No window can still be open: skip the channel lookup (one request per contact).
			if sortedByLastMessage {
				return inbox.ErrStop // every later contact is older still
			}
			return nil
		}
		if lookupChannels {
			states, err := sess.ChannelStates(ctx, apiclient.ContactID(c.ID), now)
			if err != nil {
				return err
			}
			if len(states) > 0 {
				row.Channel = states[0].Name
			}
			if opts.ClosingWithin > 0 {
				var closing []inbox.ChannelState
				for _, s := range states {
					if s.ClosesWithin(now, opts.ClosingWithin) {
						closing = append(closing, s)
					}
				}
				if len(closing) == 0 {
					return nil
				}
				row.Windows = closing
				row.Channel = closing[0].Name
			}
		}
		if opts.ClosingWithin > 0 {
			// Most urgent first: every candidate is needed before any can be printed.
			closing = append(closing, row)
			return nil
		}
		if err := p.Write(row); err != nil {
			return err
		}
		n++
		if !opts.All && n >= limit && opts.ClosingWithin > 0 {
			return inbox.ErrStop // the next match costs channel lookups: do not look for it
		}
		return nil
	})
	if err == nil && opts.ClosingWithin > 0 {
		n, err = writeByUrgency(p, closing, limit, opts.All)
	}
	if err != nil {
		// Nothing printed yet: leave stdout empty rather than print "[]" for a failed request.
		if p.Count() > 0 {
			p.Close()
		}
		return err
	}
	if err := p.Close(); err != nil {
		return err
	}
	if n == 0 && human {
		fmt.Fprintln(opts.IO.ErrOut, "No contacts match.")
	}
	if more && !opts.IO.IsStdoutTTY() {
		// A pipe into a bulk command must not act on the first page believing it is all.
		fmt.Fprintln(opts.IO.ErrOut, cutNotice(ctx, sess, view, n, opts.ClosingWithin > 0))
	}
	return nil
}

// cutNotice is the stderr line of a list cut at --limit: "showing 30 of 51 matching; use
// --all" (the total from the counts extension when the server filters the view itself).
func cutNotice(ctx context.Context, sess *inbox.Session, view inbox.View, shown int, clientFiltered bool) string {
	if !clientFiltered && sess.HasCounts() {
		if c, err := sess.Client.CountContacts(ctx, view.Request); err == nil && c.Count > shown {
			return fmt.Sprintf("showing %d of %d matching; use --all for every one (or --limit N)", shown, c.Count)
		}
	}
	return fmt.Sprintf("showing the first %d; more match; use --all for every one (or --limit N)", shown)
}

// longestWindow is the longest messaging window of any channel (Messenger and Instagram
// with the human-agent tag): a contact silent for longer has no open window anywhere.
const longestWindow = 7 * 24 * time.Hour

// windowColumn is the channel whose window closes soonest (with --window-closing-within).
var windowColumn = output.Col("channel", func(r inbox.ContactRow) output.Cell {
	if len(r.Windows) > 0 {
		return output.Cell{Text: r.Channel + " (" + r.Windows[0].Description + ")", Color: "yellow"}
	}
	return output.Text(r.Channel)
}).Droppable(1)

// contactColumns: on a narrow terminal the least important go first (tags, unread,
// assignee, status, last message); id and name always stay.
var contactColumns = []output.Column{
	output.Col("id", func(r inbox.ContactRow) output.Cell { return output.Text(strconv.FormatInt(r.ID, 10)) }),
	output.Col("name", func(r inbox.ContactRow) output.Cell { return output.Text(r.Name) }),
	output.Col("assignee", func(r inbox.ContactRow) output.Cell {
		if r.Assignee == nil {
			return output.Cell{Text: "-", Color: "gray"}
		}
		return output.Text(r.Assignee.Name)
	}).Droppable(4),
	output.Col("status", func(r inbox.ContactRow) output.Cell { return output.Text(r.Status) }).Droppable(3),
	output.Col("last message", func(r inbox.ContactRow) output.Cell { return output.TimeCell(r.LastMessageTime) }).Droppable(2),
	output.Col("unread", func(r inbox.ContactRow) output.Cell {
		switch {
		case r.AwaitingReply != nil && *r.AwaitingReply:
			return output.Cell{Text: "awaiting reply", Color: "red"}
		case r.AwaitingReply != nil:
			return output.Text("-")
		case r.Unread == nil:
			return output.Text("?")
		case *r.Unread > 0:
			return output.Cell{Text: strconv.Itoa(*r.Unread), Color: "red"}
		}
		return output.Text("0")
	}).Droppable(5),
	output.Col("tags", func(r inbox.ContactRow) output.Cell { return output.Text(strings.Join(r.Tags, ",")) }).Droppable(6),
}

// listFromMirror lists the view from the inbox mirror when this run reads it (a core-only
// server with a fresh mirror, or --source mirror): most recent message first, with
// "awaiting reply". done is false when the API is to be paged instead.
func listFromMirror(ctx context.Context, opts *ListOptions, sess *inbox.Session, view inbox.View, p output.RecordPrinter) (bool, error) {
	if opts.OpenMirror == nil {
		return false, nil
	}
	ms, notice, err := inbox.ChooseSource(ctx, opts.Source, sess.Caps.Has(apiclient.ExtLastMessageTime), opts.OpenMirror, opts.Now())
	if err != nil {
		return false, err
	}
	defer ms.Close()
	if ms == nil {
		if notice != "" {
			fmt.Fprintln(opts.IO.ErrOut, notice)
		}
		return false, nil
	}
	limit := opts.Limit
	if opts.All {
		limit = 0
	}
	recs, err := ms.Mirror.List(ctx, view.Request, limit)
	var unsupported *mirror.UnsupportedError
	if errors.As(err, &unsupported) {
		fmt.Fprintf(opts.IO.ErrOut, "source: api (%v)\n", err)
		return false, nil
	}
	if err != nil {
		return false, err
	}
	fmt.Fprintln(opts.IO.ErrOut, notice)
	for i := range recs {
		row := inbox.NewContactRow(&recs[i].Contact)
		awaiting := recs[i].AwaitingReply
		row.AwaitingReply, row.Source, row.Unread = &awaiting, inbox.SourceMirror, nil
		if err := p.Write(row); err != nil {
			return true, err
		}
	}
	if err := p.Close(); err != nil {
		return true, err
	}
	if len(recs) == 0 && !opts.Output.Structured() {
		fmt.Fprintln(opts.IO.ErrOut, "No contacts match.")
	}
	return true, nil
}

// writeByUrgency prints the contacts whose windows close soonest first (each row's
// soonest-closing channel first), at most limit of them unless all.
func writeByUrgency(p output.RecordPrinter, rows []inbox.ContactRow, limit int, all bool) (int, error) {
	soonest := func(r inbox.ContactRow) time.Time {
		if len(r.Windows) == 0 || r.Windows[0].ClosesAt == nil {
			return time.Time{}
		}
		return *r.Windows[0].ClosesAt
	}
	for i := range rows {
		ws := rows[i].Windows
		sort.SliceStable(ws, func(a, b int) bool { return ws[a].ClosesAt.Before(*ws[b].ClosesAt) })
		if len(ws) > 0 {
			rows[i].Channel = ws[0].Name
		}
	}
	sort.SliceStable(rows, func(a, b int) bool { return soonest(rows[a]).Before(soonest(rows[b])) })
	n := 0
	for _, r := range rows {
		if !all && n >= limit {
			break
		}
		if err := p.Write(r); err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}
