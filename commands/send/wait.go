package send

import (
	"context"
	"fmt"

	"github.com/respondctl/respondctl/actions"
	"github.com/respondctl/respondctl/actions/bulkrun"
	"github.com/respondctl/respondctl/bulk"
	"github.com/respondctl/respondctl/output"
)

// afterSingleSend prints the message id of a one-contact send (table output; structured output
// already printed the result record) and follows --wait.
func afterSingleSend(ctx context.Context, opts *SendOptions, p actions.Platform, r bulk.Result) error {
	f := opts.Factory
	ios := f.IOStreams
	id := bulkrun.NewResultRecord(r).MessageID
	oo, err := f.OutputOptions()
	if err != nil {
		return err
	}
	if oo.Format == output.FormatTable && oo.JQ == "" && oo.Template == "" {
		fmt.Fprintln(ios.Out, id)
	}
	if opts.Wait == "" || id == 0 {
		return nil
	}
	source, _ := r.Extra["channelSource"].(string)
	st, err := actions.WaitForStatus(ctx, p, r.Target.ID, id, actions.WaitOptions{
		Want: opts.Wait, Timeout: opts.WaitTimeout, Source: source,
	})
	if err != nil {
		return err
	}
	note := st.Value
	if st.Value != opts.Wait && st.Value != "read" {
		note += " (" + source + " reports nothing further)"
	}
	fmt.Fprintf(ios.ErrOut, "message %d %s\n", id, note)
	return nil
}
