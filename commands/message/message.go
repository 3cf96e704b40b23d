// Package message implements `respondctl message show IDENT MESSAGE_ID`.
package message

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/respondctl/respondctl/apiclient"
	"github.com/respondctl/respondctl/commands/cmdutil"
	"github.com/respondctl/respondctl/inbox"
	"github.com/respondctl/respondctl/output"
	"github.com/spf13/cobra"
)

// ShowOptions holds the flags and dependencies of `message show`.
type ShowOptions struct {
	IO        *output.IOStreams
	Output    output.Options
	Session   func(ctx context.Context) (*inbox.Session, error)
	Context   context.Context
	Contact   apiclient.ContactIdentifier
	MessageID int64
}

// NewCmdMessage builds the `message` noun.
func NewCmdMessage(f *cmdutil.Factory) *cobra.Command {
	cmd := &cobra.Command{Use: "message <command>", Short: "Inspect one message"}
	cmd.AddCommand(NewCmdShow(f, nil))
	return cmd
}

// NewCmdShow builds `message show IDENT MESSAGE_ID`.
func NewCmdShow(f *cmdutil.Factory, runF func(*ShowOptions) error) *cobra.Command {
	opts := &ShowOptions{}
	return &cobra.Command{
		Use:     "show <contact> <message-id>",
		Short:   "Show one message with its full metadata",
		Example: `  respondctl message show 1234 88001 -o json`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) != 2 {
				return cmdutil.FlagErrorf("a contact identifier and a message id are required")
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			id, err := apiclient.ParseContactIdentifier(args[0])
			if err != nil {
				return cmdutil.UsageError(err)
			}
			mid, err := strconv.ParseInt(strings.TrimSpace(args[1]), 10, 64)
			if err != nil || mid <= 0 {
				return cmdutil.FlagErrorf("invalid message id %q: use the number shown by `conversation show --details`", args[1])
			}
			opts.Contact, opts.MessageID = id, mid
			oo, err := f.OutputOptions()
			if err != nil {
				return err
			}
			opts.Output, opts.IO, opts.Context = oo, f.IOStreams, cmd.Context()
			if opts.Session == nil {
				opts.Session = cmdutil.ReadSession(f)
			}
			if runF != nil {
				return runF(opts)
			}
			return showRun(opts)
		},
	}
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
	m, err := sess.Client.GetMessage(ctx, apiclient.ContactID(contact.ID), opts.MessageID)
	if err != nil {
		return err
	}
	tf := opts.IO.TimeFormatter(opts.Output)
	conv, err := sess.NewConverter(ctx, inbox.ContactName(contact), tf.Clock)
	if err != nil {
		return err
	}
	item := inbox.HistoryItem{Kind: inbox.KindMessage, Message: conv.Message(m)}
	return output.PrintOne(opts.IO, opts.Output, output.Spec{Human: human}, item)
}

func human(w io.Writer, rec any, cs *output.ColorScheme, tf output.TimeFormatter) error {
	m := rec.(inbox.HistoryItem).Message
	loc := tf.Loc
	if loc == nil {
		loc = time.Local
	}
	var b strings.Builder
	// Values are customer or server text: controls are made visible.
	kv := func(k, v string) { fmt.Fprintf(&b, "%-16s %s\n", k+":", output.SafeText(v)) }
	kv("Message", strconv.FormatInt(m.ID, 10))
	kv("Contact", "id:"+strconv.FormatInt(m.ContactID, 10))
	kv("Direction", m.Direction)
	when := "unknown (core servers give incoming messages no time)"
	if t := m.Time(); !t.IsZero() {
		when = t.In(loc).Format("2006-01-02 15:04:05 MST") + " (from " + m.TimeSource + ")"
	}
	kv("Time", when)
	kv("Channel", fmt.Sprintf("%s (id %d)", m.Channel, m.ChannelID))
	if m.ChannelMessageID != "" {
		kv("Channel msg id", m.ChannelMessageID)
	}
	kv("Sent via", m.Via)
	if s := m.Sender; s != nil {
		sender := s.Source
		if s.UserID != 0 {
			sender += fmt.Sprintf(", user %d %s", s.UserID, s.UserName)
		}
		if s.TeamID != 0 {
			sender += fmt.Sprintf(", team %d", s.TeamID)
		}
		if s.WorkflowID != 0 {
			sender += fmt.Sprintf(", workflow %d", s.WorkflowID)
		}
		if s.BroadcastHistoryID != 0 {
			sender += fmt.Sprintf(", broadcast %d", s.BroadcastHistoryID)
		}
		kv("Sender", sender)
	}
	kv("Type", m.Type)
	if prefix, text, ok := inbox.MessageText(m); ok && strings.ContainsAny(strings.TrimRight(text, "\r\n"), "\r\n") {
		// Line breaks kept, every line indented under the first.
		if prefix != "" {
			kv("Body", prefix)
			b.WriteString(strings.Repeat(" ", 17))
		} else {
			b.WriteString(fmt.Sprintf("%-16s ", "Body:"))
		}
		for i, l := range inbox.TextLines(text, 0) {
			if i > 0 && l != "" {
				b.WriteString(strings.Repeat(" ", 17))
			}
			b.WriteString(l + "\n")
		}
	} else {
		kv("Body", m.Summary)
	}
	if len(m.Statuses) > 0 {
		b.WriteString("Statuses:\n")
		for _, st := range m.Statuses {
			line := "  " + output.SafeLine(inbox.StatusLine(st, loc))
			if st.Value == "failed" {
				line = cs.Red(line)
			}
			b.WriteString(line + "\n")
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}
