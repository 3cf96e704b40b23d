// Package templates implements `respondctl templates list|show`: the WhatsApp message
// templates of the workspace's WhatsApp channels, their languages and approval status.
package templates

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/respondctl/respondctl/actions"
	"github.com/respondctl/respondctl/apiclient"
	"github.com/respondctl/respondctl/commands/cmdutil"
	"github.com/respondctl/respondctl/suggest"
	"github.com/respondctl/respondctl/window"
	"github.com/spf13/cobra"
)

// TemplateRow is one template in one language, as list and show print it.
type TemplateRow struct {
	ID          int64          `json:"id"`
	Name        string         `json:"name"`
	Language    string         `json:"language"`
	Category    string         `json:"category"`
	Status      string         `json:"status"` // lower case: approved, pending, rejected…
	ChannelID   int64          `json:"channelId"`
	Channel     string         `json:"channel"`
	Params      int            `json:"params"`
	HeaderMedia string         `json:"headerMedia"` // image, video, document, or ""
	Body        string         `json:"body"`
	Buttons     []string       `json:"buttons"`
	Components  []ComponentRow `json:"components"`
}

// ComponentRow is one component of a template (header, body, footer, buttons).
type ComponentRow struct {
	Type    string   `json:"type"`
	Format  string   `json:"format,omitempty"`
	Text    string   `json:"text,omitempty"`
	Buttons []string `json:"buttons,omitempty"`
}

// NewCmdTemplates builds the `templates` noun.
func NewCmdTemplates(f *cmdutil.Factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:     "templates <command>",
		Aliases: []string{"template"},
		Short:   "WhatsApp message templates: names, languages, approval status, parameters",
		Long: `WhatsApp message templates, the only way to reach a WhatsApp contact outside the 24-hour
window. List them to find a template's exact name, languages and status; show one for its
body text with its {{1}} placeholders, so you know how many --param values send needs.`,
	}
	cmd.AddCommand(NewCmdList(f, nil), NewCmdShow(f, nil))
	return cmd
}

// Options are the flags of list and show.
type Options struct {
	Factory *cmdutil.Factory
	Context context.Context
	Channel string
	Status  string
	Name    string
	Lang    string
}

func rowOf(t apiclient.WhatsAppTemplate, ch actions.Channel) TemplateRow {
	r := TemplateRow{ID: int64(t.ID), Name: t.Name, Language: t.LanguageCode, Category: strings.ToLower(t.Category),
		Status: strings.ToLower(t.Status), ChannelID: ch.ID, Channel: ch.Name, Params: t.Components.BodyParams(),
		HeaderMedia: strings.ToLower(t.Components.HeaderMedia()), Body: t.Components.Body(), Buttons: []string{},
		Components: []ComponentRow{}}
	for _, c := range t.Components {
		cr := ComponentRow{Type: strings.ToLower(c.Type), Format: strings.ToLower(c.Format), Text: c.Text}
		for _, b := range c.Buttons {
			label := b.Text
			if b.URL != "" {
				label += " (" + b.URL + ")"
			}
			cr.Buttons = append(cr.Buttons, label)
			r.Buttons = append(r.Buttons, label)
		}
		r.Components = append(r.Components, cr)
	}
	return r
}

// fetch reads the templates of --channel or of every WhatsApp channel.
func fetch(ctx context.Context, f *cmdutil.Factory, channel string) ([]TemplateRow, error) {
	client, err := f.APIClient()
	if err != nil {
		return nil, err
	}
	var chans []actions.Channel
	it := client.IterateChannels(0)
	for it.Next(ctx) {
		ch := it.Item()
		chans = append(chans, actions.Channel{ID: ch.ID, Name: ch.Name, Source: ch.Source})
	}
	if err := it.Err(); err != nil {
		return nil, err
	}
	var pick []actions.Channel
	if channel != "" {
		ch, err := actions.ResolveChannel(chans, channel)
		if err != nil {
			return nil, &cmdutil.NotFoundError{Err: err}
		}
		if !window.IsWhatsApp(ch.Source) {
			return nil, cmdutil.FlagErrorf("%s is a %s channel: only WhatsApp channels have message templates", ch.Name, ch.Source)
		}
		pick = []actions.Channel{ch}
	} else {
		for _, ch := range chans {
			if window.IsWhatsApp(ch.Source) {
				pick = append(pick, ch)
			}
		}
	}
	rows := []TemplateRow{}
	for _, ch := range pick {
		ti := client.IterateTemplates(ch.ID, 100)
		for ti.Next(ctx) {
			rows = append(rows, rowOf(ti.Item(), ch))
		}
		if err := ti.Err(); err != nil {
			return nil, fmt.Errorf("templates of %s: %w", ch.Name, err)
		}
	}
	sort.SliceStable(rows, func(i, j int) bool {
		if rows[i].Name != rows[j].Name {
			return rows[i].Name < rows[j].Name
		}
		if rows[i].ChannelID != rows[j].ChannelID {
			return rows[i].ChannelID < rows[j].ChannelID
		}
		return rows[i].Language < rows[j].Language
	})
	return rows, nil
}

// findTemplate picks NAME (and --lang) from the rows, with close-match suggestions.
func findTemplate(rows []TemplateRow, name, lang string) ([]TemplateRow, error) {
	var named []TemplateRow
	names := map[string]bool{}
	for _, r := range rows {
		names[r.Name] = true
		if r.Name == name {
			named = append(named, r)
		}
	}
	if len(named) == 0 {
		all := make([]string, 0, len(names))
		for n := range names {
			all = append(all, n)
		}
		msg := fmt.Sprintf("template %q not found", name)
		if close := suggest.Closest(name, all, 3); len(close) > 0 {
			msg += "; did you mean " + strings.Join(close, ", ") + "?"
		}
		return nil, cmdutil.NotFoundf("%s", msg)
	}
	if lang == "" {
		return named, nil
	}
	var out []TemplateRow
	var langs []string
	for _, r := range named {
		langs = append(langs, r.Language)
		if strings.EqualFold(r.Language, lang) {
			out = append(out, r)
		}
	}
	if len(out) == 0 {
		sort.Strings(langs)
		return nil, cmdutil.NotFoundf("template %q has no language %q; available: %s", name, lang, strings.Join(langs, ", "))
	}
	return out, nil
}
