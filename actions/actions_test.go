package actions

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/respondctl/respondctl/bulk"
)

func run(t *testing.T, p Platform, s Spec, targets []bulk.Target, dry bool) ([]bulk.Result, bulk.Summary) {
	t.Helper()
	a, err := Build(context.Background(), p, s)
	if err != nil {
		t.Fatal(err)
	}
	var results []bulk.Result
	sum, err := bulk.Run(context.Background(), a, targets, bulk.Options{Workers: 2, DryRun: dry,
		OnResult: func(r bulk.Result) { results = append(results, r) }})
	if err != nil {
		t.Fatal(err)
	}
	return results, sum
}

func targetsOf(ids ...string) []bulk.Target {
	out := make([]bulk.Target, len(ids))
	for i, id := range ids {
		out[i] = bulk.Target{ID: id}
	}
	return out
}

func TestAssignAndDryRun(t *testing.T) {
	f := newFake()
	a := f.addContact(1, StatusOpen)
	b := f.addContact(2, StatusOpen)
	f.contacts[b].Assignee = &testUsers[0]
	res, sum := run(t, f, Spec{Verb: VerbAssign, To: 7}, targetsOf(a, b), true)
	if sum.WouldChange != 1 || sum.Skipped != 1 || f.contacts[a].Assignee != nil {
		t.Fatalf("dry run %+v %+v", sum, res)
	}
	res, sum = run(t, f, Spec{Verb: VerbAssign, To: 7}, targetsOf(a), false)
	if sum.Done != 1 || res[0].Detail != "assigned to Lee Wong" || f.contacts[a].Assignee.ID != 7 {
		t.Fatalf("%+v %+v", sum, res)
	}
	res, sum = run(t, f, Spec{Verb: VerbUnassign}, targetsOf(a, b), false)
	if sum.Done != 2 || res[0].Detail != "unassigned" || f.contacts[b].Assignee != nil {
		t.Fatalf("%+v %+v", sum, res)
	}
}

func TestRoundRobinAndBalancePlans(t *testing.T) {
	f := newFake()
	var ts []bulk.Target
	for i := int64(1); i <= 6; i++ {
		ts = append(ts, bulk.Target{ID: f.addContact(i, StatusOpen)})
	}
	who := []UserRef{testUsers[0], testUsers[1], testUsers[3]} // 7, 8, 10
	plan, _, err := PlanAssignees(context.Background(), f, ts, who, false)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, p := range plan {
		got = append(got, p.Param(bulk.AssigneeParam))
	}
	if strings.Join(got, ",") != "7,8,10,7,8,10" {
		t.Errorf("round robin %v", got)
	}
	f.loads = map[int64]int{7: 5, 8: 1, 10: 2}
	plan, loads, err := PlanAssignees(context.Background(), f, ts, who, true)
	if err != nil || loads[7] != 5 {
		t.Fatal(err, loads)
	}
	got = got[:0]
	for _, p := range plan {
		got = append(got, p.Param(bulk.AssigneeParam))
	}
	// Loads 7:5 8:1 10:2. 8 goes to 2; 8 and 10 tie at 2, the earlier-listed 8 wins; and so on.
	if strings.Join(got, ",") != "8,8,10,8,10,8" {
		t.Errorf("balance %v", got)
	}
	_, sum := run(t, f, Spec{Verb: VerbAssign}, plan, false)
	if sum.Done != 6 || f.contacts["id:1"].Assignee.ID != 8 || f.contacts["id:3"].Assignee.ID != 10 {
		t.Fatalf("%+v", sum)
	}
}

