// Package commands assembles the respondctl command tree.
package commands

import (
	"fmt"
	"strings"
	"time"

	"github.com/respondctl/respondctl/commands/api"
	"github.com/respondctl/respondctl/commands/assign"
	"github.com/respondctl/respondctl/commands/auth"
	"github.com/respondctl/respondctl/commands/channels"
	"github.com/respondctl/respondctl/commands/closingnotes"
	"github.com/respondctl/respondctl/commands/cmdutil"
	"github.com/respondctl/respondctl/commands/comment"
	"github.com/respondctl/respondctl/commands/completion"
	configcmd "github.com/respondctl/respondctl/commands/config"
	"github.com/respondctl/respondctl/commands/contacts"
	"github.com/respondctl/respondctl/commands/conversation"
	"github.com/respondctl/respondctl/commands/conversationstatus"
	"github.com/respondctl/respondctl/commands/fields"
	"github.com/respondctl/respondctl/commands/message"
	"github.com/respondctl/respondctl/commands/send"
	"github.com/respondctl/respondctl/commands/tags"
	"github.com/respondctl/respondctl/commands/templates"
	"github.com/respondctl/respondctl/commands/users"
	"github.com/respondctl/respondctl/commands/version"
	"github.com/respondctl/respondctl/commands/views"
	"github.com/respondctl/respondctl/inbox"
	"github.com/respondctl/respondctl/output"
	"github.com/spf13/cobra"
)

const (
	groupCore       = "core"
	groupSetup      = "setup"
	groupHelpTopics = "help"
)

// NewCmdRoot builds the command tree. Commands get their dependencies from f,
// which builds them lazily: constructing the tree does no disk or network I/O.
func NewCmdRoot(f *cmdutil.Factory) *cobra.Command {
	// Persistent hooks of every level run (so a noun's own hook does not skip
	// the root's --no-color handling).
	cobra.EnableTraverseRunHooks = true

	root := &cobra.Command{
		Use:   f.ExecutableName + " <command> <subcommand> [flags]",
		Short: "Work the messaging inbox from the command line",
		Long: `respondctl works a messaging inbox from the terminal and from scripts: views with
counts, conversation history, replies, assignment and bulk actions.

Try it without an account:  respondctl --sandbox views`,
		Version:       f.AppVersion,
		SilenceUsage:  true,
		SilenceErrors: true,
		Args:          unknownSubcommand,
		RunE:          func(cmd *cobra.Command, args []string) error { return cmd.Help() },
		PersistentPreRunE: func(cmd *cobra.Command, args []string) error {
			if f.Global.NoColor {
				f.IOStreams.SetColorEnabled(false)
			}
			if f.Global.Timeout <= 0 {
				return cmdutil.FlagErrorf("invalid --timeout %s: give a positive duration such as 30s or 2m", f.Global.Timeout)
			}
			return nil
		},
	}
	root.SetOut(f.IOStreams.Out)
	root.SetErr(f.IOStreams.ErrOut)
	root.SetIn(f.IOStreams.In)
	root.SetVersionTemplate(`{{.Name}} version {{.Version}}` + "\n")
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return cmdutil.UsageError(err) })
	root.CompletionOptions.DisableDefaultCmd = true // ours is `respondctl completion SHELL`
	addGlobalFlags(root, f)
	registerCommands(root, f)

	for _, t := range helpTopics() {
		root.AddCommand(t)
	}
	requireKnownSubcommands(root)
	// Views, users and channels complete from the workspace on every flag
	// that takes one (assign --to, contacts list --view, send --channel…).
	cmdutil.BuiltinViewNames = inbox.BuiltinViewNames
	cmdutil.RegisterDynamicCompletions(root, f)
	return root
}

// registerCommands is the one place commands are wired in. Inbox commands
// (views, contacts, conversation, send, …) go in the core group.
func registerCommands(root *cobra.Command, f *cmdutil.Factory) {
	if inbox := inboxCommands(f); len(inbox) > 0 {
		root.AddGroup(&cobra.Group{ID: groupCore, Title: "Inbox commands:"})
		addToGroup(root, groupCore, inbox...)
	}
	root.AddGroup(
		&cobra.Group{ID: groupSetup, Title: "Setup and scripting:"},
		&cobra.Group{ID: groupHelpTopics, Title: "Help topics:"},
	)
	addToGroup(root, groupSetup,
		auth.NewCmdAuth(f),
		configcmd.NewCmdConfig(f),
		api.NewCmdAPI(f, nil),
		version.NewCmdVersion(f, nil),
		completion.NewCmdCompletion(f),
	)
	addToGroup(root, groupSetup, sandboxCommands(f)...)
	addToGroup(root, groupSetup, mirrorCommands(f)...)
}

