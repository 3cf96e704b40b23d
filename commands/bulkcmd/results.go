package bulkcmd

import (
	"fmt"
	"io"
	"sync"

	"github.com/respondctl/respondctl/bulk"
	"github.com/respondctl/respondctl/commands/cmdutil"
	"github.com/respondctl/respondctl/output"
)

// ResultRecord is one item's outcome as printed by -o json|jsonl|yaml, --jq and --template:
// [{"identifier":"id:123","outcome":"done","detail":"assigned to Lee Wong","assigneeId":7}].
type ResultRecord struct {
	Identifier string `json:"identifier"`
	Outcome    string `json:"outcome"` // done | skipped | failed | unknown | would-change
	Detail     string `json:"detail"`
	MessageID  int64  `json:"messageId,omitempty"`
	ChannelID  int64  `json:"channelId,omitempty"`
	// Status and FailureReason: send --wait, the delivery status the wait ended on.
	Status        string `json:"status,omitempty"`
	FailureReason string `json:"failureReason,omitempty"`
	AssigneeID    int64  `json:"assigneeId,omitempty"`
	// SnoozedUntil: snooze, the end of the snooze (RFC 3339 UTC).
	SnoozedUntil string `json:"snoozedUntil,omitempty"`
	// ContactID: upsert, the contact created or updated.
	ContactID int64 `json:"contactId,omitempty"`
	// Earlier marks an outcome settled by an earlier run and only reported again (resume).
	Earlier bool `json:"earlier,omitempty"`
	// Text, Template, Lang, TemplateParams: send --dry-run, the message it would send.
	Text           string   `json:"text,omitempty"`
	Template       string   `json:"template,omitempty"`
	Lang           string   `json:"lang,omitempty"`
	TemplateParams []string `json:"templateParams,omitempty"`
}

// NewResultRecord converts an engine result.
func NewResultRecord(r bulk.Result) ResultRecord {
	return ResultRecord{
		Identifier: r.Target.ID,
		Outcome:    string(r.Outcome),
		Detail:     r.Detail,
		MessageID:  r.Extra.MessageID,
		ChannelID:  r.Extra.ChannelID,
		AssigneeID: r.Extra.AssigneeID,
		Earlier:    r.Earlier,

		Status:        r.Extra.Status,
		FailureReason: r.Extra.FailureReason,
		SnoozedUntil:  r.Extra.SnoozedUntil,

		ContactID:      r.Extra.ContactID,
		Text:           r.Extra.Text,
		Template:       r.Extra.Template,
		Lang:           r.Extra.Lang,
		TemplateParams: r.Extra.TemplateParams,
	}
}

// Line is the human result line: "id:123 assigned to Lee Wong", "id:9 failed: contact id:9 not found".
func Line(r bulk.Result) string {
	// Identifiers come from the user's input, details from the server: both
	// may carry controls, and this is one line for a person.
	switch r.Outcome {
	case bulk.OutcomeFailed, bulk.OutcomeUnknown:
		return output.SafeLine(fmt.Sprintf("%s %s: %s", r.Target.ID, r.Outcome, r.Detail))
	}
	return output.SafeLine(r.Target.ID + " " + r.Detail)
}

// resultSink prints each result as it settles: human lines (successes on stdout, failures on
// stderr) in table mode, records through the output printer otherwise (failures also on stderr).
type resultSink struct {
	mu      sync.Mutex
	out     io.Writer // stdout, wrapped for the progress bar
	errOut  io.Writer // stderr, wrapped for the progress bar
	printer output.RecordPrinter
	single  bool // a run of one in table mode: the command prints the outcome itself
	// hold keeps a single run's record unprinted until close, so a follow-up (send --wait)
	// can add to it first.
	hold bool
	held bool
	last bulk.Result
	err  error
}

func (s *resultSink) handle(r bulk.Result) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.last = r
	failed := r.Outcome == bulk.OutcomeFailed || r.Outcome == bulk.OutcomeUnknown
	if s.printer != nil {
		if s.hold {
			s.held = true
			return // failures of a single run are the command's error, not a stderr line
		}
		if err := s.printer.Write(NewResultRecord(r)); err != nil && s.err == nil {
			s.err = err
		}
		if failed && !s.single {
			fmt.Fprintln(s.errOut, Line(r))
		}
		return
	}
	switch {
	case s.single:
		// The command reports a single item's outcome (its error, or its own success line).
	case failed:
		fmt.Fprintln(s.errOut, Line(r))
	default:
		fmt.Fprintln(s.out, Line(r))
	}
}

func (s *resultSink) close() error {
	if s.printer != nil {
		if s.held {
			if err := s.printer.Write(NewResultRecord(s.last)); err != nil && s.err == nil {
				s.err = err
			}
			s.held = false
		}
		if err := s.printer.Close(); err != nil && s.err == nil {
			s.err = err
		}
	}
	return s.err
}

// PrintOne prints the result of a command that acts on one contact outside the bulk engine
// (contacts create, merge): its human line (made safe: names come from the server) in table
// mode, otherwise a one-record list in the requested format.
func PrintOne(f *cmdutil.Factory, oo output.Options, rec ResultRecord) error {
	if !oo.Structured() {
		_, err := fmt.Fprintln(f.IOStreams.Out, output.SafeLine(rec.Identifier+" "+rec.Detail))
		return err
	}
	return output.PrintList(f.IOStreams, oo, output.Spec{}, []ResultRecord{rec})
}
