package contacts

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/respondctl/respondctl/apiclient"
	"github.com/respondctl/respondctl/commands/cmdutil"
	"github.com/respondctl/respondctl/inbox"
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
answer before only templates are allowed (one extra request per contact).`,
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
	return cmd
}

func addFilterFlags(cmd *cobra.Command, opts *ListOptions) {
	fl := cmd.Flags()
	fl.StringVar(&opts.Shortcuts.Status, "status", "", "conversation status: open, close, pending, snoozed, all")
	fl.StringVar(&opts.Shortcuts.Assignee, "assignee", "", "me, none, any, a user's email or id")
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
	if opts.Session == nil {
		opts.Session = openSession(f)
	}
	if runF != nil {
		return runF(opts)
	}
	return listRun(opts)
}

func listRun(opts *ListOptions) error {
	ctx := opts.Context
	if ctx == nil {
		ctx = context.Background()
	}
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
	human := isHuman(opts.Output)
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
	now := opts.Now()
	// Channels cost one request per contact (paced by the endpoint's rate budget), so they
	// are looked up only to find closing windows.
	lookupChannels := opts.ClosingWithin > 0
	sortedByLastMessage := sess.Caps.Has(apiclient.ExtLastMessageTime)
	limit := opts.Limit
	n := 0
	var closing []inbox.ContactRow
	err = sess.EachViewContact(ctx, view, func(c *apiclient.Contact) error {
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
		if !opts.All && n >= limit {
			return inbox.ErrStop
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
	return nil
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

func isHuman(o output.Options) bool {
	return (o.Format == "" || o.Format == output.FormatTable) && o.JQ == "" && o.Template == ""
}

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
		case r.Unread == nil:
			return output.Text("?")
		case *r.Unread > 0:
			return output.Cell{Text: strconv.Itoa(*r.Unread), Color: "red"}
		}
		return output.Text("0")
	}).Droppable(5),
	output.Col("tags", func(r inbox.ContactRow) output.Cell { return output.Text(strings.Join(r.Tags, ",")) }).Droppable(6),
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
