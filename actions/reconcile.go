package actions

import (
	"context"
	"encoding/json"
	"fmt"
	"reflect"
	"time"

	"github.com/respondctl/respondctl/apiclient"
	"github.com/respondctl/respondctl/bulk"
)

// MessageReader is the optional part of a Platform that reads a conversation back, for
// reconciling sends whose outcome is unknown (see bulk.Reconciler).
type MessageReader interface {
	// OutgoingSince lists the contact's outgoing messages created at or after since, newest
	// first, looking at no more than max messages; complete is false when it stopped before
	// reaching a message older than since. A message without a time has a zero Time.
	OutgoingSince(ctx context.Context, ident string, since time.Time, max int) (msgs []SentMessage, complete bool, err error)
}

// SentMessage is an outgoing message as read back.
type SentMessage struct {
	ID        int64
	ChannelID int64
	Body      json.RawMessage
	Time      time.Time
}

// clockSkew widens the reconciliation window below the journaled start: the start is the
// client's clock, a message's time the platform's.
const clockSkew = 5 * time.Second

// maxReconcileMessages bounds how far back a reconciliation reads one conversation.
const maxReconcileMessages = 200

// Reconcile decides whether a send whose outcome is unknown reached the platform: the
// contact's newest outgoing messages are read back from the journaled start (less clockSkew).
//   - a message of the same type and content → applied, with its id (when several identical
//     messages were sent in that window, by this run or by anyone, it counts as applied: the
//     rule never sends a duplicate, and may in that rare case take another's message for ours);
//   - none, having read back past the start → absent: the engine sends it again;
//   - a matching message without a time, too many messages to read back, or a read that
//     fails → undecided: it stays unknown, with that reason.
func (a *sendAction) Reconcile(ctx context.Context, t bulk.Target, since time.Time) bulk.Reconciliation {
	mr, ok := a.p.(MessageReader)
	if !ok {
		return bulk.Reconciliation{Reason: "messages cannot be read back here"}
	}
	msgs, complete, err := mr.OutgoingSince(ctx, t.ID, since.Add(-clockSkew), maxReconcileMessages)
	if err != nil {
		return bulk.Reconciliation{Reason: "reading the contact's messages failed: " + err.Error()}
	}
	var matches []SentMessage
	for _, m := range msgs {
		if a.spec.Send.ChannelID != 0 && m.ChannelID != a.spec.Send.ChannelID {
			continue
		}
		if sameMessage(a.msg, m.Body) {
			if m.Time.IsZero() {
				return bulk.Reconciliation{Reason: fmt.Sprintf("message %d has the same content but no time to place it", m.ID)}
			}
			matches = append(matches, m)
		}
	}
	switch {
	case len(matches) > 0:
		m := matches[len(matches)-1] // the oldest in the window: the first that could be ours
		detail := fmt.Sprintf("sent message %d on %s", m.ID, a.channelName(ctx, m.ChannelID))
		if len(matches) > 1 {
			detail += fmt.Sprintf(" (%d identical messages since the send)", len(matches))
		}
		return bulk.Reconciliation{Verdict: bulk.Applied, Detail: detail,
			Extra: bulk.Facts{MessageID: m.ID, ChannelID: m.ChannelID}}
	case !complete:
		return bulk.Reconciliation{Reason: fmt.Sprintf("more than %d messages since the send: could not read back far enough", maxReconcileMessages)}
	}
	return bulk.Reconciliation{Verdict: bulk.Absent}
}

// channelName names a workspace channel for a result line (read once per run; "channel N"
// when it cannot be read).
func (a *sendAction) channelName(ctx context.Context, id int64) string {
	a.chanOnce.Do(func() {
		if chans, err := a.p.Channels(ctx); err == nil {
			a.chanNames = make(map[int64]string, len(chans))
			for _, c := range chans {
				a.chanNames[c.ID] = c.Name
			}
		}
	})
	if name := a.chanNames[id]; name != "" {
		return name
	}
	return fmt.Sprintf("channel %d", id)
}

// sameMessage: every field of the message sent is in the message read back, with the same
// value (the platform may add fields of its own).
func sameMessage(sent map[string]any, got json.RawMessage) bool {
	var g any
	if err := json.Unmarshal(got, &g); err != nil {
		return false
	}
	data, err := json.Marshal(sent)
	if err != nil {
		return false
	}
	var s any
	if err := json.Unmarshal(data, &s); err != nil {
		return false
	}
	return contains(s, g)
}

func contains(want, got any) bool {
	switch w := want.(type) {
	case map[string]any:
		g, ok := got.(map[string]any)
		if !ok {
			return false
		}
		for k, v := range w {
			if !contains(v, g[k]) {
				return false
			}
		}
		return true
	case []any:
		g, ok := got.([]any)
		if !ok || len(g) != len(w) {
			return false
		}
		for i := range w {
			if !contains(w[i], g[i]) {
				return false
			}
		}
		return true
	}
	return reflect.DeepEqual(want, got)
}

// OutgoingSince implements MessageReader over GET /contact/{id}/message/list (newest first).
func (p *ClientPlatform) OutgoingSince(ctx context.Context, id string, since time.Time, max int) ([]SentMessage, bool, error) {
	it := p.c.IterateMessages(ident(id), 0, 50)
	var out []SentMessage
	for n := 0; it.Next(ctx); n++ {
		if n >= max {
			return out, false, nil
		}
		m := it.Item()
		if m.Traffic != apiclient.TrafficOutgoing {
			continue
		}
		at := messageTime(m)
		if !at.IsZero() && at.Before(since) {
			return out, true, nil // older messages follow
		}
		out = append(out, SentMessage{ID: m.MessageID, ChannelID: m.ChannelID, Body: m.Message.Raw, Time: at})
	}
	if err := it.Err(); err != nil {
		return out, false, err
	}
	return out, true, nil
}

// messageTime is an outgoing message's creation time: the EXT timestamp, else its first
// status (zero when it has neither).
func messageTime(m apiclient.Message) time.Time {
	if m.Timestamp != nil && *m.Timestamp > 0 {
		return time.Unix(*m.Timestamp, 0).UTC()
	}
	if len(m.Status) > 0 && m.Status[0].Timestamp > 0 {
		return time.Unix(m.Status[0].Timestamp, 0).UTC()
	}
	return time.Time{}
}
