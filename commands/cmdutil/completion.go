package cmdutil

import (
	"context"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/respondctl/respondctl/apiclient"
	"github.com/spf13/cobra"
)

// completionTimeout bounds network lookups during shell completion: a slow
// server must not freeze the user's prompt.
const completionTimeout = 3 * time.Second

func completionContext(cmd *cobra.Command) (context.Context, context.CancelFunc) {
	ctx := cmd.Context()
	return context.WithTimeout(ctx, completionTimeout)
}

// completeFromAPI runs collect with the API client under completionTimeout; without a client
// (no profile, no token) it offers nothing.
func completeFromAPI(f *Factory, collect func(ctx context.Context, client *apiclient.Client, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective)) cobra.CompletionFunc {
	return func(cmd *cobra.Command, args []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
		client, err := f.APIClient()
		if err != nil {
			return nil, cobra.ShellCompDirectiveNoFileComp
		}
		ctx, cancel := completionContext(cmd)
		defer cancel()
		return collect(ctx, client, toComplete)
	}
}

func filterPrefix(items []string, prefix string) []cobra.Completion {
	seen := map[string]bool{}
	out := []cobra.Completion{}
	for _, it := range items {
		if it == "" || seen[it] || !strings.HasPrefix(strings.ToLower(it), strings.ToLower(prefix)) {
			continue
		}
		seen[it] = true
		out = append(out, it)
	}
	sort.Strings(out)
	return out
}

// CompleteProfiles completes profile names from the configuration file.
func CompleteProfiles(f *Factory) cobra.CompletionFunc {
	return func(cmd *cobra.Command, args []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
		cfg, err := f.Config()
		if err != nil {
			return nil, cobra.ShellCompDirectiveNoFileComp
		}
		return filterPrefix(cfg.ProfileNames(), toComplete), cobra.ShellCompDirectiveNoFileComp
	}
}

// BuiltinViewNames are offered by CompleteViewNames besides configured and
// server views; the views command sets them when it registers.
var BuiltinViewNames []string

// CompleteViewNames completes view names: built-in views, the profile's
// configured views and the workspace's custom views (EXT; skipped when the
// server lacks them). Use as ValidArgsFunction or a flag completion.
func CompleteViewNames(f *Factory) cobra.CompletionFunc {
	return func(cmd *cobra.Command, args []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
		names := append([]string{}, BuiltinViewNames...)
		if cfg, err := f.Config(); err == nil {
			if conn, err := f.Connection(); err == nil {
				if p := cfg.Profile(conn.ProfileName); p != nil {
					for _, v := range p.Views {
						names = append(names, v.Name)
					}
				}
			}
		}
		if client, err := f.APIClient(); err == nil {
			ctx, cancel := completionContext(cmd)
			defer cancel()
			if caps, err := client.Capabilities(ctx); err == nil && caps.Has("views") {
				if views, err := client.ListViews(ctx); err == nil {
					for _, v := range views {
						names = append(names, v.Name)
					}
				}
			}
		}
		return filterPrefix(names, toComplete), cobra.ShellCompDirectiveNoFileComp
	}
}

// CompleteUsers completes workspace users' emails, plus the given keywords
// (e.g. "me", "none", "any") that the flag accepts.
func CompleteUsers(f *Factory, keywords ...string) cobra.CompletionFunc {
	return func(cmd *cobra.Command, args []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
		names := append([]string{}, keywords...)
		client, err := f.APIClient()
		if err != nil {
			return filterPrefix(names, toComplete), cobra.ShellCompDirectiveNoFileComp
		}
		ctx, cancel := completionContext(cmd)
		defer cancel()
		it := client.IterateUsers(0)
		for it.Next(ctx) {
			names = append(names, it.Item().Email)
		}
		return filterPrefix(names, toComplete), cobra.ShellCompDirectiveNoFileComp
	}
}

// CompleteChannels completes channel names and ids.
func CompleteChannels(f *Factory) cobra.CompletionFunc { return completeChannels(f, true) }

// CompleteChannelIDs completes channel ids only (for flags that take an ID),
// each described by its name where the shell shows descriptions.
func CompleteChannelIDs(f *Factory) cobra.CompletionFunc { return completeChannels(f, false) }

func completeChannels(f *Factory, withNames bool) cobra.CompletionFunc {
	return completeFromAPI(f, func(ctx context.Context, client *apiclient.Client, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
		var names []string
		it := client.IterateChannels(0)
		for it.Next(ctx) {
			ch := it.Item()
			id := strconv.FormatInt(ch.ID, 10)
			if withNames {
				names = append(names, ch.Name, id)
			} else if strings.HasPrefix(id, toComplete) {
				names = append(names, cobra.CompletionWithDesc(id, ch.Name))
			}
		}
		if !withNames {
			sort.Strings(names)
			return names, cobra.ShellCompDirectiveNoFileComp
		}
		return filterPrefix(names, toComplete), cobra.ShellCompDirectiveNoFileComp
	})
}

// CompleteList completes one element of a comma-separated list flag
// (--round-robin a@x.com,b@x.com): the items before the last comma are kept
// as typed and item completes the part after it.
func CompleteList(item cobra.CompletionFunc) cobra.CompletionFunc {
	return func(cmd *cobra.Command, args []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
		done, last := "", toComplete
		if i := strings.LastIndex(toComplete, ","); i >= 0 {
			done, last = toComplete[:i+1], toComplete[i+1:]
		}
		items, dir := item(cmd, args, last)
		out := make([]cobra.Completion, 0, len(items))
		for _, it := range items {
			out = append(out, done+it)
		}
		return out, dir | cobra.ShellCompDirectiveNoSpace
	}
}

// RegisterDynamicCompletions gives every flag that names a view, a user or a
// channel its completion, by the flag's name, wherever in the tree it is
// defined, unless the command registered its own. Completions resolve lazily
// (only when the shell asks), so building the tree stays free of I/O.
func RegisterDynamicCompletions(root *cobra.Command, f *Factory) {
	users := CompleteUsers(f, "me")
	byName := map[string]cobra.CompletionFunc{
		"view":        CompleteViewNames(f),
		"to":          users,
		"user":        CompleteUsers(f),
		"assignee":    CompleteUsers(f, "me", "none", "any"),
		"round-robin": CompleteList(users),
		"balance":     CompleteList(users),
		"channel":     CompleteChannels(f),
	}
	var walk func(cmd *cobra.Command)
	walk = func(cmd *cobra.Command) {
		local := cmd.LocalNonPersistentFlags() // a new set per call: build it once per command
		for name, fn := range byName {
			fl := local.Lookup(name)
			if fl == nil {
				continue
			}
			if _, has := cmd.GetFlagCompletionFunc(name); has {
				continue
			}
			if name == "channel" && strings.HasPrefix(fl.Value.Type(), "int") {
				fn = CompleteChannelIDs(f)
			}
			_ = cmd.RegisterFlagCompletionFunc(name, fn)
		}
		for _, c := range cmd.Commands() {
			walk(c)
		}
	}
	walk(root)
}
