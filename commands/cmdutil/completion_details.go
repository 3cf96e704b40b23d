package cmdutil

import (
	"context"
	"strings"

	"github.com/respondctl/respondctl/apiclient"
	"github.com/respondctl/respondctl/window"
	"github.com/spf13/cobra"
)

// completionContactPages bounds the contacts read to collect tags and lifecycle stages (the
// API lists neither): the most recent 200 contacts carry the ones in use.
const completionContactPages = 2

// contactValues collects tags or lifecycle stages from recent contacts.
func contactValues(ctx context.Context, client *apiclient.Client, pick func(*apiclient.Contact) []string) []string {
	var out []string
	cursor := int64(0)
	for i := 0; i < completionContactPages; i++ {
		p, err := client.ListContacts(ctx, apiclient.ContactListRequest{Filter: &apiclient.Filter{}}, apiclient.PageOptions{Limit: 100, Cursor: cursor})
		if err != nil || len(p.Items) == 0 {
			break
		}
		for i := range p.Items {
			out = append(out, pick(&p.Items[i])...)
		}
		cursor = p.Items[len(p.Items)-1].ID
		if p.Pagination.Next == "" {
			break
		}
	}
	return out
}

// CompleteTags completes tag names in use on the workspace's recent contacts.
func CompleteTags(f *Factory) cobra.CompletionFunc {
	return completeFromAPI(f, func(ctx context.Context, client *apiclient.Client, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
		tags := contactValues(ctx, client, func(c *apiclient.Contact) []string { return c.Tags })
		return filterPrefix(tags, toComplete), cobra.ShellCompDirectiveNoFileComp
	})
}

// CompleteLifecycleStages completes lifecycle stages in use on recent contacts.
func CompleteLifecycleStages(f *Factory) cobra.CompletionFunc {
	return completeFromAPI(f, func(ctx context.Context, client *apiclient.Client, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
		stages := contactValues(ctx, client, func(c *apiclient.Contact) []string {
			if c.Lifecycle == nil {
				return nil
			}
			return []string{*c.Lifecycle}
		})
		return filterPrefix(stages, toComplete), cobra.ShellCompDirectiveNoFileComp
	})
}

// CompleteFieldAssignments completes --field NAME=VALUE: a field name followed by "=", and
// after it a list field's values.
func CompleteFieldAssignments(f *Factory) cobra.CompletionFunc { return completeFields(f, true) }

// CompleteFieldNames completes custom-field names.
func CompleteFieldNames(f *Factory) cobra.CompletionFunc { return completeFields(f, false) }

func completeFields(f *Factory, withEq bool) cobra.CompletionFunc {
	return completeFromAPI(f, func(ctx context.Context, client *apiclient.Client, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
		var names []string
		it := client.IterateCustomFields(100)
		for it.Next(ctx) {
			d := it.Item()
			if name, _, ok := strings.Cut(toComplete, "="); ok && strings.EqualFold(name, d.Name) {
				for _, v := range d.AllowedValues {
					names = append(names, d.Name+"="+v)
				}
				continue
			}
			if withEq {
				names = append(names, d.Name+"=")
			} else {
				names = append(names, d.Name)
			}
		}
		if !withEq {
			return filterPrefix(names, toComplete), cobra.ShellCompDirectiveNoFileComp
		}
		return filterPrefix(names, toComplete), cobra.ShellCompDirectiveNoFileComp | cobra.ShellCompDirectiveNoSpace
	})
}

// CompleteTemplateNames completes the names of the WhatsApp templates of every WhatsApp channel.
func CompleteTemplateNames(f *Factory) cobra.CompletionFunc {
	return completeFromAPI(f, func(ctx context.Context, client *apiclient.Client, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
		var names []string
		chans := client.IterateChannels(0)
		for chans.Next(ctx) {
			ch := chans.Item()
			if !window.IsWhatsApp(ch.Source) {
				continue
			}
			it := client.IterateTemplates(ch.ID, 100)
			for it.Next(ctx) {
				names = append(names, it.Item().Name)
			}
		}
		return filterPrefix(names, toComplete), cobra.ShellCompDirectiveNoFileComp
	})
}