func TestStatusVerbs(t *testing.T) {
	f := newFake()
	a := f.addContact(1, StatusOpen)
	until := testNow.Add(2 * time.Hour)
	steps := []struct {
		spec   Spec
		status string
		detail string
	}{
		{Spec{Verb: VerbDone, Category: "Resolved"}, StatusClosed, "marked done (Resolved)"},
		{Spec{Verb: VerbReopen}, StatusOpen, "reopened"},
		{Spec{Verb: VerbPending}, StatusPending, "marked pending"},
		{Spec{Verb: VerbSnooze, SnoozeUntil: until}, StatusSnoozed, "snoozed until 2025-03-10T14:00:00Z"},
		{Spec{Verb: VerbUnsnooze}, StatusOpen, "unsnoozed"},
	}
	for _, st := range steps {
		res, _ := run(t, f, st.spec, targetsOf(a), false)
		if f.contacts[a].Status != st.status || res[0].Detail != st.detail {
			t.Errorf("%s: status %s detail %q", st.spec.Verb, f.contacts[a].Status, res[0].Detail)
		}
	}
	res, sum := run(t, f, Spec{Verb: VerbUnsnooze}, targetsOf(a), true)
	if sum.Skipped != 1 || res[0].Detail != "not snoozed (open)" {
		t.Errorf("unsnooze dry run %+v %q", sum, res[0].Detail)
	}
}

func TestDoneIfNoNewIncomingSkipsFreshReplies(t *testing.T) {
	f := newFake()
	snap := testNow
	quiet := f.addContact(1, StatusOpen, ContactChannel{ID: 31, Source: "whatsapp", LastIncoming: snap.Add(-time.Hour)})
	fresh := f.addContact(2, StatusOpen, ContactChannel{ID: 31, Source: "whatsapp", LastIncoming: snap.Add(time.Minute)})
	res, sum := run(t, f, Spec{Verb: VerbDone, IfNoNewIncoming: true, SnapshotAt: snap}, targetsOf(quiet, fresh), false)
	if sum.Done != 1 || sum.Skipped != 1 || f.contacts[fresh].Status != StatusOpen || f.contacts[quiet].Status != StatusClosed {
		t.Fatalf("%+v %+v", sum, res)
	}
	for _, r := range res {
		if r.Target.ID == fresh && !strings.Contains(r.Detail, "after the snapshot") {
			t.Errorf("detail %q", r.Detail)
		}
	}
}

func TestSendWindowCheck(t *testing.T) {
	f := newFake()
	now := func() time.Time { return testNow }
	open := f.addContact(1, StatusOpen, ContactChannel{ID: 31, Name: "Support WhatsApp", Source: "whatsapp_cloud", LastMessage: testNow.Add(-time.Hour), LastIncoming: testNow.Add(-time.Hour)})
	closed := f.addContact(2, StatusOpen,
		ContactChannel{ID: 31, Name: "Support WhatsApp", Source: "whatsapp_cloud", LastMessage: testNow.Add(-48 * time.Hour), LastIncoming: testNow.Add(-72 * time.Hour)},
		ContactChannel{ID: 40, Name: "Telegram", Source: "telegram", LastMessage: testNow.Add(-96 * time.Hour)})
	spec := Spec{Verb: VerbSend, Send: &SendSpec{Text: "hi"}, Now: now}
	res, sum := run(t, f, spec, targetsOf(open, closed), false)
	if sum.Done != 1 || sum.Failed != 1 || len(f.sent) != 1 || f.sent[0].channelID != 31 {
		t.Fatalf("%+v %+v", sum, res)
	}
	var wc *WindowClosedError
	for _, r := range res {
		if r.Target.ID == closed {
			if !errors.As(r.Err, &wc) {
				t.Fatalf("err %v", r.Err)
			}
			for _, want := range []string{`"Support WhatsApp"`, "closed 2 days ago", "--template", "--force"} {
				if !strings.Contains(r.Detail, want) {
					t.Errorf("detail %q lacks %q", r.Detail, want)
				}
			}
		} else if r.Detail != "sent message 88001 on Support WhatsApp" {
			t.Errorf("detail %q", r.Detail)
		}
	}
	// --force, a template, or another channel go out.
	for _, s := range []*SendSpec{{Text: "hi", Force: true}, {Template: "welcome", Lang: "en"}, {Text: "hi", ChannelID: 40, ChannelName: "Telegram"}} {
		_, sum := run(t, f, Spec{Verb: VerbSend, Send: s, Now: now}, targetsOf(closed), false)
		if sum.Done != 1 {
			t.Errorf("%+v: %+v", s, sum)
		}
	}
	if f.sent[len(f.sent)-1].channelID != 40 || f.sent[len(f.sent)-2].message["type"] != "whatsapp_template" {
		t.Errorf("sent %+v", f.sent)
	}
	// A send the client cannot vouch for is unknown, never failed.
	f.sendErr = errors.New("connection reset")
	a, _ := Build(context.Background(), f, spec)
	// The fake cannot read messages back, so reconciliation leaves it undecided; it need not
	// wait the real settle delay (5 s) first.
	sum, _ = bulk.Run(context.Background(), a, targetsOf(open), bulk.Options{Classify: func(error) bulk.Outcome { return bulk.OutcomeUnknown }, SettleDelay: time.Nanosecond})
	if sum.Unknown != 1 {
		t.Errorf("%+v", sum)
	}
}

