// Package send implements `respondctl send`: one message to one or many contacts, with the
// messaging-window check, templates, attachments, email, quick replies and --wait.
package send

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/respondctl/respondctl/actions"
	"github.com/respondctl/respondctl/bulk"
	"github.com/respondctl/respondctl/commands/bulkcmd"
	"github.com/respondctl/respondctl/commands/cmdutil"
	"github.com/spf13/cobra"
)

// SendOptions holds the flags of `send`.
type SendOptions struct {
	Factory *cmdutil.Factory
	Context context.Context
	Args    []string
	Bulk    bulkcmd.Flags

	Text           string
	TextFile       string
	Channel        string
	Attachment     string
	AttachmentType string
	Template       string
	Lang           string
	Params         []string
	EmailSubject   string
	QuickReplies   []string
	MessageTag     string
	Force          bool
	Wait           string
	WaitTimeout    time.Duration
}

// NewCmdSend builds `respondctl send IDENT… [--text T | --text-file F | stdin]`.
func NewCmdSend(f *cmdutil.Factory, runF func(*SendOptions) error) *cobra.Command {
	opts := &SendOptions{Factory: f}
	cmd := &cobra.Command{
		Use:   "send [IDENT…] [--text TEXT | --text-file FILE | < stdin]",
		Short: "Send a message to one or many contacts",
		Long: `Send a message: text (from --text, --text-file or stdin), an attachment, an email, a
question with quick replies, or an approved WhatsApp template.

The message goes out on --channel (an id or name) or, by default, the channel the contact
last used. Before a free-form message respondctl checks the channel's messaging window (24h on
WhatsApp, 24h/7 days human agent on Messenger and Instagram, 48h on WeChat, none on Telegram,
LINE, Viber, SMS, email, web chat) and refuses outside it, naming the channel and when the
window closed and what the channel still accepts: an approved --template on WhatsApp, a text
with a --message-tag on Facebook Messenger, nothing on Instagram or WeChat until the contact
writes again (or --force to send anyway). --template is refused on a non-WhatsApp channel.

A piped stdin is the message text, unless it is JSON lines that respondctl printed (contacts
to send to: use --input - for those; --text-file - takes stdin as text regardless). --dry-run
prints the text (or template and parameters) it would send.

A single send prints the message id on stdout. --wait delivered|read follows its status and
exits non-zero with the channel's reason if it fails.

Sends are never repeated blindly: a bulk send is journaled before each message goes out, and
a send whose outcome is unknown (the connection broke at the wrong moment, the run was killed)
is looked up in the contact's newest messages before the run ends (and on --resume): found, it
is done; certainly absent --reconcile-after its start, it is sent again; otherwise it is
reported unknown (exit 7 for one contact, 3 for a bulk run). See docs/bulk.md for the rule
and its limits (two identical texts in the window).`,
		Example: `  respondctl send 123 --text "Your order has shipped"
  echo "Thanks for waiting" | respondctl send jane@example.com
  respondctl send 123 --text-file - < reply.txt
  respondctl contacts list --view Mine --all -o jsonl | respondctl send --input - --text "Back on Monday"
  respondctl send 123 --text "Hi" --wait delivered
  respondctl send 123 --template order_update --lang en --param Jane --param A-77 --param "2 days"
  respondctl send 123 --template welcome_offer --lang en --attachment https://example.com/w.jpg --attachment-type image --param Jane --param 10%
  respondctl send 123 --text "Your booking is confirmed" --message-tag CONFIRMED_EVENT_UPDATE
  respondctl send 123 --attachment https://example.com/invoice.pdf --attachment-type file
  respondctl send 123 --email-subject "Your invoice" --text-file body.txt
  respondctl send 123 --text "Was this helpful?" --quick-reply Yes --quick-reply No
  respondctl send --view "VIP open" --text "We are closed tomorrow" --dry-run`,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Args, opts.Context = args, cmd.Context()
			if err := validateSend(opts); err != nil {
				return err
			}
			if runF != nil {
				return runF(opts)
			}
			return sendRun(opts)
		},
	}
	fl := cmd.Flags()
	fl.StringVarP(&opts.Text, "text", "t", "", "Message `TEXT`")
	fl.StringVar(&opts.TextFile, "text-file", "", "Read the message text from `FILE`")
	fl.StringVarP(&opts.Channel, "channel", "c", "", "Send on this channel (`ID or NAME`; default: the one the contact last used)")
	fl.StringVar(&opts.Attachment, "attachment", "", "Send the file at `URL` (with --template: the media of its header)")
	fl.StringVar(&opts.AttachmentType, "attachment-type", "", "Attachment `TYPE`: image, video, audio or file (default file)")
	fl.StringVar(&opts.Template, "template", "", "Send the approved WhatsApp template `NAME` (checked against the channel's templates first)")
	fl.StringVar(&opts.Lang, "lang", "", "Template language `CODE`, e.g. en")
	fl.StringArrayVar(&opts.Params, "param", nil, "Template body parameter `VALUE` (repeat in order)")
	fl.StringVar(&opts.EmailSubject, "email-subject", "", "Send an email with this `SUBJECT`")
	fl.StringArrayVar(&opts.QuickReplies, "quick-reply", nil, "Offer `OPTION` as a quick reply (repeat for each)")
	fl.StringVar(&opts.MessageTag, "message-tag", "", "Facebook Messenger message `TAG` for a text past the window: ACCOUNT_UPDATE, CONFIRMED_EVENT_UPDATE or POST_PURCHASE_UPDATE")
	fl.BoolVar(&opts.Force, "force", false, "Send free-form messages even outside the messaging window")
	fl.StringVar(&opts.Wait, "wait", "", "Wait until the message is `delivered or read` (single contact)")
	fl.DurationVar(&opts.WaitTimeout, "wait-timeout", 30*time.Second, "How long --wait waits")
	opts.Bulk.Register(cmd)
	_ = cmd.RegisterFlagCompletionFunc("template", cmdutil.CompleteTemplateNames(f))
	return cmd
}

