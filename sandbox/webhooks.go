package sandbox

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	mrand "math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// WebhookEventTypes are the event types the sandbox sends (all of the contract's but
// call.ended, which has no sandbox counterpart).
var WebhookEventTypes = []string{"message.received", "message.sent", "contact.created", "contact.updated",
	"contact.tag.updated", "contact.assignee.updated", "contact.lifecycle.updated", "conversation.opened",
	"conversation.closed", "comment.created"}

// WebhookOptions configures the outgoing webhooks, as a workspace's Settings > Webhooks would.
type WebhookOptions struct {
	URL    string   // "" = no webhooks
	Events []string // event types to send; empty = all
	Key    string   // signing key; "" = generated (see Server.WebhookKey)
	// Faults: "duplicate=P,reorder=P,delay=P,delay-for=DUR,seed=N" (P in 0..1).
	Faults string
	// MaxAttempts per delivery (default 8) with backoff from Backoff (default 100ms, doubling,
	// capped at 5s); after DisableAfter deliveries in a row fail every attempt (default 5)
	// the webhook is disabled, as the platform does.
	MaxAttempts  int
	Backoff      time.Duration
	DisableAfter int
}

// WebhookStats counts deliveries.
type WebhookStats struct {
	Queued, Delivered, Attempts, Failed, Duplicated, Reordered, Delayed int
	Disabled                                                            bool
}

type hookFaults struct {
	duplicate, reorder, delay float64
	delayFor                  time.Duration
	seed                      uint64
}

// ParseWebhookFaults reads the --webhook-faults spec.
func ParseWebhookFaults(spec string) (hookFaults, error) {
	f := hookFaults{delayFor: 300 * time.Millisecond, seed: 1}
	if strings.TrimSpace(spec) == "" {
		return f, nil
	}
	for _, part := range strings.Split(spec, ",") {
		k, v, ok := strings.Cut(strings.TrimSpace(part), "=")
		if !ok {
			return f, fmt.Errorf("webhook-faults: %q is not key=value", part)
		}
		switch k {
		case "duplicate", "reorder", "delay":
			p, err := strconv.ParseFloat(v, 64)
			if err != nil || p < 0 || p > 1 {
				return f, fmt.Errorf("webhook-faults: %s must be a probability between 0 and 1", k)
			}
			switch k {
			case "duplicate":
				f.duplicate = p
			case "reorder":
				f.reorder = p
			default:
				f.delay = p
			}
		case "delay-for":
			d, err := time.ParseDuration(v)
			if err != nil || d < 0 || d > time.Minute {
				return f, fmt.Errorf("webhook-faults: delay-for must be a duration up to 1m")
			}
			f.delayFor = d
		case "seed":
			n, err := strconv.ParseUint(v, 10, 64)
			if err != nil {
				return f, fmt.Errorf("webhook-faults: seed must be a non-negative integer")
			}
			f.seed = n
		default:
			return f, fmt.Errorf("webhook-faults: unknown key %q (duplicate, reorder, delay, delay-for, seed)", k)
		}
	}
	return f, nil
}

// GenerateWebhookKey returns a key shaped like the platform's: 44 base64 characters.
func GenerateWebhookKey() string {
	b := make([]byte, 32)
	rand.Read(b)
	return base64.StdEncoding.EncodeToString(b)
}

type delivery struct {
	body []byte
	sig  string
	what string
}

// webhooks is the sandbox's sender: one ordered queue, one worker, retries with backoff.
type webhooks struct {
	opts   WebhookOptions
	faults hookFaults
	events map[string]bool
	client *http.Client
	logf   func(string, ...any)

	mu     sync.Mutex // orders snapshot, timestamp and enqueue (see emit)
	lastMS int64

	queue   chan delivery
	stop    chan struct{}
	done    chan struct{}
	statsMu sync.Mutex
	stats   WebhookStats
	pending int
	streak  int // deliveries in a row that failed every attempt
	idle    *sync.Cond
	rng     *mrand.Rand
}

