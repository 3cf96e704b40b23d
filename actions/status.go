package actions

import (
	"context"
	"fmt"
	"time"

	"github.com/respondctl/respondctl/bulk"
)

// statusAction moves conversations between open, close (done), pending and snoozed. Idempotent:
// setting a status the conversation already has changes nothing.
type statusAction struct {
	p    Platform
	spec Spec
}

func newStatusAction(p Platform, s Spec) (*statusAction, error) {
	if s.Verb == VerbSnooze && s.SnoozeUntil.IsZero() {
		return nil, fmt.Errorf("snooze: no --until time")
	}
	if s.IfNoNewIncoming && s.SnapshotAt.IsZero() {
		return nil, fmt.Errorf("done --if-no-new-incoming: no snapshot time")
	}
	return &statusAction{p: p, spec: s}, nil
}

func (a *statusAction) Name() string     { return a.spec.Verb }
func (a *statusAction) Idempotent() bool { return true }

// change is the request this action sends.
func (a *statusAction) change() StatusChange {
	switch a.spec.Verb {
	case VerbDone:
		return StatusChange{Status: StatusClosed, Category: a.spec.Category, Summary: a.spec.Summary}
	case VerbPending:
		return StatusChange{Status: StatusPending}
	case VerbSnooze:
		return StatusChange{Status: statusSnooze, SnoozeUntil: a.spec.SnoozeUntil}
	}
	return StatusChange{Status: StatusOpen} // reopen, unsnooze
}

func utc(t time.Time) string { return t.UTC().Format(time.RFC3339) }

// already reports whether c is in the state this action produces, with the words to say so.
func (a *statusAction) already(c Contact) (bool, string) {
	switch a.spec.Verb {
	case VerbDone:
		return c.Status == StatusClosed, "already done"
	case VerbReopen:
		return c.Status == StatusOpen, "already open"
	case VerbPending:
		return c.Status == StatusPending, "already pending"
	case VerbSnooze:
		return c.Status == StatusSnoozed && c.SnoozedUntil.Equal(a.spec.SnoozeUntil),
			"already snoozed until " + a.spec.clock(a.spec.SnoozeUntil)
	case VerbUnsnooze:
		return c.Status != StatusSnoozed, "not snoozed (" + describeStatus(c.Status) + ")"
	}
	return false, ""
}

// intent says what the action is about to do (the dry-run line is "would "+intent) and done
// what it did (the result detail after success).
func (a *statusAction) intent() (intent, done string) {
	switch a.spec.Verb {
	case VerbDone:
		suffix := ""
		if a.spec.Category != "" {
			suffix = " (" + a.spec.Category + ")"
		}
		return "mark done" + suffix, "marked done" + suffix
	case VerbReopen:
		return "reopen", "reopened"
	case VerbPending:
		return "mark pending", "marked pending"
	case VerbSnooze:
		return "snooze until " + a.spec.clock(a.spec.SnoozeUntil), "snoozed until " + a.spec.clock(a.spec.SnoozeUntil)
	}
	return "unsnooze", "unsnoozed"
}

func describeStatus(s string) string {
	if s == StatusClosed {
		return "done"
	}
	return s
}

func (a *statusAction) Check(ctx context.Context, t bulk.Target) (bool, string, error) {
	c, err := a.p.Contact(ctx, t.ID)
	if err != nil {
		return false, "", err
	}
	if ok, words := a.already(c); ok {
		return true, words, nil
	}
	if skip, why, err := a.wroteAfterSnapshot(ctx, t); err != nil || skip {
		return skip, why, err
	}
	intent, _ := a.intent()
	return false, intent, nil
}

func (a *statusAction) Apply(ctx context.Context, t bulk.Target) bulk.Result {
	if a.spec.Verb == VerbUnsnooze {
		// "open" would also reopen a pending or closed conversation: unsnooze only the snoozed.
		c, err := a.p.Contact(ctx, t.ID)
		if err != nil {
			return bulk.Result{Err: err}
		}
		if ok, words := a.already(c); ok {
			return bulk.Result{Outcome: bulk.OutcomeSkipped, Detail: words}
		}
	}
	skip, why, err := a.wroteAfterSnapshot(ctx, t)
	if err != nil {
		return bulk.Result{Err: err}
	}
	if skip {
		return bulk.Result{Outcome: bulk.OutcomeSkipped, Detail: why}
	}
	if err := a.p.SetStatus(ctx, t.ID, a.change()); err != nil {
		return bulk.Result{Err: err}
	}
	_, done := a.intent()
	return bulk.Result{Detail: done, Extra: a.Planned(t)}
}

// Planned is the structured part of a snooze's result, the end of the snooze (RFC 3339
// UTC), for a real run and a dry run alike (bulk.Planner); other verbs report none.
func (a *statusAction) Planned(bulk.Target) bulk.Facts {
	if a.spec.Verb != VerbSnooze {
		return bulk.Facts{}
	}
	return bulk.Facts{SnoozedUntil: utc(a.spec.SnoozeUntil)}
}

// wroteAfterSnapshot implements done --if-no-new-incoming: a conversation whose contact wrote on
// any channel after the run's snapshot is left open, so a bulk close never buries a fresh reply.
// (A reply landing between this read and the close cannot be excluded; the window is one request.)
func (a *statusAction) wroteAfterSnapshot(ctx context.Context, t bulk.Target) (bool, string, error) {
	if a.spec.Verb != VerbDone || !a.spec.IfNoNewIncoming {
		return false, "", nil
	}
	chans, err := a.p.ContactChannels(ctx, t.ID)
	if err != nil {
		return false, "", err
	}
	var last time.Time
	for _, ch := range chans {
		if ch.LastIncoming.After(last) {
			last = ch.LastIncoming
		}
	}
	if last.After(a.spec.SnapshotAt) {
		return true, fmt.Sprintf("not done: the contact wrote at %s, after the snapshot (%s)", a.spec.clock(last), a.spec.clock(a.spec.SnapshotAt)), nil
	}
	return false, "", nil
}