func validateSend(opts *SendOptions) error {
	if opts.Bulk.Resume != "" {
		if opts.Bulk.UsesTargets(opts.Args) || opts.Text != "" || opts.TextFile != "" || opts.Template != "" ||
			opts.Attachment != "" || opts.EmailSubject != "" || len(opts.QuickReplies) > 0 || opts.Channel != "" || opts.Wait != "" || opts.MessageTag != "" {
			return cmdutil.FlagErrorf("--resume takes the contacts and the message from the journal: drop the other arguments")
		}
		return nil
	}
	if opts.Text != "" && opts.TextFile != "" {
		return cmdutil.FlagErrorf("--text and --text-file cannot be used together")
	}
	switch opts.Wait {
	case "", "delivered", "read":
	default:
		return cmdutil.FlagErrorf("invalid --wait %q: use delivered or read", opts.Wait)
	}
	if opts.Wait != "" && (len(opts.Args) != 1 || len(opts.Bulk.Inputs) > 0 || opts.Bulk.View != "") {
		return cmdutil.FlagErrorf("--wait follows one message: give exactly one contact as an argument")
	}
	if opts.Wait != "" && opts.Bulk.DryRun {
		return cmdutil.FlagErrorf("--wait cannot be used with --dry-run")
	}
	return nil
}

// wantsStdinText: nothing else supplies the message, so a piped stdin is its text.
func wantsStdinText(opts *SendOptions) bool {
	return opts.Text == "" && opts.TextFile == "" && opts.Template == "" &&
		(opts.Attachment == "" || opts.EmailSubject != "")
}

func sendRun(opts *SendOptions) error {
	f := opts.Factory
	ctx := opts.Context
	p, err := bulkcmd.NewPlatform(f)
	if err != nil {
		return err
	}
	if opts.Bulk.Resume != "" {
		return bulkcmd.Resume(ctx, f, p, actions.VerbSend, &opts.Bulk)
	}
	spec := &actions.SendSpec{
		Text: opts.Text, AttachmentURL: opts.Attachment, AttachmentType: opts.AttachmentType,
		Template: opts.Template, Lang: opts.Lang, TemplateParams: opts.Params,
		EmailSubject: opts.EmailSubject, QuickReplies: opts.QuickReplies, MessageTag: opts.MessageTag, Force: opts.Force,
	}
	stdinTaken := false
	switch {
	case opts.TextFile == "-":
		if hasStdinInput(opts.Bulk.Inputs) {
			return cmdutil.FlagErrorf("--text-file - and --input - both read stdin: give one of them a file")
		}
		data, err := readMessage(f.IOStreams.In, "stdin")
		if err != nil {
			return err
		}
		spec.Text, stdinTaken = data, true
	case opts.TextFile != "":
		data, err := readTextFile(opts.TextFile)
		if err != nil {
			return err
		}
		spec.Text = data
	case wantsStdinText(opts) && !f.IOStreams.IsStdinTTY() && !hasStdinInput(opts.Bulk.Inputs):
		data, err := readMessage(f.IOStreams.In, "stdin")
		if err != nil {
			return err
		}
		if looksLikeOurRecords(data) {
			return cmdutil.FlagErrorf("stdin holds respondctl's JSON records, not a message: to send to those contacts use `--input - --text TEXT`; to send this very text use --text-file -")
		}
		spec.Text, stdinTaken = data, true
	}
	if _, err := spec.Message(); err != nil {
		return cmdutil.UsageError(err)
	}
	if opts.Channel != "" {
		chans, err := p.Channels(ctx)
		if err != nil {
			return err
		}
		ch, err := actions.ResolveChannel(chans, opts.Channel)
		if err != nil {
			return &cmdutil.NotFoundError{Err: err}
		}
		spec.ChannelID, spec.ChannelName = ch.ID, ch.Name
	}
	if spec.Template != "" {
		if err := checkTemplate(ctx, f, p, spec); err != nil {
			return err
		}
	}
	return bulkcmd.Run(ctx, bulkcmd.Request{
		Factory: f, Platform: p, Args: opts.Args, Flags: &opts.Bulk, StdinTaken: stdinTaken,
		Command: "respondctl send",
		Spec:    actions.Spec{Verb: actions.VerbSend, Send: spec, Now: f.Now},
		Single: func(ctx context.Context, r *bulk.Result) error {
			return afterSingleSend(ctx, opts, p, r)
		},
	})
}

func readTextFile(path string) (string, error) {
	file, err := os.Open(path)
	if err != nil {
		return "", cmdutil.UsageError(fmt.Errorf("--text-file: %w", err))
	}
	defer file.Close()
	return readMessage(file, path)
}

func hasStdinInput(inputs []string) bool {
	for _, in := range inputs {
		if in == "-" {
			return true
		}
	}
	return false
}
