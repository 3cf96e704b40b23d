package actions

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/respondctl/respondctl/bulk"
)

// Upsert target parameters: "a.<attribute>" holds a standard attribute, "f.<field>" a custom
// field's value as JSON (so its type survives the journal).
const (
	UpsertAttrPrefix  = "a."
	UpsertFieldPrefix = "f."
	UpsertLifecycle   = "lifecycle"
)

// UpsertUpdate rebuilds a row's change from its target parameters.
func UpsertUpdate(t bulk.Target) (ContactUpdate, error) {
	u := ContactUpdate{Attrs: map[string]*string{}, Fields: map[string]any{}}
	for k, v := range t.Params {
		switch {
		case strings.HasPrefix(k, UpsertAttrPrefix):
			v := v
			u.Attrs[strings.TrimPrefix(k, UpsertAttrPrefix)] = &v
		case k == UpsertLifecycle:
			v := v
			u.Lifecycle = &v
		case strings.HasPrefix(k, UpsertFieldPrefix):
			var val any
			if err := json.Unmarshal([]byte(v), &val); err != nil {
				return u, fmt.Errorf("bad journaled value of %s", k)
			}
			u.Fields[strings.TrimPrefix(k, UpsertFieldPrefix)] = val
		}
	}
	return u, nil
}

// upsertAction creates or updates the contact each row's key (email: or phone:) names, with
// the row's values. Idempotent: create-or-update repeated updates the contact it created, so
// a resumed run never creates twice.
type upsertAction struct {
	p DetailsPlatform
}

func (a *upsertAction) Name() string     { return VerbUpsert }
func (a *upsertAction) Idempotent() bool { return true }

func (a *upsertAction) Check(ctx context.Context, t bulk.Target) (bool, string, error) {
	u, err := UpsertUpdate(t)
	if err != nil {
		return false, "", err
	}
	c, err := a.p.ContactDetails(ctx, t.ID)
	if err != nil {
		if a.p.IsNotFound(err) {
			return false, "create with " + strings.Join(u.assignments(), ", "), nil
		}
		return false, "", err
	}
	d := u.Diff(c)
	if len(d) == 0 {
		return true, fmt.Sprintf("contact %d already up to date", c.ID), nil
	}
	return false, fmt.Sprintf("update contact %d: %s", c.ID, strings.Join(d, "; ")), nil
}

// assignments lists "name=value" for a create's dry run.
func (u ContactUpdate) assignments() []string {
	var out []string
	for k, v := range u.Attrs {
		if v != nil {
			out = append(out, k+"="+*v)
		}
	}
	for k, v := range u.Fields {
		out = append(out, k+"="+FieldText(v))
	}
	if u.Lifecycle != nil {
		out = append(out, "lifecycle="+*u.Lifecycle)
	}
	sort.Strings(out)
	return out
}

func (a *upsertAction) Apply(ctx context.Context, t bulk.Target) bulk.Result {
	u, err := UpsertUpdate(t)
	if err != nil {
		return bulk.Result{Outcome: bulk.OutcomeFailed, Err: err}
	}
	id, err := a.p.CreateOrUpdate(ctx, t.ID, u)
	if err != nil {
		return bulk.Result{Err: err}
	}
	if u.Lifecycle != nil {
		if err := a.p.SetLifecycle(ctx, fmt.Sprintf("id:%d", id), *u.Lifecycle); err != nil {
			return bulk.Result{Err: err, Extra: bulk.Facts{ContactID: id}}
		}
	}
	return bulk.Result{Detail: fmt.Sprintf("upserted contact %d", id), Extra: bulk.Facts{ContactID: id}}
}
