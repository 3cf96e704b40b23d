package views

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/respondctl/respondctl/inbox"
	"github.com/respondctl/respondctl/output"
)

// watchChange is one JSON line of `views --watch` when piped: a view whose numbers changed.
type watchChange struct {
	Time   time.Time `json:"time"`
	Name   string    `json:"name"`
	Kind   string    `json:"kind"`
	Count  int       `json:"count"`
	Unread *int      `json:"unread"`
}

// watchRun refreshes until interrupted: in place on a terminal, one JSON line per changed
// view otherwise. With --alert it stops (exit 8) at the first crossing.
func watchRun(ctx context.Context, opts *ViewsOptions, sess *inbox.Session) error {
	now := time.Now
	if opts.Factory != nil && opts.Factory.Now != nil {
		now = opts.Factory.Now
	}
	tty := opts.IO.IsStdoutTTY()
	last := map[string]string{}
	linesDrawn := 0
	ticker := time.NewTicker(opts.Interval)
	defer ticker.Stop()
	for {
		counts, err := countAll(ctx, opts, sess)
		if err != nil {
			if ctx.Err() != nil {
				return ctx.Err() // Ctrl-C: exit 130, as the exit-code table says
			}
			return err
		}
		if err := alertViewsExist(opts, counts); err != nil {
			return err
		}
		if tty {
			var buf bytes.Buffer
			if err := renderTo(&buf, opts, counts, now(), !sess.HasCounts() && opts.mirror == nil); err != nil {
				return err
			}
			if linesDrawn > 0 {
				fmt.Fprintf(opts.IO.Out, "\x1b[%dA\x1b[J", linesDrawn)
			}
			linesDrawn = strings.Count(buf.String(), "\n")
			if _, err := opts.IO.Out.Write(buf.Bytes()); err != nil {
				return err
			}
		} else {
			enc := json.NewEncoder(opts.IO.Out)
			t := now().UTC().Truncate(time.Second)
			for _, c := range counts {
				if c.Err != nil {
					continue
				}
				key := fmt.Sprint(c.Count, "/", unreadText(c.Unread))
				if last[c.Name] == key {
					continue
				}
				last[c.Name] = key
				if err := enc.Encode(watchChange{Time: t, Name: c.Name, Kind: c.Kind, Count: c.Count, Unread: c.Unread}); err != nil {
					return err
				}
			}
		}
		if err := viewErrorsQuiet(opts, counts); err != nil {
			return err
		}
		if len(opts.Alerts) > 0 {
			if err := checkAlerts(opts, counts); err != nil {
				return err
			}
		}
		select {
		case <-ctx.Done():
			return ctx.Err() // Ctrl-C: exit 130, as the exit-code table says
		case <-ticker.C:
		}
	}
}

// renderTo draws the table (as on a terminal) with a timestamp line, into a buffer, so the
// next refresh knows how many lines to overwrite.
func renderTo(buf *bytes.Buffer, opts *ViewsOptions, counts []inbox.ViewCount, at time.Time, core bool) error {
	// The printer writes to the streams' Out: point it at the buffer for this frame.
	saved := opts.IO.Out
	opts.IO.Out = buf
	err := output.PrintList(opts.IO, opts.Output, output.Spec{Columns: viewColumns}, counts)
	opts.IO.Out = saved
	if err != nil {
		return err
	}
	if opts.Output.Loc != nil {
		at = at.In(opts.Output.Loc) // --tz
	}
	footer := "updated " + at.Format("15:04:05") + " — every " + opts.Interval.String() + ", Ctrl-C to stop"
	if core {
		footer += "\n" + coreFootnote
	}
	fmt.Fprintln(buf, opts.IO.ColorScheme().Gray(footer))
	return nil
}

// viewErrorsQuiet ends a watch only when every view failed (e.g. the server went away).
func viewErrorsQuiet(opts *ViewsOptions, counts []inbox.ViewCount) error {
	for _, c := range counts {
		if c.Err == nil {
			return nil
		}
	}
	return viewErrors(opts, counts)
}

func unreadText(u *int) string {
	if u == nil {
		return "?"
	}
	return fmt.Sprint(*u)
}
