package actions

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/respondctl/respondctl/bulk"
)

// Verbs of the contact-detail actions.
const (
	VerbTag       = "tag"
	VerbUntag     = "untag"
	VerbLifecycle = "lifecycle"
	VerbUpdate    = "update"
	VerbDelete    = "delete"
	VerbUpsert    = "upsert"
)

// DetailsPlatform is what the contact-detail actions need besides Platform. ClientPlatform
// implements it; a Platform without it cannot run these verbs.
type DetailsPlatform interface {
	ContactDetails(ctx context.Context, ident string) (ContactDetails, error)
	AddTags(ctx context.Context, ident string, tags []string) error
	RemoveTags(ctx context.Context, ident string, tags []string) error
	// SetLifecycle sets the stage; "" clears it.
	SetLifecycle(ctx context.Context, ident, stage string) error
	UpdateContact(ctx context.Context, ident string, w ContactUpdate) error
	DeleteContact(ctx context.Context, ident string) error
	// CreateOrUpdate creates the contact an email: or phone: identifier names, or updates it.
	CreateOrUpdate(ctx context.Context, ident string, w ContactUpdate) (int64, error)
	// IsNotFound reports a 404 from the platform.
	IsNotFound(err error) bool
	// IsStageUnknown reports the platform refusing a lifecycle stage (a 400 to SetLifecycle).
	IsStageUnknown(err error) bool
}

// ContactDetails are a contact's editable attributes.
type ContactDetails struct {
	ID        int64
	Name      string
	Tags      []string
	Lifecycle string
	// Attrs holds the standard attributes (firstName, lastName, phone, email, language,
	// profilePic, countryCode) that are set.
	Attrs map[string]string
	// Fields holds the custom fields that have a value, as strings ("12", "true", "Pro").
	Fields map[string]string
}

// ContactUpdate is a change of standard attributes (nil value: clear) and custom fields (nil
// value: clear; string, float64 or bool otherwise). It is journaled, so plain data only.
type ContactUpdate struct {
	Attrs  map[string]*string `json:"attrs,omitempty"`
	Fields map[string]any     `json:"fields,omitempty"`
	// Lifecycle, when set, is applied after the attributes ("" clears).
	Lifecycle *string `json:"lifecycle,omitempty"`
}

// Empty reports whether the update changes nothing.
func (u ContactUpdate) Empty() bool {
	return len(u.Attrs) == 0 && len(u.Fields) == 0 && u.Lifecycle == nil
}

// FieldText renders a custom-field value the way ContactDetails holds it.
func FieldText(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case float64:
		return strings.TrimSuffix(strings.TrimRight(fmt.Sprintf("%f", x), "0"), ".")
	case bool:
		return fmt.Sprint(x)
	}
	return fmt.Sprint(v)
}

// Diff lists what u would change on c: "email: a@x.com → b@x.com", "plan: (none) → Pro".
func (u ContactUpdate) Diff(c ContactDetails) []string {
	var out []string
	show := func(s string) string {
		if s == "" {
			return "(none)"
		}
		return s
	}
	keys := make([]string, 0, len(u.Attrs))
	for k := range u.Attrs {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		next := ""
		if v := u.Attrs[k]; v != nil {
			next = *v
		}
		if cur := c.Attrs[k]; !strings.EqualFold(cur, next) || (k != "email" && cur != next) {
			out = append(out, fmt.Sprintf("%s: %s → %s", k, show(cur), show(next)))
		}
	}
	keys = keys[:0]
	for k := range u.Fields {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		next := FieldText(u.Fields[k])
		if cur := c.Fields[k]; cur != next {
			out = append(out, fmt.Sprintf("%s: %s → %s", k, show(cur), show(next)))
		}
	}
	if u.Lifecycle != nil && !strings.EqualFold(*u.Lifecycle, c.Lifecycle) {
		out = append(out, fmt.Sprintf("lifecycle: %s → %s", show(c.Lifecycle), show(*u.Lifecycle)))
	}
	return out
}

