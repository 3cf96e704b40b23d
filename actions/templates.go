package actions

import (
	"fmt"
	"sort"
	"strings"

	"github.com/respondctl/respondctl/apiclient"
	"github.com/respondctl/respondctl/suggest"
)

// TemplateError is a template send refused before anything is sent.
type TemplateError struct{ Msg string }

func (e *TemplateError) Error() string { return e.Msg }

// CheckTemplate checks a template send against a channel's templates the way WhatsApp will:
// the name (close matches suggested), the language (the available ones listed), the approval
// status, the number of body parameters and the header media. It returns the template.
func CheckTemplate(channel string, templates []apiclient.WhatsAppTemplate, s SendSpec) (apiclient.WhatsAppTemplate, error) {
	var named []apiclient.WhatsAppTemplate
	names := map[string]bool{}
	for _, t := range templates {
		names[t.Name] = true
		if t.Name == s.Template {
			named = append(named, t)
		}
	}
	fail := func(format string, args ...any) (apiclient.WhatsAppTemplate, error) {
		return apiclient.WhatsAppTemplate{}, &TemplateError{Msg: fmt.Sprintf(format, args...)}
	}
	if len(named) == 0 {
		all := make([]string, 0, len(names))
		for n := range names {
			all = append(all, n)
		}
		sort.Strings(all)
		msg := fmt.Sprintf("template %q not found on %s", s.Template, channel)
		if close := suggest.Closest(s.Template, all, 3); len(close) > 0 {
			return fail("%s; did you mean %s?", msg, strings.Join(close, ", "))
		}
		if len(all) == 0 {
			return fail("%s: the channel has no templates", msg)
		}
		return fail("%s (see `respondctl templates list`)", msg)
	}
	var t *apiclient.WhatsAppTemplate
	var langs []string
	for i := range named {
		langs = append(langs, named[i].LanguageCode)
		if strings.EqualFold(named[i].LanguageCode, s.Lang) {
			t = &named[i]
		}
	}
	sort.Strings(langs)
	if t == nil {
		return fail("template %q has no language %q on %s; available: %s", s.Template, s.Lang, channel, strings.Join(langs, ", "))
	}
	if !t.Approved() {
		return fail("template %q (%s) is %s, not approved: WhatsApp refuses it", t.Name, t.LanguageCode, strings.ToLower(t.Status))
	}
	if want := t.Components.BodyParams(); want != len(s.TemplateParams) {
		return fail("template %q (%s) takes %d body parameter%s, got %d --param: %s", t.Name, t.LanguageCode, want, plural(want),
			len(s.TemplateParams), oneLine(t.Components.Body()))
	}
	media := t.Components.HeaderMedia()
	switch {
	case media != "" && s.AttachmentURL == "":
		return fail("template %q (%s) has %s header: give its media with --attachment URL", t.Name, t.LanguageCode, article(strings.ToLower(media)))
	case media == "" && s.AttachmentURL != "":
		return fail("template %q (%s) has no media header: drop --attachment", t.Name, t.LanguageCode)
	}
	return *t, nil
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

func article(w string) string {
	if strings.ContainsRune("aeiou", rune(w[0])) {
		return "an " + w
	}
	return "a " + w
}
