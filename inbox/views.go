package inbox

import (
	"context"
	"errors"
	"fmt"

	"strconv"
	"strings"

	"github.com/respondctl/respondctl/apiclient"
	"github.com/respondctl/respondctl/config"
)

// View kinds, as in the "kind" field of `views -o json`.
const (
	ViewBuiltin   = "builtin"
	ViewWorkspace = "workspace"
	ViewProfile   = "profile"
)

// Built-in view names.
const (
	ViewAll        = "All"
	ViewMine       = "Mine"
	ViewUnassigned = "Unassigned"
)

// View is a resolved contact view: the request that lists (and, with EXT, counts) its
// contacts, plus what a core-only server needs to get the same answer.
type View struct {
	Name string
	Kind string
	// Request is sent to /contact/list and /contact/count on a server with extensions.
	Request apiclient.ContactListRequest
	core    coreQuery
	// unavailable is why the view cannot be counted (Mine when the current user is
	// unknown); ListViews keeps such a view so the others are still counted.
	unavailable error
}

// coreQuery is the view as a core-only server can evaluate it: the core conditions go to
// the server, the extension-only ones (unassigned, pending, snoozed…) are checked locally.
type coreQuery struct {
	Request     apiclient.ContactListRequest
	Local       []func(*apiclient.Contact) bool
	Unsupported string // why this view cannot be evaluated without extensions ("" = it can)
}

// CoreRequest is the request to page on a core-only server; MatchLocally must then be
// applied to each contact. err is set when the view needs extensions.
func (v View) CoreRequest() (apiclient.ContactListRequest, error) {
	if v.core.Unsupported != "" {
		return v.core.Request, fmt.Errorf("view %q %s", v.Name, v.core.Unsupported)
	}
	return v.core.Request, nil
}

// MatchLocally applies the conditions a core-only server cannot evaluate.
func (v View) MatchLocally(c *apiclient.Contact) bool {
	for _, f := range v.core.Local {
		if !f(c) {
			return false
		}
	}
	return true
}

// WorkspaceView is a custom view of the workspace (EXT GET /space/view/list).
// Assignee is "none", "any", a user id, or "" (no condition).
type WorkspaceView struct {
	ID       int64
	Name     string
	Filter   *apiclient.Filter
	Status   string
	Assignee string
}

// ViewSources is where views come from. Workspace and Me are called only when needed;
// either may be nil (no workspace views; no current user).
type ViewSources struct {
	Profile   []config.View
	Workspace func(ctx context.Context) ([]WorkspaceView, error)
	Me        func(ctx context.Context) (int64, error)
	// UserID resolves an assignee written as an email address or an id.
	UserID func(ctx context.Context, emailOrID string) (int64, error)
}

// UnknownViewError names a view that does not exist and lists the valid ones.
type UnknownViewError struct {
	Name  string
	Valid []string
}

func (e *UnknownViewError) Error() string {
	return fmt.Sprintf("view %q not found; valid views: %s", e.Name, strings.Join(e.Valid, ", "))
}

// BuiltinViewNames are the views every workspace has.
var BuiltinViewNames = []string{ViewAll, ViewMine, ViewUnassigned}

// ListViews returns the built-in views, then the profile's, then the workspace's.
func ListViews(ctx context.Context, src ViewSources) ([]View, error) {
	views := make([]View, 0, 3+len(src.Profile))
	for _, name := range BuiltinViewNames {
		v, err := builtinView(ctx, src, name)
		if err != nil {
			if ctx.Err() != nil {
				return nil, err
			}
			if inner := errors.Unwrap(err); inner != nil {
				err = inner // the view's name is printed beside it
			}
			v = View{Name: name, Kind: ViewBuiltin, unavailable: err}
		}
		views = append(views, v)
	}
	for _, pv := range src.Profile {
		v, err := profileView(ctx, src, pv)
		if err != nil {
			return nil, err
		}
		views = append(views, v)
	}
	if src.Workspace != nil {
		ws, err := src.Workspace(ctx)
		if err != nil {
			return nil, err
		}
		for _, w := range ws {
			v, err := workspaceView(ctx, src, w)
			if err != nil {
				return nil, err
			}
			views = append(views, v)
		}
	}
	return views, nil
}

