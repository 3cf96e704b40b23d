package bulk

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

// Result is the outcome for one target, as handed to Options.OnResult and journaled.
type Result struct {
	Target  Target
	Outcome Outcome
	// Detail is the human line after the identifier: "assigned to Lee Wong",
	// "already assigned to Lee Wong", or the error text.
	Detail string
	Err    error
	// Extra carries machine-readable facts worth keeping, e.g. {"messageId": 88002}.
	// Values must be JSON-encodable; after a resume they come back as JSON types
	// (numbers as json.Number).
	Extra map[string]any
	// Earlier is set on results that were settled by a previous run and are only
	// being re-reported (a send whose outcome stayed unknown).
	Earlier bool
}