func detailsPlatform(p Platform, verb string) (DetailsPlatform, error) {
	dp, ok := p.(DetailsPlatform)
	if !ok {
		return nil, fmt.Errorf("%s: this platform cannot change contact details", verb)
	}
	return dp, nil
}

func buildDetails(p Platform, s Spec) (bulk.Action, error) {
	dp, err := detailsPlatform(p, s.Verb)
	if err != nil {
		return nil, err
	}
	switch s.Verb {
	case VerbTag, VerbUntag:
		if len(s.Tags) == 0 {
			return nil, fmt.Errorf("%s: no tags", s.Verb)
		}
		return &tagAction{p: dp, verb: s.Verb, tags: s.Tags}, nil
	case VerbLifecycle:
		return &lifecycleAction{p: dp, stage: s.Lifecycle}, nil
	case VerbUpdate:
		if s.Update == nil || s.Update.Empty() {
			return nil, fmt.Errorf("update: nothing to change")
		}
		return &updateAction{p: dp, u: *s.Update}, nil
	case VerbDelete:
		return &deleteAction{p: dp}, nil
	case VerbUpsert:
		return &upsertAction{p: dp}, nil
	}
	return nil, fmt.Errorf("unknown action %q", s.Verb)
}

// tagAction adds or removes tags. Idempotent: a tag the contact has is not added twice, so a
// retry after a reset that followed the change settles the item as done, not failed.
type tagAction struct {
	p    DetailsPlatform
	verb string
	tags []string
}

func (a *tagAction) Name() string     { return a.verb }
func (a *tagAction) Idempotent() bool { return true }

func hasTag(tags []string, t string) bool {
	for _, x := range tags {
		if strings.EqualFold(x, t) {
			return true
		}
	}
	return false
}

func (a *tagAction) Check(ctx context.Context, t bulk.Target) (bool, string, error) {
	c, err := a.p.ContactDetails(ctx, t.ID)
	if err != nil {
		return false, "", err
	}
	var todo []string
	for _, tag := range a.tags {
		if hasTag(c.Tags, tag) == (a.verb == VerbTag) {
			continue
		}
		todo = append(todo, tag)
	}
	if len(todo) == 0 {
		if a.verb == VerbTag {
			return true, "already tagged " + strings.Join(a.tags, ", "), nil
		}
		return true, "not tagged " + strings.Join(a.tags, ", "), nil
	}
	return false, a.verb + " " + strings.Join(todo, ", "), nil
}

func (a *tagAction) Apply(ctx context.Context, t bulk.Target) bulk.Result {
	var err error
	if a.verb == VerbTag {
		err = a.p.AddTags(ctx, t.ID, a.tags)
	} else {
		err = a.p.RemoveTags(ctx, t.ID, a.tags)
	}
	if err != nil {
		return bulk.Result{Err: err}
	}
	return bulk.Result{Detail: a.verb + "ged " + strings.Join(a.tags, ", ")}
}

// lifecycleAction sets or ("" stage) clears the lifecycle stage. Idempotent.
type lifecycleAction struct {
	p     DetailsPlatform
	stage string
}

func (a *lifecycleAction) Name() string     { return VerbLifecycle }
func (a *lifecycleAction) Idempotent() bool { return true }

func (a *lifecycleAction) Check(ctx context.Context, t bulk.Target) (bool, string, error) {
	c, err := a.p.ContactDetails(ctx, t.ID)
	if err != nil {
		return false, "", err
	}
	switch {
	case a.stage == "" && c.Lifecycle == "":
		return true, "no lifecycle stage already", nil
	case a.stage == "":
		return false, "clear the lifecycle stage (" + c.Lifecycle + ")", nil
	case strings.EqualFold(c.Lifecycle, a.stage):
		return true, "already " + c.Lifecycle, nil
	case c.Lifecycle == "":
		return false, "set the lifecycle stage to " + a.stage, nil
	}
	return false, "move from " + c.Lifecycle + " to " + a.stage, nil
}