// ResolveView finds a view by name (case-insensitive): built-in first, then the profile's,
// then the workspace's. A name that is both a profile view and a built-in or workspace view
// is an *AmbiguousViewError ("builtin:NAME" picks the built-in); "profile:NAME" or "workspace:NAME" picks one. Only the sources needed
// are consulted, so resolving "Unassigned" makes no request. An unknown name is an
// *UnknownViewError listing the valid names.
func ResolveView(ctx context.Context, src ViewSources, name string) (View, error) {
	kind, want := SplitViewKind(name)
	if kind == "" || kind == ViewBuiltin {
		for _, b := range BuiltinViewNames {
			if !strings.EqualFold(b, want) {
				continue
			}
			if kind == "" {
				for _, pv := range src.Profile {
					if strings.EqualFold(pv.Name, want) {
						return View{}, &AmbiguousViewError{Name: b, Kinds: []string{ViewBuiltin, ViewProfile}}
					}
				}
			}
			return builtinView(ctx, src, b)
		}
	}
	var profile *config.View
	if kind == "" || kind == ViewProfile {
		for i, pv := range src.Profile {
			if strings.EqualFold(pv.Name, want) {
				profile = &src.Profile[i]
				break
			}
		}
	}
	if profile != nil && kind == ViewProfile {
		return profileView(ctx, src, *profile)
	}
	var valid []string
	if kind == "" || kind == ViewBuiltin {
		valid = append(valid, BuiltinViewNames...)
	}
	if kind == "" || kind == ViewProfile {
		for _, pv := range src.Profile {
			valid = append(valid, pv.Name)
		}
	}
	if src.Workspace != nil && (kind == "" || kind == ViewWorkspace) {
		ws, err := src.Workspace(ctx)
		if err != nil {
			return View{}, err
		}
		for _, w := range ws {
			if strings.EqualFold(w.Name, want) {
				if profile != nil {
					return View{}, &AmbiguousViewError{Name: profile.Name, Kinds: []string{ViewProfile, ViewWorkspace}}
				}
				return workspaceView(ctx, src, w)
			}
		}
		for _, w := range ws {
			valid = append(valid, w.Name)
		}
	}
	if profile != nil {
		return profileView(ctx, src, *profile)
	}
	return View{}, &UnknownViewError{Name: name, Valid: valid}
}

func builtinView(ctx context.Context, src ViewSources, name string) (View, error) {
	s := viewSpec{status: apiclient.StatusOpen}
	switch name {
	case ViewMine:
		s.assignee = "me"
	case ViewUnassigned:
		s.assignee = "none"
	}
	return s.build(ctx, src, name, ViewBuiltin)
}

func profileView(ctx context.Context, src ViewSources, pv config.View) (View, error) {
	s := viewSpec{status: pv.Status, assignee: pv.Assignee, tags: pv.Tags, lifecycle: pv.Lifecycle, search: pv.Search}
	if pv.Filter != nil {
		s.filter = &apiclient.Filter{And: convertConditions(pv.Filter.And), Or: convertConditions(pv.Filter.Or)}
	}
	return s.build(ctx, src, pv.Name, ViewProfile)
}

func workspaceView(ctx context.Context, src ViewSources, w WorkspaceView) (View, error) {
	s := viewSpec{status: w.Status, assignee: w.Assignee, filter: w.Filter}
	return s.build(ctx, src, w.Name, ViewWorkspace)
}

func convertConditions(in []config.Condition) []apiclient.Condition {
	if in == nil {
		return nil
	}
	out := make([]apiclient.Condition, len(in))
	for i, c := range in {
		out[i] = apiclient.Condition{Category: c.Category, Field: c.Field, Operator: c.Operator, Value: c.Value}
	}
	return out
}

// viewSpec is the common shape of built-in, profile and workspace views.
type viewSpec struct {
	filter    *apiclient.Filter
	status    string // open|close|pending|snoozed|all|""
	assignee  string // me|none|any|EMAIL|ID|""
	tags      []string
	lifecycle string
	search    string
}

// part is one condition with, when it is extension-only, its local equivalent.
type part struct {
	cond  apiclient.Condition
	local func(*apiclient.Contact) bool // nil: core servers evaluate it
	needs string                        // non-empty: cannot be evaluated without extensions
}

