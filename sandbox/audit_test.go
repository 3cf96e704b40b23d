package sandbox

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/respondctl/respondctl/sandbox/store"
)

// A mutation whose client hung up once it was applied still leaves its audit row: tests
// count those rows to prove nothing was sent twice.
func TestAuditRowSurvivesClientHangUp(t *testing.T) {
	t.Parallel() // its own sandbox
	e := start(t, Options{Seed: "empty"})
	ctx, cancel := context.WithCancel(context.Background())
	req := httptest.NewRequest(http.MethodPost, "/v2/contact/id:7/message", nil).WithContext(ctx)
	applied := e.srv.audited("message_sent", func(w http.ResponseWriter, r *http.Request, a *auditInfo) error {
		a.contactID, a.summary = 7, "messageId=1"
		cancel() // the client goes away after the change was made
		return nil
	})
	if err := applied(httptest.NewRecorder(), req); err != nil {
		t.Fatal(err)
	}
	rows, _, err := e.srv.Store().ListAudit(context.Background(), 7, "message_sent", store.Page{Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 1 || rows[0].Result != "ok" || rows[0].Request != "messageId=1" {
		t.Fatalf("audit rows = %+v, want the one applied send", rows)
	}
}
