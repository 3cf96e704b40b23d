package actions

import (
	"context"
	"fmt"
	"github.com/respondctl/respondctl/apiclient"
	"strconv"

	"github.com/respondctl/respondctl/bulk"
)

// assignAction assigns each target to the planned user (Params["to"], a user id) or to the run's
// single assignee; for unassign the assignee is nobody. Idempotent: assigning twice is harmless.
type assignAction struct {
	p     Platform
	verb  string
	to    int64
	users map[int64]UserRef
}

func newAssignAction(ctx context.Context, p Platform, s Spec) (*assignAction, error) {
	a := &assignAction{p: p, verb: s.Verb, to: s.To, users: map[int64]UserRef{}}
	if s.Verb == VerbUnassign {
		a.to = 0
		return a, nil
	}
	users, err := p.Users(ctx)
	if err != nil {
		return nil, err
	}
	for _, u := range users {
		a.users[u.ID] = u
	}
	return a, nil
}

func (a *assignAction) Name() string     { return a.verb }
func (a *assignAction) Idempotent() bool { return true }

// assignee is the user id planned for t (0: unassign).
func (a *assignAction) assignee(t bulk.Target) (int64, error) {
	if a.verb == VerbUnassign {
		return 0, nil
	}
	if v := t.Param(bulk.AssigneeParam); v != "" {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return 0, fmt.Errorf("bad planned assignee %q", v)
		}
		return id, nil
	}
	if a.to == 0 {
		return 0, fmt.Errorf("no assignee planned")
	}
	return a.to, nil
}

func (a *assignAction) label(id int64) string {
	if u, ok := a.users[id]; ok {
		return u.Label()
	}
	return fmt.Sprintf("user %d", id)
}

func (a *assignAction) Check(ctx context.Context, t bulk.Target) (bool, string, error) {
	to, err := a.assignee(t)
	if err != nil {
		return false, "", err
	}
	c, err := a.p.Contact(ctx, t.ID)
	if err != nil {
		return false, "", err
	}
	if to == 0 {
		if c.Assignee == nil {
			return true, "already unassigned", nil
		}
		return false, "unassign (from " + c.Assignee.Label() + ")", nil
	}
	if c.Assignee != nil && c.Assignee.ID == to {
		return true, "already assigned to " + a.label(to), nil
	}
	return false, "assign to " + a.label(to), nil
}

func (a *assignAction) Apply(ctx context.Context, t bulk.Target) bulk.Result {
	to, err := a.assignee(t)
	if err != nil {
		return bulk.Result{Outcome: bulk.OutcomeFailed, Err: err}
	}
	if err := a.p.Assign(ctx, t.ID, to); err != nil {
		return bulk.Result{Err: err}
	}
	if to == 0 {
		return bulk.Result{Detail: "unassigned"}
	}
	return bulk.Result{Detail: "assigned to " + a.label(to), Extra: bulk.Facts{AssigneeID: to}}
}

// Planned gives a dry run's would-change result the assigneeId a real assignment reports
// (bulk.Planner); unassign reports none.
func (a *assignAction) Planned(t bulk.Target) bulk.Facts {
	to, err := a.assignee(t)
	if err != nil || to == 0 {
		return bulk.Facts{}
	}
	return bulk.Facts{AssigneeID: to}
}

// commentAction adds an internal note. Not idempotent: a repeated comment is a duplicate.
type commentAction struct {
	p    Platform
	text string
}

func (c *commentAction) Name() string     { return VerbComment }
func (c *commentAction) Idempotent() bool { return false }

// DefersCommit: like a send, a comment's start is journaled (bulk.Commit, through
// apiclient.WithBeforeSend) only once the comment endpoint's rate limiter has let the request
// go, so a comment still queued there is given up at the first Ctrl-C and left to --resume,
// never reported unknown.
func (c *commentAction) DefersCommit() bool { return true }

func (c *commentAction) Check(ctx context.Context, t bulk.Target) (bool, string, error) {
	if _, err := c.p.Contact(ctx, t.ID); err != nil {
		return false, "", err
	}
	return false, "add comment", nil
}

func (c *commentAction) Apply(ctx context.Context, t bulk.Target) bulk.Result {
	if err := c.p.Comment(apiclient.WithBeforeSend(ctx, func() error { return bulk.Commit(ctx) }), t.ID, c.text); err != nil {
		return bulk.Result{Err: err}
	}
	return bulk.Result{Detail: "comment added"}
}
