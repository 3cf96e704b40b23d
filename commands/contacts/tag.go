package contacts

import (
	"context"

	"github.com/respondctl/respondctl/actions"
	"github.com/respondctl/respondctl/commands/bulkcmd"
	"github.com/respondctl/respondctl/commands/cmdutil"
	"github.com/spf13/cobra"
)

// TagOptions holds the flags of `contacts tag` and `contacts untag`.
type TagOptions struct {
	Factory *cmdutil.Factory
	Context context.Context
	Verb    string // actions.VerbTag | actions.VerbUntag
	Idents  []string
	Tags    []string
	Bulk    bulkcmd.Flags
}

// NewCmdTag builds `contacts tag IDENT… TAG…`.
func NewCmdTag(f *cmdutil.Factory, runF func(*TagOptions) error) *cobra.Command {
	return newTagCmd(f, actions.VerbTag, runF)
}

// NewCmdUntag builds `contacts untag IDENT… TAG…`.
func NewCmdUntag(f *cmdutil.Factory, runF func(*TagOptions) error) *cobra.Command {
	return newTagCmd(f, actions.VerbUntag, runF)
}

func newTagCmd(f *cmdutil.Factory, verb string, runF func(*TagOptions) error) *cobra.Command {
	opts := &TagOptions{Factory: f, Verb: verb}
	short := "Tag contacts"
	if verb == actions.VerbUntag {
		short = "Remove tags from contacts"
	}
	cmd := &cobra.Command{
		Use:   verb + " [IDENT…] TAG… [--tag TAG]",
		Short: short,
		Long: short + `.

The leading arguments that are contact identifiers (123, id:123, an email, a phone number)
name the contacts; the rest are tags (1 to 10). A tag that looks like an identifier ("2024")
goes in --tag. Contacts may instead come from --input FILE, stdin or --view NAME (then every
argument is a tag). Tagging is idempotent: a contact that has the tag keeps one, so a run
can be repeated or resumed safely. Runs over several contacts are journaled (--resume).`,
		Example: `  respondctl contacts ` + verb + ` 123 vip
  respondctl contacts ` + verb + ` 123 456 jane@example.com vip b2b
  respondctl contacts ` + verb + ` --view "Hot leads" vip --dry-run
  respondctl contacts list --tag vip -o jsonl | respondctl contacts ` + verb + ` newsletter`,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Context = cmd.Context()
			idents, rest := splitIdents(args)
			opts.Idents, opts.Tags = idents, append(rest, opts.Tags...)
			if opts.Bulk.Resume != "" {
				if len(args) > 0 || opts.Bulk.UsesTargets(nil) {
					return cmdutil.FlagErrorf("--resume takes the contacts and tags from the journal: drop the other arguments")
				}
			} else if len(opts.Tags) == 0 {
				return cmdutil.FlagErrorf("no tag given: put the tags after the contacts (or use --tag)")
			} else if err := actions.CheckTags(opts.Tags); err != nil {
				return cmdutil.InvalidInput(err)
			}
			if runF != nil {
				return runF(opts)
			}
			return detailsRun(opts.Context, f, &opts.Bulk, opts.Idents, actions.Spec{Verb: verb, Tags: opts.Tags})
		},
	}
	cmd.Flags().StringArrayVar(&opts.Tags, "tag", nil, "A `TAG` (repeatable), for tags that look like identifiers")
	opts.Bulk.Register(cmd)
	_ = cmd.RegisterFlagCompletionFunc("tag", cmdutil.CompleteTags(f))
	cmd.ValidArgsFunction = cmdutil.CompleteTags(f)
	return cmd
}
