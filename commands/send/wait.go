package send

import (
	"context"
	"errors"
	"fmt"

	"github.com/respondctl/respondctl/actions"
	"github.com/respondctl/respondctl/bulk"
	"github.com/respondctl/respondctl/commands/bulkcmd"
	"github.com/respondctl/respondctl/output"
)

// afterSingleSend prints the message id of a one-contact send (table output; structured output
// prints the result record after this returns) and follows --wait, adding the status the wait
// ended on to the record (status, and failureReason when it failed).
func afterSingleSend(ctx context.Context, opts *SendOptions, p actions.Platform, r *bulk.Result) error {
	f := opts.Factory
	ios := f.IOStreams
	id := bulkcmd.NewResultRecord(*r).MessageID
	oo, err := f.OutputOptions()
	if err != nil {
		return err
	}
	if !oo.Structured() {
		fmt.Fprintln(ios.Out, id)
	}
	if opts.Wait == "" || id == 0 {
		return nil
	}
	source := r.Extra.ChannelSource
	st, err := actions.WaitForStatus(ctx, p, r.Target.ID, id, actions.WaitOptions{
		Want: opts.Wait, Timeout: opts.WaitTimeout, Source: source,
	})
	recordStatus(r, st, err)
	if err != nil {
		return err
	}
	note := st.Value
	if st.Value != opts.Wait && st.Value != "read" {
		note += " (" + source + " reports nothing further)"
	}
	fmt.Fprintf(ios.ErrOut, "message %d %s\n", id, output.SafeLine(note))
	return nil
}

// recordStatus adds the status a wait ended on to the result's facts. A timeout reports the
// last status seen; none seen adds nothing.
func recordStatus(r *bulk.Result, st actions.MessageStatus, err error) {
	if st.Value == "" {
		return
	}
	r.Extra.Status = st.Value
	var failed *actions.MessageFailedError
	if errors.As(err, &failed) && failed.Reason != "" {
		r.Extra.FailureReason = failed.Reason
	}
}