func TestSendMessageShapes(t *testing.T) {
	ok := map[string]SendSpec{
		"text":              {Text: "hi"},
		"attachment":        {AttachmentURL: "https://x/y.png", AttachmentType: "image"},
		"email":             {Text: "body", EmailSubject: "Re: order", AttachmentURL: "https://x/a.pdf"},
		"quick_reply":       {Text: "Happy?", QuickReplies: []string{"Yes", "No"}},
		"whatsapp_template": {Template: "welcome", Lang: "en", TemplateParams: []string{"Aisha"}},
	}
	for typ, s := range ok {
		m, err := s.Message()
		if err != nil || m["type"] != typ {
			t.Errorf("%s: %v %v", typ, m, err)
		}
	}
	bad := []SendSpec{{}, {Text: "  "}, {Template: "welcome"}, {Template: "w", Lang: "en", Text: "x"},
		{AttachmentURL: "u", Text: "x"}, {AttachmentURL: "u", AttachmentType: "gif"}, {QuickReplies: []string{"a"}},
		{Lang: "en", Text: "x"}, {AttachmentType: "image", Text: "x"}}
	for _, s := range bad {
		if _, err := s.Message(); err == nil {
			t.Errorf("%+v: no error", s)
		}
	}
}

func TestWaitForStatus(t *testing.T) {
	f := newFake()
	noSleep := func(context.Context, time.Duration) error { return nil }
	f.statuses[1] = [][]MessageStatus{{{Value: "pending"}}, {{Value: "pending"}, {Value: "sent"}}, {{Value: "sent"}, {Value: "delivered"}}}
	st, err := WaitForStatus(context.Background(), f, "id:1", 1, WaitOptions{Want: "delivered", Sleep: noSleep})
	if err != nil || st.Value != "delivered" {
		t.Errorf("%v %v", st, err)
	}
	f.statuses[2] = [][]MessageStatus{{{Value: "sent"}, {Value: "failed", Reason: "outside the 24h window"}}}
	_, err = WaitForStatus(context.Background(), f, "id:1", 2, WaitOptions{Want: "read", Sleep: noSleep})
	var mf *MessageFailedError
	if !errors.As(err, &mf) || !strings.Contains(err.Error(), "outside the 24h window") {
		t.Errorf("err %v", err)
	}
	f.statuses[3] = [][]MessageStatus{{{Value: "sent"}}}
	st, err = WaitForStatus(context.Background(), f, "id:1", 3, WaitOptions{Want: "read", Source: "telegram", Sleep: noSleep})
	if err != nil || st.Value != "sent" {
		t.Errorf("telegram: %v %v", st, err)
	}
	_, err = WaitForStatus(context.Background(), f, "id:1", 3, WaitOptions{Want: "read", Timeout: 30 * time.Millisecond, Interval: 5 * time.Millisecond})
	var wt *WaitTimeoutError
	if !errors.As(err, &wt) || wt.Last != "sent" {
		t.Errorf("timeout err %v", err)
	}
	if _, err := WaitForStatus(context.Background(), f, "id:1", 3, WaitOptions{Want: "sent"}); err == nil {
		t.Error("--wait sent must be refused")
	}
}

