package actions

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/respondctl/respondctl/bulk"
)

// Verbs, as bulk.Action names and journal header actions.
const (
	VerbSend     = "send"
	VerbAssign   = "assign"
	VerbUnassign = "unassign"
	VerbDone     = "done"
	VerbReopen   = "reopen"
	VerbPending  = "pending"
	VerbSnooze   = "snooze"
	VerbUnsnooze = "unsnooze"
	VerbComment  = "comment"
)

// Spec is everything needed to build (and, from a journal, rebuild) the action of a run. It is
// stored in the journal header so `--resume` repeats exactly the first run's intent.
type Spec struct {
	Verb string `json:"verb"`
	// To is the assignee for assign when targets carry no per-target plan (round robin, balance).
	To int64 `json:"to,omitempty"`
	// Done.
	Category string `json:"category,omitempty"`
	Summary  string `json:"summary,omitempty"`
	// IfNoNewIncoming skips (done) a conversation whose contact wrote after SnapshotAt.
	IfNoNewIncoming bool      `json:"ifNoNewIncoming,omitempty"`
	SnapshotAt      time.Time `json:"snapshotAt,omitzero"`
	// Snooze.
	SnoozeUntil time.Time `json:"snoozeUntil,omitzero"`
	// Comment.
	Text string `json:"text,omitempty"`
	// Send.
	Send *SendSpec `json:"send,omitempty"`
	// Tag and untag: the tag names (1–10).
	Tags []string `json:"tags,omitempty"`
	// Lifecycle: the stage ("" clears it).
	Lifecycle string `json:"lifecycle,omitempty"`
	// Update: the change applied to every contact.
	Update *ContactUpdate `json:"update,omitempty"`

	// Now is the clock for messaging-window checks (nil: time.Now). Not journaled.
	Now func() time.Time `json:"-"`
	// Clock writes moments in result texts for people, honouring --tz (nil: RFC 3339 UTC).
	// Not journaled.
	Clock func(time.Time) string `json:"-"`
}

// clock formats t for a result text.
func (s Spec) clock(t time.Time) string {
	if s.Clock != nil {
		return s.Clock(t)
	}
	return utc(t)
}

func (s Spec) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

// Params encodes the spec for bulk.JournalHeader.Params.
func (s Spec) Params() map[string]any {
	data, _ := json.Marshal(s) // plain fields only: cannot fail
	var m map[string]any
	_ = json.Unmarshal(data, &m)
	return m
}

// SpecFromParams decodes a journal header's Params.
func SpecFromParams(verb string, params map[string]any) (Spec, error) {
	data, err := json.Marshal(params)
	if err != nil {
		return Spec{}, fmt.Errorf("journal parameters: %w", err)
	}
	var s Spec
	if err := json.Unmarshal(data, &s); err != nil {
		return Spec{}, fmt.Errorf("journal parameters: %w", err)
	}
	if s.Verb == "" {
		s.Verb = verb
	}
	if s.Verb != verb {
		return Spec{}, fmt.Errorf("journal is for %q, not %q", s.Verb, verb)
	}
	return s, nil
}

// Build makes the bulk.Action of a spec. It reads what result lines need (the user list for
// assignee names, channels for send).
func Build(ctx context.Context, p Platform, s Spec) (bulk.Action, error) {
	switch s.Verb {
	case VerbAssign, VerbUnassign:
		return newAssignAction(ctx, p, s)
	case VerbDone, VerbReopen, VerbPending, VerbSnooze, VerbUnsnooze:
		return newStatusAction(p, s)
	case VerbComment:
		if s.Text == "" {
			return nil, fmt.Errorf("comment: empty text")
		}
		return &commentAction{p: p, text: s.Text}, nil
	case VerbSend:
		return newSendAction(ctx, p, s)
	case VerbTag, VerbUntag, VerbLifecycle, VerbUpdate, VerbDelete, VerbUpsert:
		return buildDetails(p, s)
	}
	return nil, fmt.Errorf("unknown action %q", s.Verb)
}

// RequiredExtension names the EXT capability a verb needs ("" for core verbs).
func RequiredExtension(verb string) string {
	switch verb {
	case VerbPending:
		return "pending"
	case VerbSnooze, VerbUnsnooze:
		return "snooze"
	}
	return ""
}

// ExtensionMissingError: the server does not serve an EXT capability a verb needs.
type ExtensionMissingError struct{ Verb, Extension string }

func (e *ExtensionMissingError) Error() string {
	return fmt.Sprintf("this server does not support %s (extension %q missing)", e.Verb, e.Extension)
}

// CheckCapabilities refuses verbs the server cannot do, before any change.
func CheckCapabilities(ctx context.Context, p Platform, verb string) error {
	ext := RequiredExtension(verb)
	if ext == "" {
		return nil
	}
	ok, err := p.HasExtension(ctx, ext)
	if err != nil {
		return err
	}
	if !ok {
		return &ExtensionMissingError{Verb: verb, Extension: ext}
	}
	return nil
}
