package conversationstatus

import (
	"context"
	"fmt"
	"unicode/utf8"

	"github.com/respondctl/respondctl/actions"
	"github.com/respondctl/respondctl/commands/bulkcmd"
	"github.com/respondctl/respondctl/commands/cmdutil"
	"github.com/spf13/cobra"
)

// DoneOptions holds the flags of `done`.
type DoneOptions struct {
	Factory *cmdutil.Factory
	Context context.Context
	Args    []string
	Bulk    bulkcmd.Flags

	Category string
	Summary  string
	// IfNoNewIncoming is nil unless --if-no-new-incoming was given (default: on for --view).
	IfNoNewIncoming *bool
}

// Limits of the contract.
const (
	maxCategory = 128
	maxSummary  = 512
)

// NewCmdDone builds `respondctl done IDENT… [--category C] [--summary S]`.
func NewCmdDone(f *cmdutil.Factory, runF func(*DoneOptions) error) *cobra.Command {
	opts := &DoneOptions{Factory: f}
	var ifNoNew bool
	cmd := &cobra.Command{
		Use:   "done [IDENT…] [--category C] [--summary S]",
		Short: "Mark conversations done",
		Long: `Mark conversations done (closed), optionally with a closing-note category (checked
against the workspace's closing notes) and a summary.

--if-no-new-incoming skips a conversation whose contact wrote after the run started, so a
bulk close never buries a fresh customer reply. It is on by default for --view runs.

` + targetsHelp,
		Example: `  respondctl done 123 --category Resolved --summary "Refund issued"
  respondctl done --view "Stale" --category "No reply"
  respondctl done --view "Stale" --if-no-new-incoming=false   # close even fresh replies`,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Args, opts.Context = args, cmd.Context()
			if cmd.Flags().Changed("if-no-new-incoming") {
				opts.IfNoNewIncoming = &ifNoNew
			}
			if err := checkResume(&opts.Bulk, args); err != nil {
				return err
			}
			if opts.Bulk.Resume != "" && (opts.Category != "" || opts.Summary != "" || opts.IfNoNewIncoming != nil) {
				return cmdutil.FlagErrorf("--resume takes the category and summary from the journal: drop them")
			}
			if utf8.RuneCountInString(opts.Category) > maxCategory {
				return cmdutil.FlagErrorf("--category is longer than %d characters", maxCategory)
			}
			if utf8.RuneCountInString(opts.Summary) > maxSummary {
				return cmdutil.FlagErrorf("--summary is longer than %d characters", maxSummary)
			}
			if runF != nil {
				return runF(opts)
			}
			return doneRun(opts)
		},
	}
	cmd.Flags().StringVar(&opts.Category, "category", "", "Closing-note `CATEGORY` (one of the workspace's closing notes)")
	cmd.Flags().StringVar(&opts.Summary, "summary", "", "Closing `SUMMARY` (up to 512 characters)")
	cmd.Flags().BoolVar(&ifNoNew, "if-no-new-incoming", false, "Skip conversations whose contact wrote after the run started (default on with --view)")
	opts.Bulk.Register(cmd)
	return cmd
}

func doneRun(opts *DoneOptions) error {
	spec := actions.Spec{Verb: actions.VerbDone, Summary: opts.Summary}
	if opts.Bulk.Resume == "" && opts.Category != "" {
		ctx := opts.Context
		p, err := bulkcmd.NewPlatform(opts.Factory)
		if err != nil {
			return err
		}
		known, err := p.ClosingNoteCategories(ctx)
		if err != nil {
			return fmt.Errorf("reading closing-note categories: %w", err)
		}
		// Checked before any target is read or changed.
		if spec.Category, err = actions.ResolveCategory(known, opts.Category); err != nil {
			return bulkcmd.UserError(opts.Factory, err)
		}
	}
	return runSpec(opts.Context, opts.Factory, &opts.Bulk, opts.Args, spec, opts.IfNoNewIncoming)
}
