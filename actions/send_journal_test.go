package actions

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/respondctl/respondctl/apiclient"
	"github.com/respondctl/respondctl/apiclient/httpmock"
	"github.com/respondctl/respondctl/bulk"
)

// A send queued in the message endpoint's rate limiter has not left, so the journal must not
// hold its start record yet: a kill -9 at that moment leaves it to --resume, not "unknown".
// The start is journaled only once the limiter lets the request go.
func TestSendWaitingInLimiterIsNotJournaledAsStarted(t *testing.T) {
	reg := &httpmock.Registry{}
	defer reg.Verify(t)
	channels := `{"items":[{"id":31,"name":"Support WhatsApp","source":"whatsapp_cloud"}],"pagination":{}}`
	for _, id := range []string{"1", "2"} {
		reg.Register(httpmock.REST("GET", "contact/id:"+id+"/channels"), httpmock.StringResponse(channels))
		// Limit 5, nothing left: the next send must wait for tokens at 5/s.
		reg.Register(httpmock.REST("POST", "contact/id:"+id+"/message"),
			httpmock.WithRateLimit(httpmock.StringResponse(`{"messageId":880`+id+`}`), 5, 0))
	}
	clock := httpmock.NewManualClock(time.Date(2024, 11, 24, 10, 0, 0, 0, time.UTC))
	client, err := apiclient.New(apiclient.Options{BaseURL: "https://api.test/v2", Token: "t-123456", Transport: reg, Clock: clock})
	if err != nil {
		t.Fatal(err)
	}
	action, err := Build(context.Background(), NewClientPlatform(client, nil, nil),
		Spec{Verb: VerbSend, Send: &SendSpec{Template: "welcome", Lang: "en"}})
	if err != nil {
		t.Fatal(err)
	}
	targets := targetsOf("id:1", "id:2")
	path := filepath.Join(t.TempDir(), "send.journal")
	j, err := bulk.CreateJournal(path, bulk.JournalHeader{Action: VerbSend}, targets)
	if err != nil {
		t.Fatal(err)
	}
	defer j.Close()
	done := make(chan bulk.Summary)
	go func() {
		sum, err := bulk.Run(context.Background(), action, targets, bulk.Options{Workers: 1, Journal: j})
		if err != nil {
			t.Error(err)
		}
		done <- sum
	}()

	onDisk := func() bulk.JournalState {
		t.Helper()
		st, err := bulk.ReadJournalFile(path) // the run holds the journal's lock
		if err != nil {
			t.Fatal(err)
		}
		return *st
	}
	// id:2's channels read waits 200ms on its endpoint's budget: not started.
	clock.AwaitSleeping(t, 1)
	if st := onDisk(); st.InFlight[1] || st.Results[0].Outcome != bulk.OutcomeDone {
		t.Fatalf("before id:2's reads: in flight %v, results %v", st.InFlight, st.Results)
	}
	clock.Advance(200 * time.Millisecond)
	// Now its message waits in the limiter (one token owed plus the reserve).
	clock.AwaitSleeping(t, 1)
	last := reg.Requests()[len(reg.Requests())-1]
	if last.Method != "GET" || last.Path != "/v2/contact/id:2/channels" {
		t.Fatalf("last request %s %s, want id:2's channels read", last.Method, last.Path)
	}
	if st := onDisk(); st.InFlight[1] {
		t.Fatal("a send still waiting in the rate limiter is journaled as started")
	}
	clock.Advance(time.Second)
	if sum := <-done; sum.Done != 2 {
		t.Fatalf("summary %+v", sum)
	}
	if st := onDisk(); st.Results[1].Outcome != bulk.OutcomeDone || st.InFlight[1] {
		t.Fatalf("after: in flight %v, results %v", st.InFlight, st.Results)
	}
}

// A comment is journaled as started only once its endpoint's rate limiter lets it go, like a
// send: one still queued there has not left, and is given up at the first Ctrl-C.
func TestCommentWaitingInLimiterIsNotJournaledAsStarted(t *testing.T) {
	reg := &httpmock.Registry{} // id:2's stub stays unused: it is never sent
	for _, id := range []string{"1", "2"} {
		// Limit 5, nothing left: the next comment must wait for tokens at 5/s.
		reg.Register(httpmock.REST("POST", "contact/id:"+id+"/comment"),
			httpmock.WithRateLimit(httpmock.StringResponse(`{"contactId":`+id+`,"text":"note"}`), 5, 0))
	}
	clock := httpmock.NewManualClock(time.Date(2024, 11, 24, 10, 0, 0, 0, time.UTC))
	client, err := apiclient.New(apiclient.Options{BaseURL: "https://api.test/v2", Token: "t-123456", Transport: reg, Clock: clock})
	if err != nil {
		t.Fatal(err)
	}
	action, err := Build(context.Background(), NewClientPlatform(client, nil, nil), Spec{Verb: VerbComment, Text: "note"})
	if err != nil {
		t.Fatal(err)
	}
	targets := targetsOf("id:1", "id:2")
	path := filepath.Join(t.TempDir(), "comment.journal")
	j, err := bulk.CreateJournal(path, bulk.JournalHeader{Action: VerbComment}, targets)
	if err != nil {
		t.Fatal(err)
	}
	defer j.Close()
	ctx, stop := context.WithCancel(context.Background())
	defer stop()
	done := make(chan bulk.Summary)
	go func() {
		sum, err := bulk.Run(ctx, action, targets, bulk.Options{Workers: 1, Journal: j,
			StopBeforeWrite: apiclient.WithStopBeforeWrite,
			NotAttempted:    func(err error) bool { return errors.Is(err, apiclient.ErrNotSent) }})
		if err != nil && ctx.Err() == nil {
			t.Error(err)
		}
		done <- sum
	}()
	// id:2's comment waits in the limiter: not started.
	clock.AwaitSleeping(t, 1)
	st, err := bulk.ReadJournalFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if st.InFlight[1] || len(st.Results) != 1 || st.Results[0].Outcome != bulk.OutcomeDone {
		t.Fatalf("while id:2 waits in the limiter: in flight %v, results %v", st.InFlight, st.Results)
	}
	// Ctrl-C now: id:2 is given up, not attempted, and nothing more is written.
	stop()
	sum := <-done
	if sum.Done != 1 || sum.Unknown != 0 || sum.Failed != 0 || sum.NotAttempted != 1 {
		t.Fatalf("summary %+v", sum)
	}
	if n := len(reg.Requests()); n != 1 {
		t.Fatalf("%d comment requests written, want 1", n)
	}
	if st, err := bulk.ReadJournalFile(path); err != nil || st.InFlight[1] || len(st.Results) != 1 {
		t.Fatalf("after the interrupt: %v; journal %+v", err, st)
	}
}
