package e2e

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/respondctl/respondctl/apiclient"
	"github.com/respondctl/respondctl/mirror"
	"github.com/respondctl/respondctl/sandbox"
	"github.com/respondctl/respondctl/sandbox/store"
	"github.com/respondctl/respondctl/webhook"
)

const hookKey = "e2e-signing-key-0123456789abcdefghijklmnopq"

// lockedBuffer is a buffer a child process writes while the test reads it.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// freeAddr picks a loopback port for a listener that must be named before it starts.
func freeAddr(t *testing.T) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}

// startListen runs `respondctl listen` and waits for its ready line (the only signal a
// separate process gives; bounded).
func startListen(t *testing.T, c *cli, addr string) (*exec.Cmd, *lockedBuffer) {
	t.Helper()
	cmd := exec.Command(binPath, "listen", "--addr", addr, "--path", "/hooks", "--signing-key", hookKey)
	cmd.Env = c.env()
	errOut := &lockedBuffer{}
	cmd.Stdout, cmd.Stderr = io.Discard, errOut
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if cmd.ProcessState == nil {
			_ = cmd.Process.Kill()
			_ = cmd.Wait()
		}
	})
	deadline := time.Now().Add(30 * time.Second)
	for !strings.Contains(errOut.String(), "Ready!") {
		if time.Now().After(deadline) || (cmd.ProcessState != nil) {
			t.Fatalf("listen did not start:\n%s", errOut)
		}
		time.Sleep(10 * time.Millisecond)
	}
	return cmd, errOut
}

func stopListen(t *testing.T, cmd *exec.Cmd, errOut *lockedBuffer) {
	t.Helper()
	cmd.Process.Signal(syscall.SIGTERM)
	if err := cmd.Wait(); err != nil {
		t.Fatalf("listen did not exit cleanly on SIGTERM: %v\n%s", err, errOut)
	}
}

func openMirrorOf(t *testing.T, c *cli) *mirror.Mirror {
	t.Helper()
	paths, _ := filepath.Glob(filepath.Join(c.home, "state", "respondctl", "mirror", "*.db"))
	if len(paths) != 1 {
		t.Fatalf("mirror databases: %v", paths)
	}
	m, err := mirror.Open(context.Background(), paths[0])
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { m.Close() })
	return m
}

// mutator drives random changes through the sandbox's API, as people and customers would.
type mutator struct {
	t     *testing.T
	base  string
	token string
	rng   *rand.Rand
	n     int // contacts
	users []int64
}

