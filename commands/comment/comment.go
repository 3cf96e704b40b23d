// Package comment implements `respondctl comment`: internal notes on conversations.
package comment

import (
	"context"
	"strings"
	"unicode/utf8"

	"github.com/respondctl/respondctl/actions"
	"github.com/respondctl/respondctl/commands/bulkcmd"
	"github.com/respondctl/respondctl/commands/cmdutil"
	"github.com/spf13/cobra"
)

// CommentOptions holds the flags of `comment`.
type CommentOptions struct {
	Factory *cmdutil.Factory
	Context context.Context
	Args    []string
	Bulk    bulkcmd.Flags

	Text string
}

const maxComment = 1000

// NewCmdComment builds `respondctl comment IDENT… --text T`.
func NewCmdComment(f *cmdutil.Factory, runF func(*CommentOptions) error) *cobra.Command {
	opts := &CommentOptions{Factory: f}
	cmd := &cobra.Command{
		Use:   "comment [IDENT…] --text TEXT",
		Short: "Add an internal note to conversations",
		Long: `Add an internal note (visible to the team, never to the contact) to one or many
conversations. Up to 1000 characters.

A comment is not idempotent: a run that is interrupted while a comment is in flight reports
that contact's outcome as unknown on --resume and never adds the comment twice.

Contacts come from arguments, --input FILE, stdin when piped, or --view NAME.`,
		Example: `  respondctl comment 123 --text "Called back, waiting for the invoice"
  respondctl comment --view "VIP open" --text "Escalated to tier 2"`,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Args, opts.Context = args, cmd.Context()
			if opts.Bulk.Resume != "" {
				if opts.Bulk.UsesTargets(args) || opts.Text != "" {
					return cmdutil.FlagErrorf("--resume takes the contacts and text from the journal: drop the other arguments")
				}
			} else {
				if strings.TrimSpace(opts.Text) == "" {
					return cmdutil.FlagErrorf("--text is required")
				}
				if utf8.RuneCountInString(opts.Text) > maxComment {
					return cmdutil.FlagErrorf("--text is longer than %d characters", maxComment)
				}
			}
			if runF != nil {
				return runF(opts)
			}
			return commentRun(opts)
		},
	}
	cmd.Flags().StringVar(&opts.Text, "text", "", "The note's `TEXT`")
	opts.Bulk.Register(cmd)
	return cmd
}

func commentRun(opts *CommentOptions) error {
	ctx := opts.Context
	p, err := bulkcmd.NewPlatform(opts.Factory)
	if err != nil {
		return err
	}
	if opts.Bulk.Resume != "" {
		return bulkcmd.Resume(ctx, opts.Factory, p, actions.VerbComment, &opts.Bulk)
	}
	return bulkcmd.Run(ctx, bulkcmd.Request{
		Factory: opts.Factory, Platform: p, Args: opts.Args, Flags: &opts.Bulk, Command: "respondctl comment",
		Spec: actions.Spec{Verb: actions.VerbComment, Text: opts.Text},
	})
}
