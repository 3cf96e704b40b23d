package send

import (
	"context"
	"fmt"

	"github.com/respondctl/respondctl/actions"
	"github.com/respondctl/respondctl/apiclient"
	"github.com/respondctl/respondctl/commands/cmdutil"
	"github.com/respondctl/respondctl/window"
)

// checkTemplate checks --template, --lang, --param and --attachment against the WhatsApp
// channel's templates before anything is sent: --channel's, or every WhatsApp channel's when
// the contacts' last-used channel decides (it passes when one of them has it as given).
func checkTemplate(ctx context.Context, f *cmdutil.Factory, p actions.Platform, spec *actions.SendSpec) error {
	client, err := f.APIClient()
	if err != nil {
		return err
	}
	chans, err := p.Channels(ctx)
	if err != nil {
		return err
	}
	var candidates []actions.Channel
	for _, ch := range chans {
		if spec.ChannelID != 0 && ch.ID != spec.ChannelID {
			continue
		}
		if !window.IsWhatsApp(ch.Source) {
			if spec.ChannelID != 0 {
				return cmdutil.FlagErrorf("--template: %s is a %s channel; templates are sent on WhatsApp channels", ch.Name, ch.Source)
			}
			continue
		}
		candidates = append(candidates, ch)
	}
	if len(candidates) == 0 {
		return cmdutil.FlagErrorf("--template: the workspace has no WhatsApp channel")
	}
	var first error
	for _, ch := range candidates {
		var list []apiclient.WhatsAppTemplate
		it := client.IterateTemplates(ch.ID, 100)
		for it.Next(ctx) {
			list = append(list, it.Item())
		}
		if err := it.Err(); err != nil {
			return fmt.Errorf("reading the templates of %s: %w", ch.Name, err)
		}
		if _, err := actions.CheckTemplate(ch.Name, list, *spec); err == nil {
			return nil
		} else if first == nil {
			first = err
		}
	}
	return cmdutil.InvalidInput(first)
}
