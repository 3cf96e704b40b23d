package actions

import (
	"context"
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
