package actions

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/respondctl/respondctl/apiclient"
	"github.com/respondctl/respondctl/bulk"
	"github.com/respondctl/respondctl/window"

	"github.com/respondctl/respondctl/suggest"
)

// WindowClosedError refuses a free-form send outside the channel's messaging window.
type WindowClosedError struct {
	Channel ContactChannel
	State   window.State
	Now     time.Time
	// Clock writes the closing moment (nil: RFC 3339 UTC).
	Clock func(time.Time) string
}

func (e *WindowClosedError) Error() string {
	ch := fmt.Sprintf("%q (%s)", e.Channel.Name, e.Channel.Source)
	var when string
	if e.State.NeverOpened {
		when = fmt.Sprintf("the contact has never written on %s, so its %s messaging window is closed", ch, e.State.Rule)
	} else {
		when = fmt.Sprintf("the %s messaging window on %s closed %s (%s)", e.State.Rule, ch,
			window.Ago(e.Now.Sub(e.State.ClosedAt)), Spec{Clock: e.Clock}.clock(e.State.ClosedAt))
	}
	allowed := e.State.AllowedAfter()
	if e.Channel.Source == "instagram" {
		allowed = "nothing until the contact writes again"
	}
	return when + ": " + allowed + "; " + closedWindowAdvice(e.Channel.Source)
}

// ResolveChannel finds the workspace channel that --channel ID|NAME means (id, or name
// case-insensitively; an ambiguous name is an error listing the ids).
func ResolveChannel(channels []Channel, query string) (Channel, error) {
	q := strings.TrimSpace(query)
	if id, err := strconv.ParseInt(q, 10, 64); err == nil {
		for _, c := range channels {
			if c.ID == id {
				return c, nil
			}
		}
		return Channel{}, fmt.Errorf("no channel with id %d (see `respondctl channels list`)", id)
	}
	var found []Channel
	for _, c := range channels {
		if strings.EqualFold(c.Name, q) {
			found = append(found, c)
		}
	}
	switch len(found) {
	case 1:
		return found[0], nil
	case 0:
		var sugg []string
		for _, c := range suggest.ClosestBy(q, channels, channelKeys, maxSuggestions) {
			sugg = append(sugg, c.Name)
		}
		msg := fmt.Sprintf("no channel named %q", q)
		if len(sugg) > 0 {
			msg += "; did you mean " + quoteJoin(sugg, " or ") + "?"
		}
		return Channel{}, fmt.Errorf("%s", msg)
	}
	ids := make([]string, len(found))
	for i, c := range found {
		ids[i] = strconv.FormatInt(c.ID, 10)
	}
	return Channel{}, fmt.Errorf("%d channels are named %q; use an id: %s", len(found), q, strings.Join(ids, ", "))
}

func channelKeys(c Channel) []string { return []string{c.Name} }

// PickChannel chooses the contact channel a message goes out on: the requested one (channelID
// != 0), else the one the contact last used (latest message, then latest incoming).
func PickChannel(chans []ContactChannel, channelID int64, channelName string) (ContactChannel, error) {
	if channelID != 0 {
		for _, c := range chans {
			if c.ID == channelID {
				return c, nil
			}
		}
		return ContactChannel{}, fmt.Errorf("the contact is not reachable on channel %q (%d)", channelName, channelID)
	}
	if len(chans) == 0 {
		return ContactChannel{}, fmt.Errorf("the contact has no channel to send on")
	}
	best := chans[0]
	for _, c := range chans[1:] {
		if c.LastMessage.After(best.LastMessage) ||
			c.LastMessage.Equal(best.LastMessage) && c.LastIncoming.After(best.LastIncoming) {
			best = c
		}
	}
	return best, nil
}

// CheckWindow returns a *WindowClosedError when a free-form message may not go out on ch now.
func CheckWindow(ch ContactChannel, now time.Time) (window.State, error) {
	st := window.Evaluate(ch.Source, ch.LastIncoming, now)
	if !st.Open {
		return st, &WindowClosedError{Channel: ch, State: st, Now: now}
	}
	return st, nil
}