func newWebhooks(opts WebhookOptions, logf func(string, ...any)) (*webhooks, error) {
	f, err := ParseWebhookFaults(opts.Faults)
	if err != nil {
		return nil, err
	}
	if opts.MaxAttempts <= 0 {
		opts.MaxAttempts = 8
	}
	if opts.Backoff <= 0 {
		opts.Backoff = 100 * time.Millisecond
	}
	if opts.DisableAfter <= 0 {
		opts.DisableAfter = 5
	}
	w := &webhooks{opts: opts, faults: f, client: &http.Client{Timeout: 10 * time.Second}, logf: logf,
		queue: make(chan delivery, 1<<16), stop: make(chan struct{}), done: make(chan struct{}),
		rng: mrand.New(mrand.NewPCG(f.seed, f.seed^0x9e3779b97f4a7c15))}
	w.idle = sync.NewCond(&w.statsMu)
	if len(opts.Events) > 0 {
		w.events = map[string]bool{}
		for _, e := range opts.Events {
			w.events[strings.TrimSpace(e)] = true
		}
	}
	go w.run()
	// The platform's "Send test": a body without event_type.
	w.enqueue(delivery{body: []byte(`{"event":"message","data":"test"}`), what: "test ping"})
	return w, nil
}

func (w *webhooks) sign(body []byte) string {
	m := hmac.New(sha256.New, []byte(w.opts.Key))
	m.Write(body)
	return base64.StdEncoding.EncodeToString(m.Sum(nil))
}

