package mirror

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/respondctl/respondctl/apiclient"
	"github.com/respondctl/respondctl/webhook"
)

func openTest(t *testing.T) *Mirror {
	t.Helper()
	m, err := Open(context.Background(), filepath.Join(t.TempDir(), "m.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { m.Close() })
	return m
}

func ingest(t *testing.T, m *Mirror, body string) Result {
	t.Helper()
	ev, err := webhook.Parse([]byte(body))
	if err != nil {
		t.Fatal(err)
	}
	r, err := m.Ingest(context.Background(), ev, []byte(body), 1_733_000_000_000)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func assign(id, ts int, user string) string {
	return fmt.Sprintf(`{"event_type":"contact.assignee.updated","event_id":"a-%d-%d","timestamp":%d,"contact":{"id":%d,"firstName":"C","status":"open","assignee":%s}}`, id, ts, ts, id, user)
}

func TestIngestEveryDocumentedType(t *testing.T) {
	m := openTest(t)
	files, _ := filepath.Glob(filepath.Join("..", "webhook", "testdata", "events", "*.*.json"))
	if len(files) < len(webhook.Types) {
		t.Fatalf("found %d event files", len(files))
	}
	for _, f := range files {
		b, _ := os.ReadFile(f)
		if r := ingest(t, m, string(b)); r.Duplicate || r.ContactID == 0 {
			t.Errorf("%s: %+v", f, r)
		}
		if r := ingest(t, m, string(b)); !r.Duplicate {
			t.Errorf("%s: second delivery not deduplicated", f)
		}
	}
	evs, err := m.Events(context.Background(), 1234)
	if err != nil {
		t.Fatal(err)
	}
	kinds := map[string]bool{}
	for _, e := range evs {
		kinds[e.Category+"/"+e.Action+"/"+e.By] = true
	}
	for _, want := range []string{"status/done/user", "status/opened/contact", "assignment/assigned/unknown", "lifecycle/changed/unknown", "comment/created/user", "call/ended/unknown"} {
		if !kinds[want] {
			t.Errorf("event %s missing from %v", want, kinds)
		}
	}
	st, _ := m.Contacts(context.Background(), 1234)
	c := st[1234]
	// Events without a time in the body take their arrival (after every time in the files).
	if c.Status != "open" || c.AssigneeID == nil || *c.AssigneeID != 9 || *c.Lifecycle != "Customer" || c.LastMessageMS != 1732400200000 || c.LastIsIncoming {
		t.Errorf("contact state %+v", c)
	}
}

func TestNewestWinsWhateverTheOrder(t *testing.T) {
	m := openTest(t)
	// Newest first, then an older change: the older one must not overwrite.
	ingest(t, m, assign(1, 2000, `{"id":9}`))
	ingest(t, m, assign(1, 1000, `{"id":7}`))
	ingest(t, m, assign(1, 1500, `null`))
	st, _ := m.Contacts(context.Background())
	if a := st[1].AssigneeID; a == nil || *a != 9 {
		t.Fatalf("assignee = %v, want 9", a)
	}
	// Messages: an older incoming message arriving late does not make the contact await a reply.
	msg := func(id, ts int, traffic string) string {
		typ := "message.sent"
		if traffic == "incoming" {
			typ = "message.received"
		}
		return fmt.Sprintf(`{"event_type":"%s","event_id":"m%d","contact":{"id":1},"message":{"messageId":%d,"channelId":3,"traffic":"%s","message":{"type":"text","text":"x"},"timestamp":%d}}`, typ, id, id, traffic, ts)
	}
	ingest(t, m, msg(2, 3000, "outgoing"))
	ingest(t, m, msg(1, 2500, "incoming"))
	st, _ = m.Contacts(context.Background())
	if st[1].LastIsIncoming || st[1].LastMessageMS != 3000000 || st[1].LastIncoming != 2500000 {
		t.Fatalf("after late incoming: %+v", st[1])
	}
	ingest(t, m, msg(3, 3500, "incoming"))
	st, _ = m.Contacts(context.Background())
	if !st[1].AwaitingReply() {
		t.Fatalf("newest incoming: %+v", st[1])
	}
}

func TestCountViews(t *testing.T) {
	m := openTest(t)
	ctx := context.Background()
	for i := 1; i <= 6; i++ {
		status := "open"
		if i > 4 {
			status = "close"
		}
		assignee := "null"
		if i%2 == 0 {
			assignee = `{"id":7}`
		}
		ingest(t, m, fmt.Sprintf(`{"event_type":"contact.updated","event_id":"c%d","timestamp":1000,"contact":{"id":%d,"firstName":"N%d","status":"%s","assignee":%s,"tags":["t%d","all"],"lifecycle":"L%d","plan":"p%d"}}`,
			i, i, i, status, assignee, i%3, i%2, i%2))
	}
	ingest(t, m, `{"event_type":"message.received","event_id":"r1","contact":{"id":1},"message":{"messageId":1,"message":{"type":"text"},"timestamp":2000}}`)
	open := apiclient.FieldCondition("status", apiclient.OpIsEqualTo, "open")
	cases := []struct {
		name  string
		conds []apiclient.Condition
		want  int
	}{
		{"all", []apiclient.Condition{open}, 4},
		{"mine", []apiclient.Condition{open, apiclient.FieldCondition("assigneeUserId", apiclient.OpIsEqualTo, int64(7))}, 2},
		{"unassigned", []apiclient.Condition{open, apiclient.FieldCondition("assigneeUserId", apiclient.OpDoesNotExist, nil)}, 2},
		{"tag", []apiclient.Condition{apiclient.TagCondition(apiclient.OpHasAnyOf, "T1")}, 2},
		{"tags all", []apiclient.Condition{apiclient.TagCondition(apiclient.OpHasAllOf, "t1", "all")}, 2},
		{"lifecycle", []apiclient.Condition{apiclient.LifecycleCondition(apiclient.OpIsEqualTo, "l1")}, 3},
		{"custom", []apiclient.Condition{apiclient.FieldCondition("plan", apiclient.OpIsEqualTo, "p0")}, 3},
	}
	for _, c := range cases {
		got, err := m.Count(ctx, apiclient.ContactListRequest{Filter: &apiclient.Filter{And: c.conds}})
		if err != nil || got.Count != c.want {
			t.Errorf("%s: %+v %v, want %d", c.name, got, err, c.want)
		}
	}
	got, _ := m.Count(ctx, apiclient.ContactListRequest{Filter: &apiclient.Filter{And: []apiclient.Condition{open}}})
	if got.AwaitingReply != 1 {
		t.Errorf("awaiting = %d, want 1", got.AwaitingReply)
	}
	if _, err := m.Count(ctx, apiclient.ContactListRequest{Filter: &apiclient.Filter{And: []apiclient.Condition{apiclient.FieldCondition("unread", apiclient.OpIsGreaterThan, 0)}}}); err == nil {
		t.Error("unread filter accepted")
	}
}

func TestStatusHeartbeatPrune(t *testing.T) {
	m := openTest(t)
	ctx := context.Background()
	now := time.Unix(1_700_000_100, 0)
	m.SetClock(func() time.Time { return now })
	st, _ := m.Status(ctx)
	if st.Fresh(now, time.Minute) || len(st.Unknown) == 0 {
		t.Fatalf("new mirror: %+v", st)
	}
	m.Heartbeat(ctx, "127.0.0.1:8787")
	st, _ = m.Status(ctx)
	if !st.Fresh(now.Add(30*time.Second), time.Minute) || st.Fresh(now.Add(2*time.Minute), time.Minute) {
		t.Fatalf("heartbeat: %+v", st)
	}
	ingest(t, m, assign(1, 1000, "null"))
	n, _, err := m.Prune(ctx, time.UnixMilli(1_733_000_000_001))
	if err != nil || n != 1 {
		t.Fatalf("prune: %d %v", n, err)
	}
}
