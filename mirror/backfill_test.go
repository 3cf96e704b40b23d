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
