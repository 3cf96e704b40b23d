package sandbox

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

type hookSink struct {
	mu     sync.Mutex
	bodies []string
	sigs   []string
	status int
}

func (h *hookSink) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	b, _ := io.ReadAll(r.Body)
	h.mu.Lock()
	defer h.mu.Unlock()
	h.bodies = append(h.bodies, string(b))
	h.sigs = append(h.sigs, r.Header.Get("X-Webhook-Signature"))
	if h.status != 0 {
		w.WriteHeader(h.status)
	}
}

func TestWebhookShapesAndSignatures(t *testing.T) {
	t.Parallel() // its own sandbox
	sink := &hookSink{}
	ts := httptest.NewServer(sink)
	defer ts.Close()
	e := start(t, Options{Seed: "demo", CoreOnly: true, Webhook: WebhookOptions{URL: ts.URL, Key: "secret"}})
	for _, c := range []struct {
		path string
		body any
	}{
		{"/contact/id:1/conversation/assignee", map[string]any{"assignee": 1}},
		{"/contact/id:1/conversation/status", map[string]any{"status": "close", "category": "Resolved", "summary": "ok"}},
		{"/contact/id:1/conversation/status", map[string]any{"status": "open"}},
		{"/contact/id:1/comment", map[string]any{"text": "called"}},
		{"/contact/id:1/message", map[string]any{"message": map[string]any{"type": "text", "text": "hi"}}},
		{"/sandbox/simulate/incoming", map[string]any{"contactId": 1, "message": map[string]any{"type": "text", "text": "yo"}}},
	} {
		if r := e.do("POST", c.path, c.body); r.status != 200 {
			t.Fatalf("%s: %d %s", c.path, r.status, r.body)
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := e.srv.WaitWebhooks(ctx); err != nil {
		t.Fatal(err)
	}
	sink.mu.Lock()
	defer sink.mu.Unlock()
	want := []string{"", "contact.assignee.updated", "conversation.closed", "conversation.opened", "comment.created", "message.sent", "message.received"}
	if len(sink.bodies) != len(want) {
		t.Fatalf("got %d webhooks: %q", len(sink.bodies), sink.bodies)
	}
	var lastTS float64
	for i, body := range sink.bodies {
		m := hmac.New(sha256.New, []byte("secret"))
		m.Write([]byte(body))
		if sink.sigs[i] != base64.StdEncoding.EncodeToString(m.Sum(nil)) {
			t.Errorf("webhook %d: bad signature", i)
		}
		var obj map[string]any
		if err := json.Unmarshal([]byte(body), &obj); err != nil || strings.Contains(body, ": ") {
			t.Fatalf("webhook %d not compact JSON: %s", i, body)
		}
		if obj["event_type"] != nil && obj["event_type"] != want[i] || (want[i] == "" && obj["event_type"] != nil) {
			t.Errorf("webhook %d: event_type %v, want %q", i, obj["event_type"], want[i])
		}
		if i == 0 {
			continue // the test ping
		}
		if id, _ := obj["event_id"].(string); len(id) != 36 {
			t.Errorf("webhook %d: event_id %v", i, obj["event_id"])
		}
		ts, _ := obj["timestamp"].(float64)
		if ts <= lastTS {
			t.Errorf("webhook %d: timestamp %v not after %v", i, ts, lastTS)
		}
		lastTS = ts
		if c, _ := obj["contact"].(map[string]any); c["id"] != float64(1) || c["lastMessageTime"] != nil {
			t.Errorf("webhook %d: contact %v", i, c)
		}
		switch want[i] {
		case "conversation.closed":
			conv := obj["conversation"].(map[string]any)
			if conv["category"] != "Resolved" || conv["summary"] != "ok" || conv["closedBySource"] != "api" {
				t.Errorf("closed: %v", conv)
			}
		case "message.sent", "message.received":
			msg := obj["message"].(map[string]any)
			inner, _ := msg["message"].(map[string]any)
			if inner["type"] != "text" || msg["timestamp"] == nil {
				t.Errorf("%s: message %v", want[i], msg)
			}
			if _, isString := obj["channel"].(map[string]any)["meta"].(string); !isString {
				t.Errorf("%s: channel.meta is not a JSON string: %v", want[i], obj["channel"])
			}
		case "comment.created":
			if obj["text"] != "called" {
				t.Errorf("comment: %v", obj)
			}
		}
	}
}

func TestWebhookDisabledAfterRepeatedFailures(t *testing.T) {
	t.Parallel()                                   // its own sandbox
	sink := &hookSink{status: http.StatusAccepted} // 202 is a failure too
	ts := httptest.NewServer(sink)
	defer ts.Close()
	e := start(t, Options{Seed: "demo", CoreOnly: true, Webhook: WebhookOptions{URL: ts.URL, Key: "k",
		MaxAttempts: 2, Backoff: time.Millisecond, DisableAfter: 2}})
	for i := 0; i < 4; i++ {
		e.do("POST", "/contact/id:1/comment", map[string]any{"text": "x"})
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := e.srv.WaitWebhooks(ctx); err != nil {
		t.Fatal(err)
	}
	st := e.srv.WebhookStats()
	if !st.Disabled || st.Delivered != 0 || st.Failed != 2 || st.Attempts != 4 {
		t.Fatalf("stats %+v", st)
	}
}

func TestParseWebhookFaults(t *testing.T) {
	f, err := ParseWebhookFaults("duplicate=0.1,reorder=0.2,delay=0.05,delay-for=10ms,seed=3")
	if err != nil || f.duplicate != 0.1 || f.reorder != 0.2 || f.delay != 0.05 || f.delayFor != 10*time.Millisecond || f.seed != 3 {
		t.Fatalf("%+v %v", f, err)
	}
	for _, bad := range []string{"duplicate=2", "nope=1", "reorder", "delay-for=2h", "seed=-1"} {
		if _, err := ParseWebhookFaults(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}