func eventID() string {
	b := make([]byte, 16)
	rand.Read(b)
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	h := hex.EncodeToString(b)
	return h[:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}

// nextMS is the change's time in milliseconds, strictly increasing so that a receiver can
// order any two changes, even of the same millisecond. Called with mu held.
func (w *webhooks) nextMS(now time.Time) int64 {
	ms := now.UnixMilli()
	if ms <= w.lastMS {
		ms = w.lastMS + 1
	}
	w.lastMS = ms
	return ms
}

// build marshals one event: event_type and event_id first, then a top-level timestamp
// (milliseconds; the platform's contact.* events carry none, the sandbox adds it so
// reordered deliveries can be ordered), then the event's objects. Called with mu held.
func (w *webhooks) build(eventType string, ms int64, objects map[string]any) ([]byte, bool) {
	if w.events != nil && !w.events[eventType] {
		return nil, false
	}
	var buf bytes.Buffer
	fmt.Fprintf(&buf, `{"event_type":%q,"event_id":%q,"timestamp":%d`, eventType, eventID(), ms)
	keys := make([]string, 0, len(objects))
	for k := range objects {
		keys = append(keys, k)
	}
	sortStrings(keys)
	for _, k := range keys {
		b, err := json.Marshal(objects[k])
		if err != nil {
			return nil, false
		}
		fmt.Fprintf(&buf, `,%q:%s`, k, b)
	}
	buf.WriteByte('}')
	return buf.Bytes(), true
}

func sortStrings(s []string) {
	for i := 1; i < len(s); i++ {
		for j := i; j > 0 && s[j] < s[j-1]; j-- {
			s[j], s[j-1] = s[j-1], s[j]
		}
	}
}

func (w *webhooks) enqueue(d delivery) {
	w.statsMu.Lock()
	if w.stats.Disabled {
		w.statsMu.Unlock()
		return
	}
	w.stats.Queued++
	w.pending++
	w.statsMu.Unlock()
	d.sig = w.sign(d.body)
	w.queue <- d
}

func (w *webhooks) settle(fn func(*WebhookStats)) {
	w.statsMu.Lock()
	fn(&w.stats)
	w.statsMu.Unlock()
}

func (w *webhooks) finished() {
	w.statsMu.Lock()
	w.pending--
	if w.pending == 0 {
		w.idle.Broadcast()
	}
	w.statsMu.Unlock()
}

// run delivers in order, applying the faults: a reordered delivery is held back and sent
// after the next one, a duplicated one is sent twice, a delayed one waits delay-for.
func (w *webhooks) run() {
	defer close(w.done)
	var held *delivery
	for {
		var d delivery
		var ok bool
		if held != nil {
			select {
			case d, ok = <-w.queue:
			case <-time.After(100 * time.Millisecond): // nothing to swap with: send it
				w.deliver(*held)
				held = nil
				continue
			case <-w.stop:
				w.deliver(*held)
				return
			}
		} else {
			select {
			case d, ok = <-w.queue:
			case <-w.stop:
				return
			}
		}
		if !ok {
			return
		}
		if held == nil && w.faults.reorder > 0 && w.rng.Float64() < w.faults.reorder {
			w.settle(func(s *WebhookStats) { s.Reordered++ })
			held = &d
			continue
		}
		w.deliver(d)
		if held != nil {
			w.deliver(*held)
			held = nil
		}
	}
}

func (w *webhooks) deliver(d delivery) {
	defer w.finished()
	if w.faults.delay > 0 && w.rng.Float64() < w.faults.delay {
		w.settle(func(s *WebhookStats) { s.Delayed++ })
		select {
		case <-time.After(w.faults.delayFor):
		case <-w.stop:
		}
	}
	times := 1
	if w.faults.duplicate > 0 && w.rng.Float64() < w.faults.duplicate {
		w.settle(func(s *WebhookStats) { s.Duplicated++ })
		times = 2
	}
	for i := 0; i < times; i++ {
		if !w.attempts(d) {
			return
		}
	}
}

// attempts posts d until it gets a 200, backing off between attempts.
func (w *webhooks) attempts(d delivery) bool {
	w.statsMu.Lock()
	disabled := w.stats.Disabled
	w.statsMu.Unlock()
	if disabled {
		return false
	}
	backoff := w.opts.Backoff
	var last string
	for n := 1; n <= w.opts.MaxAttempts; n++ {
		w.settle(func(s *WebhookStats) { s.Attempts++ })
		status, err := w.post(d)
		if err == nil && status == http.StatusOK {
			w.settle(func(s *WebhookStats) { s.Delivered++; w.streak = 0 })
			return true
		}
		last = fmt.Sprintf("status %d", status)
		if err != nil {
			last = "connection failed"
		}
		select {
		case <-time.After(backoff):
		case <-w.stop:
			return false
		}
		backoff = min(backoff*2, 5*time.Second)
	}
	var disabledNow bool
	w.settle(func(s *WebhookStats) {
		s.Failed++
		w.streak++
		if w.streak >= w.opts.DisableAfter {
			s.Disabled, disabledNow = true, true
		}
	})
	w.logf("webhook %s not delivered after %d attempts (%s)", d.what, w.opts.MaxAttempts, last)
	if disabledNow {
		w.logf("webhook disabled after %d failed deliveries in a row", w.opts.DisableAfter)
	}
	return false
}

func (w *webhooks) post(d delivery) (int, error) {
	req, err := http.NewRequest(http.MethodPost, w.opts.URL, bytes.NewReader(d.body))
	if err != nil {
		return 0, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Webhook-Signature", d.sig)
	resp, err := w.client.Do(req)
	if err != nil {
		return 0, err
	}
	io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<16))
	resp.Body.Close()
	return resp.StatusCode, nil
}

// wait blocks until every queued delivery is settled (delivered or given up) or ctx ends.
func (w *webhooks) wait(ctx context.Context) error {
	stopWake := context.AfterFunc(ctx, func() {
		w.statsMu.Lock()
		w.idle.Broadcast()
		w.statsMu.Unlock()
	})
	defer stopWake()
	w.statsMu.Lock()
	defer w.statsMu.Unlock()
	for w.pending > 0 && ctx.Err() == nil {
		w.idle.Wait()
	}
	return ctx.Err()
}

func (w *webhooks) close(grace time.Duration) {
	ctx, cancel := context.WithTimeout(context.Background(), grace)
	defer cancel()
	w.wait(ctx)
	close(w.stop)
	<-w.done
}