func (s viewSpec) build(ctx context.Context, src ViewSources, name, kind string) (View, error) {
	// Errors name the view; the query of `contacts list` without --view is no view, so its
	// errors name the flag alone ("assignee \"ghost\": no user matches…").
	where := fmt.Sprintf("view %q: ", name)
	if name == contactsQueryName {
		where = ""
	}
	var parts []part
	var or bool
	if s.filter != nil {
		conds := s.filter.And
		if len(s.filter.Or) > 0 {
			conds, or = s.filter.Or, true
		}
		for _, c := range conds {
			parts = append(parts, classify(c))
		}
	}
	var shortcuts []part
	switch st := strings.ToLower(s.status); st {
	case "", "all":
	case apiclient.StatusOpen, apiclient.StatusClose, "closed":
		if st == "closed" {
			st = apiclient.StatusClose
		}
		shortcuts = append(shortcuts, part{cond: apiclient.FieldCondition("status", apiclient.OpIsEqualTo, st)})
	default:
		shortcuts = append(shortcuts, classify(apiclient.FieldCondition("status", apiclient.OpIsEqualTo, st)))
	}
	switch a := strings.TrimSpace(s.assignee); strings.ToLower(a) {
	case "":
	case "none":
		shortcuts = append(shortcuts, classify(apiclient.FieldCondition("assigneeUserId", apiclient.OpDoesNotExist, nil)))
	case "any":
		shortcuts = append(shortcuts, classify(apiclient.FieldCondition("assigneeUserId", apiclient.OpExists, nil)))
	case "me":
		if src.Me == nil {
			return View{}, fmt.Errorf("%sthe current user is unknown (set it: respondctl config set me EMAIL)", where)
		}
		id, err := src.Me(ctx)
		if err != nil {
			return View{}, fmt.Errorf("%sfinding the current user: %w", where, err)
		}
		shortcuts = append(shortcuts, assigneeIs(id))
	default:
		id, err := strconv.ParseInt(a, 10, 64)
		if err != nil {
			if src.UserID == nil {
				return View{}, fmt.Errorf("%scannot resolve assignee %q", where, a)
			}
			if id, err = src.UserID(ctx, a); err != nil {
				return View{}, fmt.Errorf("%sassignee %q: %w", where, a, err)
			}
		}
		shortcuts = append(shortcuts, assigneeIs(id))
	}
	if len(s.tags) > 0 {
		shortcuts = append(shortcuts, part{cond: apiclient.TagCondition(apiclient.OpHasAllOf, s.tags...)})
	}
	if s.lifecycle != "" {
		shortcuts = append(shortcuts, part{cond: apiclient.LifecycleCondition(apiclient.OpIsEqualTo, s.lifecycle)})
	}
	if or && len(shortcuts) > 0 {
		return View{}, fmt.Errorf("%san $or filter cannot be combined with status, assignee, tags or lifecycle", where)
	}
	parts = append(parts, shortcuts...)

	v := View{Name: name, Kind: kind}
	full := make([]apiclient.Condition, len(parts))
	var coreConds []apiclient.Condition
	for i, p := range parts {
		full[i] = p.cond
		switch {
		case p.needs != "":
			v.core.Unsupported = "needs the " + p.needs
		case p.local != nil:
			if or {
				v.core.Unsupported = "uses an $or filter that a core-only server cannot evaluate"
			}
			v.core.Local = append(v.core.Local, p.local)
		default:
			coreConds = append(coreConds, p.cond)
		}
	}
	v.Request = apiclient.ContactListRequest{Search: s.search, Filter: filterOf(full, or)}
	v.core.Request = apiclient.ContactListRequest{Search: s.search, Filter: filterOf(coreConds, or)}
	return v, nil
}

func filterOf(conds []apiclient.Condition, or bool) *apiclient.Filter {
	if len(conds) == 0 {
		return nil
	}
	if or {
		return &apiclient.Filter{Or: conds}
	}
	return &apiclient.Filter{And: conds}
}

func assigneeIs(id int64) part {
	return part{cond: apiclient.FieldCondition("assigneeUserId", apiclient.OpIsEqualTo, id)}
}

// classify marks the conditions that only servers with extensions understand.
func classify(c apiclient.Condition) part {
	p := part{cond: c}
	if c.Category != apiclient.CategoryContactField || c.Field == nil {
		return p
	}
	switch *c.Field {
	case "assigneeUserId":
		switch c.Operator {
		case apiclient.OpDoesNotExist:
			p.local = func(ct *apiclient.Contact) bool { return ct.Assignee == nil }
		case apiclient.OpExists:
			p.local = func(ct *apiclient.Contact) bool { return ct.Assignee != nil }
		}
	case "status":
		// A core server folds pending and snoozed into open: it cannot tell them apart.
		if v, _ := c.Value.(string); v == apiclient.StatusPending || v == apiclient.StatusSnoozed {
			p.needs = v + " extension"
		}
	case "unread":
		p.needs = "counts extension (unread)"
	}
	return p
}

// IsUnknownView reports whether err is an *UnknownViewError.
func IsUnknownView(err error) bool {
	var u *UnknownViewError
	return errors.As(err, &u)
}

// Shortcuts narrow a contact listing: the same keys as a profile view.
type Shortcuts struct {
	Status    string
	Assignee  string
	Tags      []string
	Lifecycle string
	Search    string
}

// contactsQueryName is the View.Name of ContactQuery's answer when no view is named.
const contactsQueryName = "contacts"

// ContactQuery is the view named viewName ("" = every contact) narrowed by the shortcuts.
func ContactQuery(ctx context.Context, src ViewSources, viewName string, s Shortcuts) (View, error) {
	spec := viewSpec{status: s.Status, assignee: s.Assignee, tags: s.Tags, lifecycle: s.Lifecycle, search: s.Search}
	name, kind := contactsQueryName, ViewProfile
	if viewName != "" {
		base, err := ResolveView(ctx, src, viewName)
		if err != nil {
			return View{}, err
		}
		spec.filter = base.Request.Filter
		if base.Request.Search != "" && spec.search == "" {
			spec.search = base.Request.Search
		}
		name, kind = base.Name, base.Kind
	}
	return spec.build(ctx, src, name, kind)
}
