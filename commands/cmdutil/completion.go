package cmdutil

import (
	"context"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"
)

// completionTimeout bounds network lookups during shell completion: a slow
// server must not freeze the user's prompt.
const completionTimeout = 3 * time.Second

func completionContext(cmd *cobra.Command) (context.Context, context.CancelFunc) {
	ctx := cmd.Context()
	if ctx == nil {
		ctx = context.Background()
	}
	return context.WithTimeout(ctx, completionTimeout)
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

// CompleteUserEmails completes workspace users' emails (plus "me" and "none").
func CompleteUserEmails(f *Factory) cobra.CompletionFunc {
	return func(cmd *cobra.Command, args []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
		names := []string{"me", "none"}
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
func CompleteChannels(f *Factory) cobra.CompletionFunc {
	return func(cmd *cobra.Command, args []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
		client, err := f.APIClient()
		if err != nil {
			return nil, cobra.ShellCompDirectiveNoFileComp
		}
		ctx, cancel := completionContext(cmd)
		defer cancel()
		var names []string
		it := client.IterateChannels(0)
		for it.Next(ctx) {
			ch := it.Item()
			names = append(names, ch.Name, strconv.FormatInt(ch.ID, 10))
		}
		return filterPrefix(names, toComplete), cobra.ShellCompDirectiveNoFileComp
	}
}
