// Package tags implements `respondctl tags create|rename|delete`: the workspace's tags.
// Renaming or deleting a tag changes every contact that carries it.
package tags

import (
	"context"
	"fmt"
	"strings"

	"github.com/respondctl/respondctl/apiclient"
	"github.com/respondctl/respondctl/commands/cmdutil"
	"github.com/respondctl/respondctl/output"
	"github.com/spf13/cobra"
)

// TagResult is what create, rename and delete print.
type TagResult struct {
	Name         string `json:"name"`
	PreviousName string `json:"previousName,omitempty"`
	Outcome      string `json:"outcome"` // created | renamed | updated | deleted
	ID           int64  `json:"id,omitempty"`
}

// NewCmdTags builds the `tags` noun.
func NewCmdTags(f *cmdutil.Factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "tags <command>",
		Short: "Workspace tags: create, rename, delete (to tag contacts: contacts tag)",
	}
	cmd.AddCommand(NewCmdCreate(f, nil), NewCmdRename(f, nil), NewCmdDelete(f, nil))
	return cmd
}

// Options are the arguments and flags of the tags verbs.
type Options struct {
	Factory     *cmdutil.Factory
	Context     context.Context
	Name        string
	NewName     string
	Description string
	Color       string
	Emoji       string
	Yes         bool
}

func (o *Options) ctx() context.Context {
	if o.Context == nil {
		return context.Background()
	}
	return o.Context
}

func checkName(name string) error {
	if strings.TrimSpace(name) == "" {
		return cmdutil.FlagErrorf("tag names cannot be empty")
	}
	if len([]rune(name)) > 255 {
		return cmdutil.FlagErrorf("tag names are at most 255 characters")
	}
	return nil
}

// tagError names the tag when the platform does not know it.
func tagError(name string, err error) error {
	if apiclient.IsNotFound(err) {
		return cmdutil.NotFoundf("tag %q not found", name)
	}
	return err
}

func print(opts *Options, r TagResult, line string) error {
	f := opts.Factory
	oo, err := f.OutputOptions()
	if err != nil {
		return err
	}
	if !oo.Structured() {
		fmt.Fprintln(f.IOStreams.Out, line)
		return nil
	}
	return output.PrintOne(f.IOStreams, oo, output.Spec{Single: true}, r)
}

// NewCmdCreate builds `tags create NAME`.
func NewCmdCreate(f *cmdutil.Factory, runF func(*Options) error) *cobra.Command {
	opts := &Options{Factory: f}
	cmd := &cobra.Command{
		Use:   "create NAME [--description TEXT] [--color #RRGGBB] [--emoji E]",
		Short: "Create a workspace tag",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Context, opts.Name = cmd.Context(), args[0]
			if err := checkName(opts.Name); err != nil {
				return err
			}
			if runF != nil {
				return runF(opts)
			}
			client, err := f.APIClient()
			if err != nil {
				return err
			}
			t, err := client.CreateTag(opts.ctx(), apiclient.TagRequest{Name: opts.Name, Description: opts.Description, ColorCode: opts.Color, Emoji: opts.Emoji})
			if err != nil {
				return err
			}
			return print(opts, TagResult{Name: t.Name, Outcome: "created", ID: t.ID}, fmt.Sprintf("created tag %q", t.Name))
		},
	}
	cmd.Flags().StringVar(&opts.Description, "description", "", "Description `TEXT`")
	cmd.Flags().StringVar(&opts.Color, "color", "", "Colour `#RRGGBB`")
	cmd.Flags().StringVar(&opts.Emoji, "emoji", "", "`EMOJI` shown with the tag")
	return cmd
}

// NewCmdRename builds `tags rename OLD NEW`.
func NewCmdRename(f *cmdutil.Factory, runF func(*Options) error) *cobra.Command {
	opts := &Options{Factory: f}
	cmd := &cobra.Command{
		Use:   "rename OLD NEW",
		Short: "Rename a tag on the workspace and on every contact that carries it",
		Args:  cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Context, opts.Name, opts.NewName = cmd.Context(), args[0], args[1]
			if err := checkName(opts.NewName); err != nil {
				return err
			}
			if opts.Name == opts.NewName {
				return cmdutil.FlagErrorf("the new name is the old one")
			}
			if runF != nil {
				return runF(opts)
			}
			client, err := f.APIClient()
			if err != nil {
				return err
			}
			t, err := client.UpdateTag(opts.ctx(), apiclient.TagRequest{CurrentName: opts.Name, Name: opts.NewName})
			if err != nil {
				return tagError(opts.Name, err)
			}
			return print(opts, TagResult{Name: t.Name, PreviousName: opts.Name, Outcome: "renamed", ID: t.ID},
				fmt.Sprintf("renamed tag %q to %q (on every contact that had it)", opts.Name, t.Name))
		},
	}
	cmd.ValidArgsFunction = func(cmd *cobra.Command, args []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
		if len(args) > 0 {
			return nil, cobra.ShellCompDirectiveNoFileComp
		}
		return cmdutil.CompleteTags(f)(cmd, args, toComplete)
	}
	return cmd
}

// NewCmdDelete builds `tags delete NAME`.
func NewCmdDelete(f *cmdutil.Factory, runF func(*Options) error) *cobra.Command {
	opts := &Options{Factory: f}
	cmd := &cobra.Command{
		Use:   "delete NAME [--yes]",
		Short: "Delete a tag from the workspace and from every contact that carries it",
		Long: `Delete a tag from the workspace and from every contact that carries it.

On a terminal respondctl asks first; in scripts pass --yes.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Context, opts.Name = cmd.Context(), args[0]
			if err := checkName(opts.Name); err != nil {
				return err
			}
			if runF != nil {
				return runF(opts)
			}
			if err := cmdutil.Confirm(f.IOStreams, fmt.Sprintf("Delete tag %q from the workspace and every contact?", opts.Name), opts.Yes); err != nil {
				return err
			}
			client, err := f.APIClient()
			if err != nil {
				return err
			}
			if err := client.DeleteTag(opts.ctx(), opts.Name); err != nil {
				return tagError(opts.Name, err)
			}
			return print(opts, TagResult{Name: opts.Name, Outcome: "deleted"}, fmt.Sprintf("deleted tag %q", opts.Name))
		},
	}
	cmd.Flags().BoolVarP(&opts.Yes, "yes", "y", false, "Do not ask for confirmation")
	cmd.ValidArgsFunction = cmdutil.CompleteTags(f)
	return cmd
}
