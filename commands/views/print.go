package views

import (
	"fmt"
	"strconv"
	"sync"
	"time"

	"github.com/respondctl/respondctl/inbox"
	"github.com/respondctl/respondctl/output"
)

// coreFootnote explains the unknown unread counts of a core-only server.
const coreFootnote = "unread: unknown — this server has no counts extension; contacts were counted by paging the contact list"

var viewColumns = []output.Column{
	output.Col("view", func(c inbox.ViewCount) output.Cell { return output.Text(c.Name) }),
	output.Col("contacts", func(c inbox.ViewCount) output.Cell {
		if c.Err != nil {
			return output.Cell{Text: "error", Color: "red"}
		}
		return output.Text(strconv.Itoa(c.Count))
	}),
	output.Col("unread", func(c inbox.ViewCount) output.Cell {
		if c.Err == nil && c.Unread == nil && c.AwaitingReply != nil {
			return output.Text(strconv.Itoa(*c.AwaitingReply) + " awaiting")
		}
		if c.Err != nil || c.Unread == nil {
			return output.Text("?")
		}
		return output.Text(strconv.Itoa(*c.Unread))
	}),
	output.Col("indicator", indicatorCell),
	wide(output.Col("kind", func(c inbox.ViewCount) output.Cell { return output.Text(c.Kind) })),
}

func wide(c output.Column) output.Column {
	c.Wide = true
	return c
}

// indicatorCell is a red or blue dot on a colour terminal, the colour's name otherwise.
func indicatorCell(c inbox.ViewCount) output.Cell {
	switch ind := c.Indicator(); ind {
	case "":
		return output.Text("-")
	default:
		return output.Cell{Text: ind, Color: ind, Dot: true}
	}
}

func printCounts(opts *ViewsOptions, counts []inbox.ViewCount, core bool) error {
	if err := output.PrintList(opts.IO, opts.Output, output.Spec{Columns: viewColumns}, counts); err != nil {
		return err
	}
	if core && !opts.Output.Structured() {
		fmt.Fprintln(opts.IO.ErrOut, coreFootnote)
	}
	return nil
}

// pagingProgress tells a person on a terminal that core counting is paging, once it has
// taken more than a second. Nothing is written when stderr is not a terminal.
type pagingProgress struct {
	ios     *output.IOStreams
	start   time.Time
	mu      sync.Mutex
	shown   bool
	enabled bool
}

func newPagingProgress(ios *output.IOStreams, sess *inbox.Session) *pagingProgress {
	return &pagingProgress{ios: ios, start: time.Now(), enabled: ios.IsStderrTTY() && !sess.HasCounts()}
}

func (p *pagingProgress) update(scanned int64) {
	if !p.enabled {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if time.Since(p.start) < time.Second {
		return
	}
	p.shown = true
	fmt.Fprintf(p.ios.ErrOut, "\rcounting contacts by paging the contact list… %d", scanned)
}

func (p *pagingProgress) done() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.shown {
		fmt.Fprint(p.ios.ErrOut, "\r\x1b[K")
	}
}