// sendAction sends one message per contact. Not idempotent: the engine never resends one whose
// outcome is unknown, and the journal records the start of every send before it goes out.
type sendAction struct {
	p    Platform
	spec Spec
	msg  map[string]any

	chanOnce  sync.Once // workspace channel names, for reconciled results
	chanNames map[int64]string
}

func newSendAction(_ context.Context, p Platform, s Spec) (*sendAction, error) {
	if s.Send == nil {
		return nil, fmt.Errorf("send: no message")
	}
	msg, err := s.Send.Message()
	if err != nil {
		return nil, err
	}
	return &sendAction{p: p, spec: s, msg: msg}, nil
}

func (a *sendAction) Name() string     { return VerbSend }
func (a *sendAction) Idempotent() bool { return false }

// DefersCommit: Apply reads the contact's channels first, and bulk.Commit runs (through
// apiclient.WithBeforeSend) only once the message request is about to be written, so a crash
// during the reads or while waiting for the rate limiter leaves the contact to --resume, not
// unknown.
func (a *sendAction) DefersCommit() bool { return true }

// prepare picks the channel and checks the window: everything short of sending.
func (a *sendAction) prepare(ctx context.Context, ident string) (ContactChannel, window.State, error) {
	chans, err := a.p.ContactChannels(ctx, ident)
	if err != nil {
		return ContactChannel{}, window.State{}, err
	}
	ch, err := PickChannel(chans, a.spec.Send.ChannelID, a.spec.Send.ChannelName)
	if err != nil {
		return ch, window.State{}, err
	}
	if err := CheckChannelKind(a.spec.Send, ch); err != nil {
		return ch, window.State{}, err
	}
	now := a.spec.now()
	st, err := CheckWindow(ch, now)
	var wc *WindowClosedError
	if errors.As(err, &wc) {
		wc.Clock = a.spec.Clock
	}
	if err != nil && a.spec.Send.FreeForm() && !a.spec.Send.Force && a.spec.Send.MessageTag == "" {
		return ch, st, err
	}
	return ch, st, nil
}

func (a *sendAction) Check(ctx context.Context, t bulk.Target) (bool, string, error) {
	ch, st, err := a.prepare(ctx, t.ID)
	if err != nil {
		return false, "", err
	}
	change := fmt.Sprintf("send %s on %s", a.spec.Send.Preview(), ch.Name)
	if st.HasWindow {
		change += " (window " + st.Describe(a.spec.now()) + ")"
	}
	return false, change, nil
}

// Planned gives a dry run's would-change result the message it would send (bulk.Planner):
// the text, or the template with its language and parameters.
func (a *sendAction) Planned(bulk.Target) bulk.Facts {
	s := a.spec.Send
	out := bulk.Facts{Text: s.Text}
	if s.Template != "" {
		out.Template, out.Lang = s.Template, s.Lang
		if len(s.TemplateParams) > 0 {
			out.TemplateParams = append([]string(nil), s.TemplateParams...)
		}
	}
	return out
}

var _ bulk.Planner = (*sendAction)(nil)

func (a *sendAction) Apply(ctx context.Context, t bulk.Target) bulk.Result {
	ch, _, err := a.prepare(ctx, t.ID)
	if err != nil {
		// Nothing was sent: a definite failure, safe to retry on resume.
		return bulk.Result{Outcome: bulk.OutcomeFailed, Err: err}
	}
	// The point of no return is not here but where the request is written: after the message
	// endpoint's rate limiter let it go. A send still queued there when the process dies has
	// not left, so it must not be journaled as started (resume would call it unknown).
	sendCtx := apiclient.WithBeforeSend(ctx, func() error { return bulk.Commit(ctx) })
	id, err := a.p.Send(sendCtx, t.ID, ch.ID, a.msg)
	if err != nil {
		// Classified: unknown when the request may have gone through; a failed Commit (the
		// start could not be journaled) stopped it before it was written.
		return bulk.Result{Err: err}
	}
	return bulk.Result{
		Detail: fmt.Sprintf("sent message %d on %s", id, ch.Name),
		Extra:  bulk.Facts{MessageID: id, ChannelID: ch.ID, ChannelSource: ch.Source},
	}
}