func (a *lifecycleAction) Apply(ctx context.Context, t bulk.Target) bulk.Result {
	if err := a.p.SetLifecycle(ctx, t.ID, a.stage); err != nil {
		if a.stage != "" && a.p.IsStageUnknown(err) {
			err = &stopRunError{err: err}
		}
		return bulk.Result{Err: err}
	}
	if a.stage == "" {
		return bulk.Result{Detail: "lifecycle stage cleared"}
	}
	return bulk.Result{Detail: "lifecycle stage set to " + a.stage}
}

// updateAction applies the same attribute and custom-field change to every target. Idempotent.
type updateAction struct {
	p DetailsPlatform
	u ContactUpdate
}

func (a *updateAction) Name() string     { return VerbUpdate }
func (a *updateAction) Idempotent() bool { return true }

func (a *updateAction) Check(ctx context.Context, t bulk.Target) (bool, string, error) {
	c, err := a.p.ContactDetails(ctx, t.ID)
	if err != nil {
		return false, "", err
	}
	d := a.u.Diff(c)
	if len(d) == 0 {
		return true, "already up to date", nil
	}
	return false, "change " + strings.Join(d, "; "), nil
}

func (a *updateAction) Apply(ctx context.Context, t bulk.Target) bulk.Result {
	return applyUpdate(ctx, a.p, t.ID, a.u)
}

func applyUpdate(ctx context.Context, p DetailsPlatform, id string, u ContactUpdate) bulk.Result {
	changed := u.names()
	if len(u.Attrs) > 0 || len(u.Fields) > 0 {
		if err := p.UpdateContact(ctx, id, u); err != nil {
			return bulk.Result{Err: err}
		}
	}
	if u.Lifecycle != nil {
		if err := p.SetLifecycle(ctx, id, *u.Lifecycle); err != nil {
			return bulk.Result{Err: err}
		}
	}
	return bulk.Result{Detail: "updated " + strings.Join(changed, ", ")}
}

// names lists what the update sets, sorted.
func (u ContactUpdate) names() []string {
	var out []string
	for k := range u.Attrs {
		out = append(out, k)
	}
	for k := range u.Fields {
		out = append(out, k)
	}
	sort.Strings(out)
	if u.Lifecycle != nil {
		out = append(out, "lifecycle")
	}
	return out
}

// deleteAction removes contacts. Idempotent: a retry that finds the contact gone is settled
// as skipped ("not found"), never as a second delete.
type deleteAction struct{ p DetailsPlatform }

func (a *deleteAction) Name() string     { return VerbDelete }
func (a *deleteAction) Idempotent() bool { return true }

func (a *deleteAction) Check(ctx context.Context, t bulk.Target) (bool, string, error) {
	c, err := a.p.ContactDetails(ctx, t.ID)
	if err != nil {
		return false, "", err
	}
	return false, "delete " + label(c), nil
}

func label(c ContactDetails) string {
	if c.Name == "" {
		return fmt.Sprintf("contact %d", c.ID)
	}
	return fmt.Sprintf("%s (id %d)", c.Name, c.ID)
}

func (a *deleteAction) Apply(ctx context.Context, t bulk.Target) bulk.Result {
	if err := a.p.DeleteContact(ctx, t.ID); err != nil {
		if a.p.IsNotFound(err) {
			return bulk.Result{Outcome: bulk.OutcomeSkipped, Detail: "not found (deleted already, or never existed)"}
		}
		return bulk.Result{Err: err}
	}
	return bulk.Result{Detail: "deleted"}
}

// stopRunError is a refusal that every remaining item would get too (a lifecycle stage the
// workspace does not have: the API cannot list stages, so it is found on the first item).
type stopRunError struct{ err error }

func (e *stopRunError) Error() string { return e.err.Error() }
func (e *stopRunError) Unwrap() error { return e.err }

// StopsRun reports an error that dooms every remaining item of a run.
func StopsRun(err error) bool {
	var s *stopRunError
	return errors.As(err, &s)
}
