package actions

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/respondctl/respondctl/bulk"
)

// readBack is a platform whose conversations can be read back (MessageReader).
type readBack struct {
	*fakePlatform
	msgs     []SentMessage
	complete bool
	err      error
}

func (r *readBack) OutgoingSince(_ context.Context, _ string, since time.Time, _ int) ([]SentMessage, bool, error) {
	var out []SentMessage
	for _, m := range r.msgs {
		if m.Time.IsZero() || !m.Time.Before(since) {
			out = append(out, m)
		}
	}
	return out, r.complete, r.err
}

func TestSendReconcileRule(t *testing.T) {
	start := time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)
	ours := json.RawMessage(`{"type":"text","text":"Closed tomorrow","extra":"added by the platform"}`)
	other := json.RawMessage(`{"type":"text","text":"Closed on Monday"}`)
	cases := []struct {
		name     string
		msgs     []SentMessage
		complete bool
		err      error
		want     bulk.Verdict
		detail   string
	}{
		{"found after the start", []SentMessage{{ID: 9, ChannelID: 31, Body: ours, Time: start.Add(time.Second)}}, true, nil, bulk.Applied, "sent message 9 on Support WhatsApp"},
		{"found within the clock skew", []SentMessage{{ID: 9, ChannelID: 31, Body: ours, Time: start.Add(-3 * time.Second)}}, true, nil, bulk.Applied, "sent message 9"},
		{"only older identical", []SentMessage{{ID: 8, Body: ours, Time: start.Add(-time.Hour)}}, true, nil, bulk.Absent, ""},
		{"only other texts", []SentMessage{{ID: 10, Body: other, Time: start.Add(time.Second)}}, true, nil, bulk.Absent, ""},
		{"two identical", []SentMessage{{ID: 11, Body: ours, Time: start.Add(2 * time.Second)}, {ID: 10, Body: ours, Time: start.Add(time.Second)}}, true, nil, bulk.Applied, "sent message 10 on channel 0 (2 identical messages since the send)"},
		{"identical without a time", []SentMessage{{ID: 12, Body: ours}}, true, nil, bulk.Undecided, "no time"},
		{"too many to read back", nil, false, nil, bulk.Undecided, "could not read back far enough"},
		{"read fails", nil, true, errors.New("HTTP 503"), bulk.Undecided, "HTTP 503"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := newFake()
			f.wsChannels = []Channel{{ID: 31, Name: "Support WhatsApp", Source: "whatsapp"}}
			p := &readBack{fakePlatform: f, msgs: c.msgs, complete: c.complete, err: c.err}
			a, err := newSendAction(context.Background(), p, Spec{Verb: VerbSend, Send: &SendSpec{Text: "Closed tomorrow"}})
			if err != nil {
				t.Fatal(err)
			}
			got := a.Reconcile(context.Background(), bulk.Target{ID: "id:1"}, start)
			text := got.Detail + got.Reason
			if got.Verdict != c.want || !strings.Contains(text, c.detail) {
				t.Fatalf("got %+v, want verdict %d with %q", got, c.want, c.detail)
			}
		})
	}
	// A platform that cannot read messages back leaves the outcome unknown.
	a, _ := newSendAction(context.Background(), newFake(), Spec{Verb: VerbSend, Send: &SendSpec{Text: "x"}})
	if got := a.Reconcile(context.Background(), bulk.Target{ID: "id:1"}, start); got.Verdict != bulk.Undecided {
		t.Fatalf("no reader: %+v", got)
	}
}
