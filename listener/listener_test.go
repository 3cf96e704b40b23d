package listener

import (
	"bytes"
	"context"
	"io"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/respondctl/respondctl/mirror"
	"github.com/respondctl/respondctl/webhook"
)

type harness struct {
	url    string
	mirror *mirror.Mirror
	l      *Listener
	log    *bytes.Buffer
	stop   func()
}

func start(t *testing.T, mod func(*Options)) *harness {
	t.Helper()
	m, err := mirror.Open(context.Background(), filepath.Join(t.TempDir(), "m.db"))
	if err != nil {
		t.Fatal(err)
	}
	keys, _ := webhook.NewKeys("k1", "k2")
	log := &bytes.Buffer{}
	opts := Options{Mirror: m, Keys: keys, Path: "/hooks", Log: &lockedWriter{w: log}}
	if mod != nil {
		mod(&opts)
	}
	l, err := New(opts)
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- l.Serve(ctx, ln, 5*time.Second) }()
	<-l.Ready()
	h := &harness{url: "http://" + ln.Addr().String() + "/hooks", mirror: m, l: l, log: log}
	var once sync.Once
	h.stop = func() {
		once.Do(func() {
			cancel()
			if err := <-done; err != nil {
				t.Errorf("Serve: %v", err)
			}
			m.Close()
		})
	}
	t.Cleanup(h.stop)
	return h
}

type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

func post(t *testing.T, url string, body []byte, sig string) int {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, url, bytes.NewReader(body))
	if sig != "" {
		req.Header.Set(webhook.SignatureHeader, sig)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode
}

const assignBody = `{"event_type":"contact.assignee.updated","event_id":"e-1","contact":{"id":5,"firstName":"A","status":"open","assignee":{"id":7}}}`

func TestListenerRefusesAndStores(t *testing.T) {
	h := start(t, nil)
	body := []byte(assignBody)
	big := append([]byte(`{"event_type":"contact.updated","event_id":"big","contact":{"id":6},"pad":"`), bytes.Repeat([]byte("x"), webhook.MaxBodyBytes)...)
	big = append(big, `"}`...)
	cases := []struct {
		name string
		body []byte
		sig  string
		want int
	}{
		{"unsigned", body, "", 401},
		{"forged", body, webhook.Sign("other", body), 401},
		{"truncated", body[:len(body)-3], webhook.Sign("k1", body), 401},
		{"oversized", big, webhook.Sign("k1", big), 413},
		{"signed garbage", []byte("not json"), webhook.Sign("k1", []byte("not json")), 400},
		{"ping", []byte(`{"event":"message","data":"test"}`), webhook.Sign("k2", []byte(`{"event":"message","data":"test"}`)), 200},
		{"event", body, webhook.Sign("k2", body), 200},
		{"duplicate", body, webhook.Sign("k1", body), 200},
	}
	for _, c := range cases {
		if got := post(t, h.url, c.body, c.sig); got != c.want {
			t.Errorf("%s: status %d, want %d", c.name, got, c.want)
		}
	}
	if got := post(t, strings.TrimSuffix(h.url, "/hooks")+"/other", body, webhook.Sign("k1", body)); got != 404 {
		t.Errorf("other path: %d", got)
	}
	st := h.l.Stats()
	if st.Stored != 1 || st.Duplicates != 1 || st.Pings != 1 || st.Refused != 5 {
		t.Errorf("stats %+v", st)
	}
	var raws int
	h.mirror.DB().QueryRow(`SELECT COUNT(*) FROM raw`).Scan(&raws)
	if raws != 1 {
		t.Errorf("%d raw bodies stored, want 1 (refused bodies never stored)", raws)
	}
	h.stop()
	for _, want := range []string{"[401] refused: unsigned", "[401] refused: bad signature", "[413] refused", "[200] test ping",
		"[200] contact.assignee.updated contact=5 assignee=7  e-1", "duplicate e-1"} {
		if !strings.Contains(h.log.String(), want) {
			t.Errorf("log lacks %q:\n%s", want, h.log)
		}
	}
}

func TestListenerForwardsAndHeartbeat(t *testing.T) {
	var mu sync.Mutex
	var got []string
	fails := 2
	target := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		if fails > 0 { // the script behind the listener is briefly down
			fails--
			w.WriteHeader(503)
			return
		}
		b, _ := io.ReadAll(r.Body)
		got = append(got, string(b)+"|"+r.Header.Get(webhook.SignatureHeader))
	})}
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	go target.Serve(ln)
	defer target.Close()
	jsonl := &bytes.Buffer{}
	h := start(t, func(o *Options) {
		o.ForwardTo = "http://" + ln.Addr().String() + "/"
		o.JSONL = &lockedWriter{w: jsonl}
	})
	st, _ := h.mirror.Status(context.Background())
	if !st.Fresh(time.Now(), time.Minute) {
		t.Fatalf("no heartbeat while listening: %+v", st)
	}
	sig := webhook.Sign("k1", []byte(assignBody))
	if post(t, h.url, []byte(assignBody), sig) != 200 {
		t.Fatal("not stored")
	}
	h.stop() // drains the forward queue
	mu.Lock()
	defer mu.Unlock()
	if len(got) != 1 || got[0] != assignBody+"|"+sig {
		t.Fatalf("forwarded %q", got)
	}
	if jsonl.String() != assignBody+"\n" {
		t.Fatalf("jsonl %q", jsonl)
	}
}

// Customer text in a webhook never reaches a terminal raw: the -o jsonl line keeps the data
// but writes C1 and bidi controls as \uXXXX escapes, and the event line makes an event id's
// escape sequence visible.
func TestListenerHostileTextIsInert(t *testing.T) {
	var jsonl bytes.Buffer
	h := start(t, func(o *Options) { o.JSONL = &lockedWriter{w: &jsonl} })
	body := []byte("{\"event_type\":\"contact.updated\",\"event_id\":\"e-\\u001b]0;pwned\\u0007\",\"contact\":{\"id\":5,\"firstName\":\"Ann\u202e\u009b2J\"}}")
	if got := post(t, h.url, body, webhook.Sign("k1", body)); got != 200 {
		t.Fatalf("status %d", got)
	}
	h.stop()
	out := jsonl.String() + h.log.String()
	for _, raw := range []string{"\x1b", "\u202e", "\u009b", "\x07"} {
		if strings.Contains(out, raw) {
			t.Errorf("raw %q reached the output:\n%q", raw, out)
		}
	}
	if !strings.Contains(jsonl.String(), `Ann\u202e\u009b2J`) {
		t.Errorf("jsonl line lost the data: %q", jsonl.String())
	}
}