func TestCollectTargets(t *testing.T) {
	f := newFake()
	f.views["unassigned"] = []string{"id:3", "id:1", "id:3"}
	now := func() time.Time { return testNow }
	c, err := CollectTargets(context.Background(), f, TargetSource{View: "unassigned"}, nil, now)
	if err != nil || len(c.Targets) != 2 || !c.FromView || !c.SnapshotAt.Equal(testNow) || c.Report.Duplicates != 1 {
		t.Fatalf("%+v %v", c, err)
	}
	c, err = CollectTargets(context.Background(), f, TargetSource{Args: []string{"id:1"}, Stdin: strings.NewReader("id:2\nid:1\n")}, nil, now)
	if err != nil || len(c.Targets) != 1 {
		t.Fatalf("args take precedence over an unread stdin: %+v %v", c, err)
	}
	c, err = CollectTargets(context.Background(), f, TargetSource{Files: []string{"-"}, Args: []string{"id:1"}, Stdin: strings.NewReader("id:2\nid:1\n")}, nil, now)
	if err != nil || len(c.Targets) != 2 || c.Report.Duplicates != 1 {
		t.Fatalf("%+v %v", c, err)
	}
	if _, err := CollectTargets(context.Background(), f, TargetSource{}, nil, now); !errors.Is(err, ErrNoTargets) {
		t.Errorf("err %v", err)
	}
	if _, err := CollectTargets(context.Background(), f, TargetSource{View: "x", Args: []string{"1"}}, nil, now); err == nil {
		t.Error("view + args must fail")
	}
}

func TestSpecRoundTrip(t *testing.T) {
	s := Spec{Verb: VerbSend, Send: &SendSpec{Text: "hi", ChannelID: 31, QuickReplies: []string{"a"}}, SnapshotAt: testNow}
	got, err := SpecFromParams(VerbSend, s.Params())
	if err != nil || got.Send == nil || got.Send.Text != "hi" || got.Send.ChannelID != 31 || !got.SnapshotAt.Equal(testNow) {
		t.Fatalf("%+v %v", got, err)
	}
	if _, err := SpecFromParams(VerbAssign, s.Params()); err == nil {
		t.Error("verb mismatch must fail")
	}
}

func TestCheckCapabilities(t *testing.T) {
	f := newFake()
	err := CheckCapabilities(context.Background(), f, VerbPending)
	if err == nil || err.Error() != `this server does not support pending (extension "pending" missing)` {
		t.Errorf("err %v", err)
	}
	f.exts["snooze"] = true
	if err := CheckCapabilities(context.Background(), f, VerbSnooze); err != nil {
		t.Error(err)
	}
	if err := CheckCapabilities(context.Background(), f, VerbDone); err != nil {
		t.Error(err)
	}
}

func TestResolveCategory(t *testing.T) {
	known := []string{"Resolved", "Spam", "Follow-up needed"}
	if c, err := ResolveCategory(known, "resolved"); err != nil || c != "Resolved" {
		t.Errorf("got %q %v", c, err)
	}
	if c, err := ResolveCategory(known, ""); err != nil || c != "" {
		t.Errorf("empty: %q %v", c, err)
	}
	_, err := ResolveCategory(known, "Resolvd")
	var unk *UnknownCategoryError
	if !errors.As(err, &unk) || len(unk.Suggestions) != 1 || unk.Suggestions[0] != "Resolved" {
		t.Fatalf("err = %v", err)
	}
	_, err = ResolveCategory(known, "Billing")
	if err == nil || !strings.Contains(err.Error(), "known categories") {
		t.Errorf("err = %v", err)
	}
}
