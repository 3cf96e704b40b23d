package bulk

import "reflect"

// Outcome is what happened to one target.
type Outcome string

const (
	OutcomeDone    Outcome = "done"    // the change was applied
	OutcomeSkipped Outcome = "skipped" // already in the desired state; nothing written
	OutcomeFailed  Outcome = "failed"  // definitely not applied (safe to retry)
	OutcomeUnknown Outcome = "unknown" // may or may not have been applied; never retried automatically
	// OutcomeWouldChange is reported by --dry-run for targets that a real run would change.
	OutcomeWouldChange Outcome = "would-change"
)

// Facts are the machine-readable facts of a result: journaled under "extra" and printed as
// the result record's JSON fields (docs/json.md). The zero value is "no facts".
type Facts struct {
	MessageID     int64  `json:"messageId,omitempty"`     // send: the message id
	ChannelID     int64  `json:"channelId,omitempty"`     // send: the channel used
	ChannelSource string `json:"channelSource,omitempty"` // send: its source (whatsapp…), for --wait
	AssigneeID    int64  `json:"assigneeId,omitempty"`    // assign: the user assigned
	SnoozedUntil  string `json:"snoozedUntil,omitempty"`  // snooze: its end (RFC 3339 UTC)
	Status        string `json:"status,omitempty"`        // send --wait: the status the wait ended on
	FailureReason string `json:"failureReason,omitempty"` // send --wait: why delivery failed

	ContactID int64 `json:"contactId,omitempty"` // contacts upsert: the contact created or updated

	// What a send --dry-run would send: the text, or the template and its parameters.
	Text           string   `json:"text,omitempty"`
	Template       string   `json:"template,omitempty"`
	Lang           string   `json:"lang,omitempty"`
	TemplateParams []string `json:"templateParams,omitempty"`
}

// IsZero reports whether there are no facts.
func (f Facts) IsZero() bool { return reflect.ValueOf(f).IsZero() }

// mapStrings passes every free-text fact through fn (a scrubber).
func (f Facts) mapStrings(fn func(string) string) Facts {
	f.SnoozedUntil, f.Status, f.FailureReason = fn(f.SnoozedUntil), fn(f.Status), fn(f.FailureReason)
	f.Text, f.Template, f.Lang = fn(f.Text), fn(f.Template), fn(f.Lang)
	if f.TemplateParams != nil {
		params := make([]string, len(f.TemplateParams))
		for i, p := range f.TemplateParams {
			params[i] = fn(p)
		}
		f.TemplateParams = params
	}
	return f
}

// Result is the outcome for one target, as handed to Options.OnResult and journaled.
type Result struct {
	Target  Target
	Outcome Outcome
	// Detail is the human line after the identifier: "assigned to Lee Wong",
	// "already assigned to Lee Wong", or the error text.
	Detail string
	Err    error
	// Extra carries the machine-readable facts worth keeping (the message id of a send…);
	// they are journaled, so a resume reports them too.
	Extra Facts
	// Earlier is set on results that were settled by a previous run and are only
	// being re-reported (a send whose outcome stayed unknown).
	Earlier bool
}