// inboxCommands lists the inbox nouns; the lead wires them here.
func inboxCommands(f *cmdutil.Factory) []*cobra.Command {
	return []*cobra.Command{
		views.NewCmdViews(f, nil),
		contacts.NewCmdContacts(f),
		conversation.NewCmdConversation(f),
		conversation.NewCmdHistory(f),
		message.NewCmdMessage(f),
		users.NewCmdUsers(f),
		channels.NewCmdChannels(f),
		closingnotes.NewCmdClosingNotes(f),
		fields.NewCmdFields(f),
		tags.NewCmdTags(f),
		templates.NewCmdTemplates(f),
		send.NewCmdSend(f, nil),
		assign.NewCmdAssign(f, nil),
		assign.NewCmdUnassign(f, nil),
		conversationstatus.NewCmdDone(f, nil),
		conversationstatus.NewCmdReopen(f, nil),
		conversationstatus.NewCmdPending(f, nil),
		conversationstatus.NewCmdSnooze(f, nil),
		conversationstatus.NewCmdUnsnooze(f, nil),
		comment.NewCmdComment(f, nil),
	}
}

func addToGroup(root *cobra.Command, group string, cmds ...*cobra.Command) {
	for _, c := range cmds {
		if c.GroupID == "" {
			c.GroupID = group
		}
		root.AddCommand(c)
	}
}

func addGlobalFlags(root *cobra.Command, f *cmdutil.Factory) {
	g := f.Global
	pf := root.PersistentFlags()
	pf.StringVar(&g.Profile, "profile", "", "use this configuration profile (env RESPOND_PROFILE)")
	pf.StringVarP(&g.Output, "output", "o", "table", "output format: table, json, jsonl or yaml")
	pf.StringVar(&g.JQ, "jq", "", "filter JSON output with a jq expression")
	pf.StringVar(&g.Template, "template", "", "format output with a Go template")
	pf.BoolVar(&g.NoColor, "no-color", false, "disable colour (also NO_COLOR)")
	pf.BoolVar(&g.Debug, "debug", false, "trace HTTP requests on stderr (token redacted)")
	pf.BoolVar(&g.Sandbox, "sandbox", false, "use the local sandbox instead of your workspace")
	pf.StringVar(&g.APIBase, "api-base", "", "API base URL (env RESPOND_API_BASE)")
	pf.DurationVar(&g.Timeout, "timeout", 30*time.Second, "timeout of each HTTP attempt (a read that times out is retried once, so a hung server fails it after about twice this; a timed-out send is never resent)")
	pf.StringVar(&g.TZ, "tz", "", "time zone for displayed times, e.g. Asia/Kuala_Lumpur")
	pf.BoolVar(&g.Insecure, "insecure", false, "allow plain http:// to a non-loopback API host (testing only)")
	_ = root.RegisterFlagCompletionFunc("output", func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
		return output.Formats, cobra.ShellCompDirectiveNoFileComp
	})
	_ = root.RegisterFlagCompletionFunc("profile", cmdutil.CompleteProfiles(f))
}

// unknownSubcommand makes `respondctl nope` (and `respondctl auth nope`) a
// usage error (exit 2) with suggestions, instead of cobra's silent help.
func unknownSubcommand(cmd *cobra.Command, args []string) error {
	if len(args) == 0 {
		return nil
	}
	msg := fmt.Sprintf("unknown command %q for %q", args[0], cmd.CommandPath())
	if cmd.SuggestionsMinimumDistance <= 0 {
		cmd.SuggestionsMinimumDistance = 2
	}
	if s := cmd.SuggestionsFor(args[0]); len(s) > 0 {
		msg += "; did you mean " + strings.Join(s, " or ") + "?"
	}
	return cmdutil.FlagErrorf("%s", msg)
}

// requireKnownSubcommands gives every group command (one with subcommands
// and no action) the unknown-subcommand check and a help action, and makes
// every argument-count error a usage error (exit 2).
func requireKnownSubcommands(cmd *cobra.Command) {
	for _, c := range cmd.Commands() {
		if c.HasSubCommands() && c.Run == nil && c.RunE == nil {
			c.Args = unknownSubcommand
			c.RunE = func(cmd *cobra.Command, args []string) error { return cmd.Help() }
		}
		if validate := c.Args; validate != nil {
			c.Args = func(cmd *cobra.Command, args []string) error {
				return cmdutil.UsageError(validate(cmd, args))
			}
		}
		requireKnownSubcommands(c)
	}
}
