package mirror_test

import (
	"context"
	"errors"
	"net/http"
	"path/filepath"
	"sync/atomic"
	"testing"

	"github.com/respondctl/respondctl/apiclient"
	"github.com/respondctl/respondctl/mirror"
	"github.com/respondctl/respondctl/sandbox"
)

type failAfter struct {
	n    atomic.Int64
	left int64
}

func (f *failAfter) RoundTrip(r *http.Request) (*http.Response, error) {
	if f.n.Add(1) > f.left {
		return nil, errors.New("network down")
	}
	return http.DefaultTransport.RoundTrip(r)
}

// An interrupted backfill resumes after the last stored page and ends with every contact.
func TestBackfillResumes(t *testing.T) {
	srv, err := sandbox.Start(context.Background(), sandbox.Options{Seed: "large:250", CoreOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	m, err := mirror.Open(context.Background(), filepath.Join(t.TempDir(), "m.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	flaky, _ := apiclient.New(apiclient.Options{BaseURL: srv.URL(), Token: srv.Token(), RateLimit: -1, MaxRetries: -1,
		Transport: &failAfter{left: 2}})
	res, err := m.Backfill(context.Background(), flaky, mirror.BackfillOptions{})
	if err == nil || res.Contacts != 200 {
		t.Fatalf("first run: %+v %v (want 200 contacts, then an error)", res, err)
	}
	good, _ := apiclient.New(apiclient.Options{BaseURL: srv.URL(), Token: srv.Token(), RateLimit: -1})
	res, err = m.Backfill(context.Background(), good, mirror.BackfillOptions{Messages: &apiclient.ContactListRequest{}})
	if err != nil || res.ResumedFrom == 0 || res.Contacts != 50 || res.Conversations != 250 {
		t.Fatalf("resumed run: %+v %v", res, err)
	}
	st, _ := m.Status(context.Background())
	if st.Contacts != 250 || st.SyncedAt == 0 || st.SyncCursor != 0 || st.MessagesSynced == 0 {
		t.Fatalf("status after resume: %+v", st)
	}
}

// A `mirror sync --messages` interrupted in its message pass resumes with the conversations
// it had not read: the rerun neither pages the contacts again nor rereads a conversation.
func TestBackfillResumesMessagePass(t *testing.T) {
	ctx := context.Background()
	srv, err := sandbox.Start(ctx, sandbox.Options{Seed: "large:250", CoreOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	m, err := mirror.Open(ctx, filepath.Join(t.TempDir(), "m.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	all := &apiclient.ContactListRequest{}
	// 3 contact pages, then 40 conversations, then the network goes down.
	flaky, _ := apiclient.New(apiclient.Options{BaseURL: srv.URL(), Token: srv.Token(), RateLimit: -1, MaxRetries: -1,
		Transport: &failAfter{left: 43}})
	res, err := m.Backfill(ctx, flaky, mirror.BackfillOptions{Messages: all})
	if err == nil || res.Contacts != 250 || res.Conversations != 40 {
		t.Fatalf("first run: %+v %v (want 250 contacts, 40 conversations, then an error)", res, err)
	}
	st, _ := m.Status(ctx)
	if st.MessagesResume != 40 || st.MessagesSynced != 0 || st.SyncedAt == 0 {
		t.Fatalf("status after the interruption: %+v", st)
	}
	counted := &failAfter{left: 1 << 40}
	good, _ := apiclient.New(apiclient.Options{BaseURL: srv.URL(), Token: srv.Token(), RateLimit: -1, Transport: counted})
	res, err = m.Backfill(ctx, good, mirror.BackfillOptions{Messages: all})
	if err != nil || res.Contacts != 0 || res.Conversations != 210 || res.ResumedConversations != 40 || res.Requests != 210 {
		t.Fatalf("resumed run: %+v %v (want 210 conversations read, 40 skipped, 210 requests)", res, err)
	}
	if n := counted.n.Load(); n != 210 {
		t.Fatalf("resumed run sent %d requests, want 210", n)
	}
	st, _ = m.Status(ctx)
	if st.MessagesResume != 0 || st.MessagesSynced == 0 {
		t.Fatalf("status after the resumed run: %+v", st)
	}
	// The pass is complete: the next run is a whole sync again, contacts and messages.
	res, err = m.Backfill(ctx, good, mirror.BackfillOptions{Messages: all})
	if err != nil || res.Contacts != 250 || res.Conversations != 250 || res.ResumedConversations != 0 {
		t.Fatalf("next run: %+v %v", res, err)
	}
	// --restart after an interruption reads everything again.
	flaky, _ = apiclient.New(apiclient.Options{BaseURL: srv.URL(), Token: srv.Token(), RateLimit: -1, MaxRetries: -1,
		Transport: &failAfter{left: 13}})
	if _, err := m.Backfill(ctx, flaky, mirror.BackfillOptions{Messages: all}); err == nil {
		t.Fatal("third run did not fail")
	}
	res, err = m.Backfill(ctx, good, mirror.BackfillOptions{Messages: all, Restart: true})
	if err != nil || res.Contacts != 250 || res.Conversations != 250 || res.ResumedConversations != 0 {
		t.Fatalf("restarted run: %+v %v", res, err)
	}
}
