// Package send implements `respondctl send`: one message to one or many contacts, with the
// messaging-window check, templates, attachments, email, quick replies and --wait.
package send

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"
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
window closed; send a --template then, or --force to send anyway.

A single send prints the message id on stdout. --wait delivered|read follows its status and
exits non-zero with the channel's reason if it fails.

Sends are never repeated: a bulk send is journaled before each message goes out, and a send
whose outcome is unknown (the connection broke at the wrong moment, the run was killed) is
reported as unknown (exit 7 for one contact, 3 for a bulk run) instead of being resent.`,
		Example: `  respondctl send 123 --text "Your order has shipped"
  echo "Thanks for waiting" | respondctl send jane@example.com
  respondctl send 123 --text "Hi" --wait delivered
  respondctl send 123 --template order_update --lang en --param A-77 --param "2 days"
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
	fl.StringVar(&opts.Attachment, "attachment", "", "Send the file at `URL`")
	fl.StringVar(&opts.AttachmentType, "attachment-type", "", "Attachment `TYPE`: image, video, audio or file (default file)")
	fl.StringVar(&opts.Template, "template", "", "Send the approved WhatsApp template `NAME`")
	fl.StringVar(&opts.Lang, "lang", "", "Template language `CODE`, e.g. en")
	fl.StringArrayVar(&opts.Params, "param", nil, "Template body parameter `VALUE` (repeat in order)")
	fl.StringVar(&opts.EmailSubject, "email-subject", "", "Send an email with this `SUBJECT`")
	fl.StringArrayVar(&opts.QuickReplies, "quick-reply", nil, "Offer `OPTION` as a quick reply (repeat for each)")
	fl.BoolVar(&opts.Force, "force", false, "Send free-form messages even outside the messaging window")
	fl.StringVar(&opts.Wait, "wait", "", "Wait until the message is `delivered or read` (single contact)")
	fl.DurationVar(&opts.WaitTimeout, "wait-timeout", 30*time.Second, "How long --wait waits")
	opts.Bulk.Register(cmd)
	return cmd
}

func validateSend(opts *SendOptions) error {
	if opts.Bulk.Resume != "" {
		if opts.Bulk.UsesTargets(opts.Args) || opts.Text != "" || opts.TextFile != "" || opts.Template != "" ||
			opts.Attachment != "" || opts.EmailSubject != "" || len(opts.QuickReplies) > 0 || opts.Channel != "" || opts.Wait != "" {
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
		EmailSubject: opts.EmailSubject, QuickReplies: opts.QuickReplies, Force: opts.Force,
	}
	stdinTaken := false
	switch {
	case opts.TextFile != "":
		data, err := readTextFile(opts.TextFile)
		if err != nil {
			return err
		}
		spec.Text = data
	case wantsStdinText(opts) && !f.IOStreams.IsStdinTTY():
		data, err := io.ReadAll(f.IOStreams.In)
		if err != nil {
			return fmt.Errorf("reading the message from stdin: %w", err)
		}
		spec.Text, stdinTaken = strings.TrimRight(string(data), "\n"), true
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
	if path == "-" {
		return "", cmdutil.FlagErrorf("--text-file -: pipe the text on stdin without --text-file instead")
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return "", cmdutil.UsageError(fmt.Errorf("--text-file: %w", err))
	}
	return strings.TrimRight(string(data), "\n"), nil
}
