package contacts

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/respondctl/respondctl/apiclient"
	"github.com/respondctl/respondctl/commands/cmdutil"
	"github.com/respondctl/respondctl/inbox"
	"github.com/respondctl/respondctl/output"
	"github.com/spf13/cobra"
)

// ShowOptions holds the flags and dependencies of `contacts show`.
type ShowOptions struct {
	IO      *output.IOStreams
	Output  output.Options
	Now     func() time.Time
	Session func(ctx context.Context) (*inbox.Session, error)
	Context context.Context
	Contact apiclient.ContactIdentifier
}

// ContactDetails is the record of `contacts show`.
type ContactDetails struct {
	inbox.ContactRow
	Language     string                  `json:"language"`
	CountryCode  string                  `json:"countryCode"`
	CreatedAt    time.Time               `json:"createdAt"`
	SnoozedUntil *time.Time              `json:"snoozedUntil"`
	CustomFields []apiclient.CustomField `json:"customFields"`
	Channels     []inbox.ChannelState    `json:"channels"`
}

// NewCmdShow builds `contacts show IDENT`.
func NewCmdShow(f *cmdutil.Factory, runF func(*ShowOptions) error) *cobra.Command {
	opts := &ShowOptions{}
	cmd := &cobra.Command{
		Use:   "show <contact>",
		Short: "Show a contact's details and messaging windows",
		Example: `  respondctl contacts show 1234
  respondctl contacts show jane@example.com -o json`,
		Args: cmdutil.ExactArgs(1, "a contact identifier is required: an id, email or +phone"),
		RunE: func(cmd *cobra.Command, args []string) error {
			id, err := apiclient.ParseContactIdentifier(args[0])
			if err != nil {
				return cmdutil.UsageError(err)
			}
			opts.Contact = id
			oo, err := f.OutputOptions()
			if err != nil {
				return err
			}
			opts.Output, opts.IO, opts.Now, opts.Context = oo, f.IOStreams, f.Now, cmd.Context()
			if opts.Now == nil {
				opts.Now = time.Now
			}
			if opts.Session == nil {
				opts.Session = cmdutil.ReadSession(f)
			}
			if runF != nil {
				return runF(opts)
			}
			return showRun(opts)
		},
	}
	return cmd
}

func showRun(opts *ShowOptions) error {
	ctx := opts.Context
	sess, err := opts.Session(ctx)
	if err != nil {
		return err
	}
	c, err := sess.Client.GetContact(ctx, opts.Contact)
	if err != nil {
		return err
	}
	now := opts.Now()
	states, err := sess.ChannelStates(ctx, apiclient.ContactID(c.ID), now)
	if err != nil {
		return err
	}
	d := ContactDetails{ContactRow: inbox.NewContactRow(c), Channels: states,
		Language: deref(c.Language), CountryCode: deref(c.CountryCode), CreatedAt: time.Unix(c.CreatedAt, 0).UTC(),
		CustomFields: c.CustomFields}
	if d.CustomFields == nil {
		d.CustomFields = []apiclient.CustomField{}
	}
	if c.SnoozedUntil != nil && *c.SnoozedUntil > 0 {
		t := time.Unix(*c.SnoozedUntil, 0).UTC()
		d.SnoozedUntil = &t
	}
	if len(states) > 0 {
		d.Channel = states[0].Name
	}
	return output.PrintOne(opts.IO, opts.Output, output.Spec{Human: humanDetails}, d)
}

func humanDetails(w io.Writer, rec any, cs *output.ColorScheme, tf output.TimeFormatter) error {
	d := rec.(ContactDetails)
	loc := tf.Loc
	if loc == nil {
		loc = time.Local
	}
	var b strings.Builder
	// Every value is customer or server text: made safe before it is painted.
	fmt.Fprintf(&b, "%s (id:%d)\n", cs.Bold(output.SafeLine(d.Name)), d.ID)
	field := func(k, v string) {
		v = output.SafeLine(v)
		if v == "" {
			v = cs.Gray("-")
		}
		fmt.Fprintf(&b, "  %-14s %s\n", k+":", v)
	}
	field("Phone", d.Phone)
	field("Email", d.Email)
	status := d.Status
	if d.SnoozedUntil != nil {
		status += " until " + d.SnoozedUntil.In(loc).Format("Mon 2006-01-02 15:04 MST")
	}
	field("Status", status)
	assignee := ""
	if d.Assignee != nil {
		assignee = d.Assignee.Name + " <" + d.Assignee.Email + ">"
	}
	field("Assignee", assignee)
	field("Lifecycle", d.Lifecycle)
	field("Tags", strings.Join(d.Tags, ", "))
	unread := "?"
	if d.Unread != nil {
		unread = fmt.Sprint(*d.Unread)
	}
	field("Unread", unread)
	last := ""
	if d.LastMessageTime != nil {
		last = d.LastMessageTime.In(loc).Format("2006-01-02 15:04 MST")
	}
	field("Last message", last)
	field("Language", d.Language)
	field("Country", d.CountryCode)
	field("Created", d.CreatedAt.In(loc).Format("2006-01-02 15:04 MST"))
	if len(d.CustomFields) > 0 {
		b.WriteString("Custom fields:\n")
		for _, f := range d.CustomFields {
			v := "-"
			if f.Value != nil {
				v = fmt.Sprint(f.Value)
			}
			fmt.Fprintf(&b, "  %-14s %s\n", output.SafeLine(f.Name)+":", output.SafeLine(v))
		}
	}
	b.WriteString("Channels:\n")
	if len(d.Channels) == 0 {
		b.WriteString("  " + cs.Gray("none") + "\n")
	}
	for _, ch := range d.Channels {
		desc := output.SafeLine(ch.Description)
		switch {
		case ch.HasWindow && ch.Open:
			desc = cs.Green(desc)
		case ch.TemplatesOnly || (ch.HasWindow && !ch.Open):
			desc = cs.Yellow(desc)
		}
		fmt.Fprintf(&b, "  %s: %s\n", output.SafeLine(sourceLabel(ch)), desc)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// sourceLabel is "WhatsApp (Support WhatsApp)": the kind of channel people recognise first.
func sourceLabel(ch inbox.ChannelState) string {
	kind := map[string]string{
		"whatsapp": "WhatsApp", "whatsapp_cloud": "WhatsApp", "360dialog_whatsapp": "WhatsApp",
		"twilio_whatsapp": "WhatsApp", "message_bird_whatsapp": "WhatsApp", "nexmo_whatsapp": "WhatsApp",
		"facebook": "Facebook", "instagram": "Instagram", "telegram": "Telegram", "line": "LINE",
		"viber": "Viber", "wechat": "WeChat", "twitter": "Twitter", "gmail": "Email", "other_email": "Email",
		"twilio": "SMS", "message_bird": "SMS", "nexmo": "SMS", "custom_channel": "Custom", "webchat": "Web chat",
	}[ch.Source]
	if kind == "" {
		kind = ch.Source
	}
	if ch.Name != "" && ch.Name != kind {
		return kind + " (" + ch.Name + ")"
	}
	return kind
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