func (m *mutator) post(path string, body any) int {
	b, _ := json.Marshal(body)
	req, _ := http.NewRequest(http.MethodPost, m.base+path, bytes.NewReader(b))
	req.Header.Set("Authorization", "Bearer "+m.token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		m.t.Fatalf("POST %s: %v", path, err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode
}

// one applies a random change; it reports whether the sandbox accepted it.
func (m *mutator) one() bool {
	id := m.rng.IntN(m.n) + 1
	p := fmt.Sprintf("/contact/id:%d", id)
	var status int
	switch k := m.rng.IntN(10); {
	case k < 2:
		var who any
		if m.rng.IntN(4) > 0 {
			who = m.users[m.rng.IntN(len(m.users))]
		}
		status = m.post(p+"/conversation/assignee", map[string]any{"assignee": who})
	case k < 4:
		status = m.post(p+"/conversation/status", map[string]any{"status": "close", "category": "Resolved", "summary": "done"})
	case k < 5:
		status = m.post(p+"/conversation/status", map[string]any{"status": "open"})
	case k < 6:
		status = m.post(p+"/comment", map[string]any{"text": "note"})
	case k < 8:
		status = m.post(p+"/message", map[string]any{"message": map[string]any{"type": "text", "text": "hello"}})
	default:
		status = m.post("/sandbox/simulate/incoming", map[string]any{"contactId": id, "message": map[string]any{"type": "text", "text": "hi"}})
	}
	return status == http.StatusOK
}

// compare checks the mirror against the sandbox's own store, contact by contact and view by view.
func compare(t *testing.T, st *store.Store, m *mirror.Mirror, n int, users []int64) {
	t.Helper()
	ctx := context.Background()
	got, err := m.Contacts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	bad := 0
	for id := int64(1); id <= int64(n); id++ {
		c, err := st.GetContact(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		var traffic string
		st.DB().QueryRow(`SELECT traffic FROM messages WHERE contact_id = ? ORDER BY id DESC LIMIT 1`, id).Scan(&traffic)
		want := fmt.Sprintf("status=%s assignee=%v tags=%v awaiting=%v", c.Status, deref(c.AssigneeID), strings.Join(lower(c.Tags), ","),
			c.Status == "open" && traffic == "incoming")
		g := got[id]
		have := fmt.Sprintf("status=%s assignee=%v tags=%v awaiting=%v", g.Status, deref(g.AssigneeID), strings.Join(lower(g.Tags), ","), g.AwaitingReply())
		if want != have {
			bad++
			if bad <= 5 {
				t.Errorf("contact %d: sandbox %s, mirror %s\n sandbox messages %s\n mirror messages %s", id, want, have,
					rowsText(st.DB(), `SELECT id, traffic, created_at FROM messages WHERE contact_id = ? ORDER BY id DESC LIMIT 4`, id),
					rowsText(m.DB(), `SELECT message_id, traffic, time_ms FROM messages WHERE contact_id = ? ORDER BY time_ms DESC LIMIT 4`, id))
			}
		}
	}
	if bad > 0 {
		t.Fatalf("%d of %d contacts differ", bad, n)
	}
	open := apiclient.FieldCondition("status", apiclient.OpIsEqualTo, "open")
	views := map[string][]apiclient.Condition{
		"All":        {open},
		"Unassigned": {open, apiclient.FieldCondition("assigneeUserId", apiclient.OpDoesNotExist, nil)},
		"Closed":     {apiclient.FieldCondition("status", apiclient.OpIsEqualTo, "close")},
		"VIP":        {open, apiclient.TagCondition(apiclient.OpHasAnyOf, "vip")},
	}
	for _, u := range users {
		views[fmt.Sprintf("Mine(%d)", u)] = []apiclient.Condition{open, apiclient.FieldCondition("assigneeUserId", apiclient.OpIsEqualTo, fmt.Sprint(u))}
	}
	for name, conds := range views {
		req := apiclient.ContactListRequest{Filter: &apiclient.Filter{And: conds}}
		raw, _ := json.Marshal(req.Filter)
		want, _, err := st.CountContacts(ctx, store.ContactQuery{Filter: raw, Ext: true})
		if err != nil {
			t.Fatal(err)
		}
		have, err := m.Count(ctx, req)
		if err != nil {
			t.Fatal(err)
		}
		if int64(have.Count) != want {
			t.Errorf("view %s: mirror %d, sandbox %d", name, have.Count, want)
		}
	}
}

func rowsText(db *sql.DB, q string, args ...any) string {
	rows, err := db.Query(q, args...)
	if err != nil {
		return err.Error()
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var a, b, c any
		rows.Scan(&a, &b, &c)
		out = append(out, fmt.Sprint(a, " ", b, " ", c))
	}
	return strings.Join(out, "; ")
}

// coreOnly turns the seed's pending and snoozed conversations open: a workspace on the core
// API has neither state (the core-only sandbox shows them as open, but filters on the stored value).
func coreOnly(t *testing.T, st *store.Store) {
	if _, err := st.DB().Exec(`UPDATE contacts SET status = 'open', snoozed_until = NULL WHERE status IN ('pending', 'snoozed')`); err != nil {
		t.Fatal(err)
	}
}

func deref(p *int64) any {
	if p == nil {
		return "none"
	}
	return *p
}

func lower(tags []string) []string {
	out := make([]string, len(tags))
	for i, t := range tags {
		out[i] = strings.ToLower(t)
	}
	return out
}

func userIDs(t *testing.T, st *store.Store) []int64 {
	rows, err := st.DB().Query(`SELECT id FROM users ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		rows.Scan(&id)
		ids = append(ids, id)
	}
	return ids
}

// A --core-only sandbox sends its webhooks to `respondctl listen`; after `mirror sync` and
// random mutations and incoming messages through the API, the mirror agrees with the
// sandbox's own store on every contact and every view, also when deliveries are duplicated
// and reordered on purpose.
func TestMirrorMatchesSandbox(t *testing.T) {
	t.Parallel()
	contacts, mutations := 300, 1000
	if testing.Short() {
		contacts, mutations = 60, 150
	}
	for _, tc := range []struct{ name, faults string }{
		{"clean", ""},
		{"duplicate-and-reorder", "duplicate=0.1,reorder=0.1,delay=0.02,delay-for=50ms,seed=3"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			addr := freeAddr(t)
			c := newCLI(t, "", "")
			lcmd, lerr := startListen(t, c, addr)
			srv := startSandbox(t, sandbox.Options{Seed: fmt.Sprintf("large:%d", contacts), CoreOnly: true, Rate: 500,
				Webhook: sandbox.WebhookOptions{URL: "http://" + addr + "/hooks", Key: hookKey, Faults: tc.faults}})
			c.api, c.token = srv.URL(), srv.Token()
			coreOnly(t, srv.Store())
			if r := c.run(2*time.Minute, "", "mirror", "sync", "--messages", "all"); r.Code != 0 {
				t.Fatalf("mirror sync:\n%s", r)
			}
			users := userIDs(t, srv.Store())
			mu := &mutator{t: t, base: srv.URL(), token: srv.Token(), rng: rand.New(rand.NewPCG(7, uint64(len(tc.faults)))), n: contacts, users: users}
			applied := 0
			for i := 0; i < mutations; i++ {
				if mu.one() {
					applied++
				}
			}
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			defer cancel()
			if err := srv.WaitWebhooks(ctx); err != nil {
				t.Fatalf("webhooks not delivered: %+v", srv.WebhookStats())
			}
			ws := srv.WebhookStats()
			if ws.Failed > 0 || ws.Disabled {
				t.Fatalf("deliveries failed: %+v\n%s", ws, lerr)
			}
			if tc.faults != "" && (ws.Duplicated == 0 || ws.Reordered == 0) {
				t.Fatalf("faults not exercised: %+v", ws)
			}
			m := openMirrorOf(t, c)
			compare(t, srv.Store(), m, contacts, users)
			var events int
			m.DB().QueryRow(`SELECT COUNT(*) FROM events`).Scan(&events)
			if events != ws.Queued-1 { // minus the test ping
				t.Errorf("mirror holds %d events, sandbox sent %d distinct", events, ws.Queued-1)
			}
			t.Logf("%d mutations applied of %d; webhooks %+v", applied, mutations, ws)
			if tc.faults == "" {
				readCommandsUseMirror(t, c, srv, m)
			}
			stopListen(t, lcmd, lerr)
			if tc.faults == "" {
				// No listener: the mirror goes stale at once and views pages the API again.
				r := c.run(time.Minute, "", "views", "-o", "json")
				if r.Code != 0 || !strings.Contains(r.Stderr, "source: api (mirror not fed") || !strings.Contains(r.Stdout, `"source":"api"`) {
					t.Errorf("views without a listener:\n%s", r)
				}
			}
			if !strings.Contains(lerr.String(), "[200] test ping") {
				t.Errorf("no test ping in the listener's log:\n%s", lerr)
			}
		})
	}
}

// kill -9 of the listener in the middle of a stream, then a restart: the sandbox's retries
// deliver what the dead listener missed, and nothing is stored or counted twice. Forged,
// unsigned, truncated and oversized bodies are refused and never stored.
func TestMirrorListenerKill9(t *testing.T) {
	t.Parallel()
	contacts, mutations := 200, 600
	if testing.Short() {
		contacts, mutations = 40, 120
	}
	addr := freeAddr(t)
	c := newCLI(t, "", "")
	lcmd, lerr := startListen(t, c, addr)
	srv := startSandbox(t, sandbox.Options{Seed: fmt.Sprintf("large:%d", contacts), CoreOnly: true, Rate: 500,
		Webhook: sandbox.WebhookOptions{URL: "http://" + addr + "/hooks", Key: hookKey, MaxAttempts: 40, Backoff: 20 * time.Millisecond}})
	c.api, c.token = srv.URL(), srv.Token()
	coreOnly(t, srv.Store())
	if r := c.run(2*time.Minute, "", "mirror", "sync", "--messages", "all"); r.Code != 0 {
		t.Fatalf("mirror sync:\n%s", r)
	}
	users := userIDs(t, srv.Store())
	mu := &mutator{t: t, base: srv.URL(), token: srv.Token(), rng: rand.New(rand.NewPCG(11, 13)), n: contacts, users: users}
	for i := 0; i < mutations; i++ {
		mu.one()
		if i == mutations/2 {
			lcmd.Process.Kill() // SIGKILL: no drain, no goodbye
			lcmd.Wait()
			if !strings.Contains(lerr.String(), "[200]") {
				t.Fatalf("listener had stored nothing before the kill:\n%s", lerr)
			}
		}
		if i == mutations/2+mutations/10 {
			lcmd, lerr = startListen(t, c, addr)
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := srv.WaitWebhooks(ctx); err != nil {
		t.Fatalf("webhooks not delivered: %+v", srv.WebhookStats())
	}
	ws := srv.WebhookStats()
	if ws.Failed > 0 || ws.Attempts <= ws.Delivered {
		t.Fatalf("want retries and no loss: %+v", ws)
	}
	m := openMirrorOf(t, c)
	compare(t, srv.Store(), m, contacts, users)
	var events, raws int
	m.DB().QueryRow(`SELECT COUNT(*) FROM events`).Scan(&events)
	m.DB().QueryRow(`SELECT COUNT(*) FROM raw`).Scan(&raws)
	if events != ws.Queued-1 || raws != events {
		t.Fatalf("mirror holds %d events and %d raw bodies, sandbox sent %d distinct", events, raws, ws.Queued-1)
	}

	// Hostile bodies against the real binary: refused, never stored.
	body := []byte(`{"event_type":"contact.assignee.updated","event_id":"forged-1","contact":{"id":1,"status":"open","assignee":null}}`)
	big := append([]byte(`{"event_type":"contact.updated","event_id":"big","pad":"`), bytes.Repeat([]byte("a"), webhook.MaxBodyBytes)...)
	big = append(big, `"}`...)
	for _, hb := range []struct {
		name string
		body []byte
		sig  string
		want int
	}{
		{"unsigned", body, "", 401},
		{"forged", body, webhook.Sign("not-the-key", body), 401},
		{"truncated", body[:len(body)/2], webhook.Sign(hookKey, body), 401},
		{"oversized", big, webhook.Sign(hookKey, big), 413},
	} {
		req, _ := http.NewRequest(http.MethodPost, "http://"+addr+"/hooks", bytes.NewReader(hb.body))
		if hb.sig != "" {
			req.Header.Set(webhook.SignatureHeader, hb.sig)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatalf("%s: %v", hb.name, err)
		}
		resp.Body.Close()
		if resp.StatusCode != hb.want {
			t.Errorf("%s: status %d, want %d", hb.name, resp.StatusCode, hb.want)
		}
	}
	var after int
	m.DB().QueryRow(`SELECT COUNT(*) FROM raw`).Scan(&after)
	if after != raws {
		t.Errorf("hostile bodies stored: %d raw bodies, was %d", after, raws)
	}
	stopListen(t, lcmd, lerr)
}

// readCommandsUseMirror: on the core-only server with a fresh listener, views, contacts list
// and conversation show answer from the mirror and say so.
func readCommandsUseMirror(t *testing.T, c *cli, srv *sandbox.Server, m *mirror.Mirror) {
	t.Helper()
	if r := c.run(time.Minute, "", "config", "set", "me", "1"); r.Code != 0 {
		t.Fatalf("config set me:\n%s", r)
	}
	r := c.run(time.Minute, "", "views", "-o", "json")
	if r.Code != 0 || !strings.Contains(r.Stderr, "source: mirror, ") {
		t.Fatalf("views from the mirror:\n%s", r)
	}
	var views []map[string]any
	if err := json.Unmarshal([]byte(r.Stdout), &views); err != nil {
		t.Fatalf("views JSON: %v\n%s", err, r.Stdout)
	}
	open := apiclient.FieldCondition("status", apiclient.OpIsEqualTo, "open")
	for _, v := range views {
		if v["source"] != "mirror" || v["awaitingReply"] == nil {
			t.Errorf("view record %v", v)
		}
		if v["name"] == "All" {
			want, _ := m.Count(context.Background(), apiclient.ContactListRequest{Filter: &apiclient.Filter{And: []apiclient.Condition{open}}})
			raw, _ := json.Marshal(apiclient.Filter{And: []apiclient.Condition{open}})
			st, _, _ := srv.Store().CountContacts(context.Background(), store.ContactQuery{Filter: raw, Ext: true})
			if v["count"] != float64(want.Count) || int64(want.Count) != st {
				t.Errorf("All: views says %v, mirror %d, sandbox %d", v["count"], want.Count, st)
			}
		}
	}
	r = c.run(time.Minute, "", "contacts", "list", "--limit", "5", "-o", "json")
	if r.Code != 0 || !strings.Contains(r.Stdout, `"awaitingReply"`) || !strings.Contains(r.Stdout, `"source":"mirror"`) {
		t.Errorf("contacts list from the mirror:\n%s", r)
	}
	var rows []struct {
		ID              int64   `json:"id"`
		LastMessageTime *string `json:"lastMessageTime"`
	}
	json.Unmarshal([]byte(r.Stdout), &rows)
	for i := 1; i < len(rows); i++ {
		if rows[i].LastMessageTime != nil && (rows[i-1].LastMessageTime == nil || *rows[i-1].LastMessageTime < *rows[i].LastMessageTime) {
			t.Errorf("contacts list not most recent first: %+v", rows)
		}
	}
	r = c.run(time.Minute, "", "mirror", "status", "-o", "json")
	var st map[string]any
	if r.Code != 0 || json.Unmarshal([]byte(r.Stdout), &st) != nil || st["heartbeat"] == float64(0) || st["syncedAt"] == float64(0) ||
		st["messagesSyncedAt"] == float64(0) || st["events"] == float64(0) {
		t.Errorf("mirror status:\n%s", r)
	}
	if r := c.run(time.Minute, "", "mirror", "prune", "--older-than", "soon"); r.Code != 2 {
		t.Errorf("prune with a bad age:\n%s", r)
	}
	if r := c.run(time.Minute, "", "mirror", "prune", "--older-than", "90d"); r.Code != 0 || !strings.Contains(r.Stderr, "Pruned 0 events") {
		t.Errorf("prune:\n%s", r)
	}
	var contactID int64
	m.DB().QueryRow(`SELECT contact_id FROM events WHERE category = 'assignment' ORDER BY seq DESC LIMIT 1`).Scan(&contactID)
	r = c.run(time.Minute, "", "conversation", "show", fmt.Sprint(contactID), "--all", "-o", "json")
	if r.Code != 0 || !strings.Contains(r.Stdout, `"kind":"event"`) || !strings.Contains(r.Stdout, `"category":"assignment"`) {
		t.Errorf("conversation show with mirror events:\n%s", r)
	}
}
