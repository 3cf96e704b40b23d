package faults

import (
	"bytes"
	"context"
	"errors"
	"io"
	"math"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
)

func mustParse(t *testing.T, s string) Spec {
	t.Helper()
	spec, err := Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return spec
}

func decisions(in *Injector, n int) []Decision {
	out := make([]Decision, n)
	for i := range out {
		out[i] = in.decide()
	}
	return out
}

func TestSameSeedSameDecisions(t *testing.T) {
	spec := mustParse(t, "500=0.1,502=0.1,503=0.1,429=0.1,reset=0.2,latency=10ms..50ms,seed=42")
	a := decisions(New(spec, nil), 2000)
	b := decisions(New(spec, nil), 2000)
	for i := range a {
		if a[i] != b[i] {
			t.Fatalf("decision %d differs for the same seed: %+v vs %+v", i, a[i], b[i])
		}
	}
	spec.Seed = 43
	c := decisions(New(spec, nil), 2000)
	same := 0
	for i := range a {
		if a[i] == c[i] {
			same++
		}
	}
	if same == len(a) {
		t.Fatal("seeds 42 and 43 gave identical sequences")
	}
}

func TestDecisionFrequencies(t *testing.T) {
	spec := mustParse(t, "500=0.05,502=0.02,503=0.01,429=0.05,reset=0.2,seed=7")
	in := New(spec, nil)
	const n = 50000
	decisions(in, n)
	s := in.Stats()
	for _, c := range []struct {
		name string
		got  int64
		p    float64
	}{
		{"500", s.InternalError, 0.05}, {"502", s.BadGateway, 0.02}, {"503", s.Unavailable, 0.01},
		{"429", s.TooManyRequests, 0.05}, {"reset-before", s.ResetBefore, 0.1}, {"reset-after", s.ResetAfter, 0.1},
		{"none", s.Passed, 0.67},
	} {
		// Five standard deviations: fails by chance far less than once in a million runs
		// (and never for this fixed seed).
		tolerance := 5 * math.Sqrt(n*c.p*(1-c.p))
		if math.Abs(float64(c.got)-n*c.p) > tolerance {
			t.Errorf("%s: %d of %d, expected about %.0f", c.name, c.got, n, n*c.p)
		}
	}
	if s.Requests != n || s.Injected()+s.Passed != n || s.Delayed != 0 {
		t.Errorf("stats do not add up: %+v", s)
	}
}

// Adding the 449 fault must not change the decisions of specs written before it.
func TestQueuedLeavesOlderSequencesAlone(t *testing.T) {
	old := decisions(New(mustParse(t, "500=0.1,reset=0.2,seed=9"), nil), 500)
	with := decisions(New(mustParse(t, "500=0.1,reset=0.2,449=0.3,seed=9"), nil), 500)
	queued := 0
	for i := range old {
		if with[i].Fault == Queued {
			queued++
			if old[i].Fault != None {
				t.Fatalf("decision %d: 449 replaced %v", i, old[i].Fault)
			}
			continue
		}
		if with[i] != old[i] {
			t.Fatalf("decision %d changed: %+v vs %+v", i, old[i], with[i])
		}
	}
	if queued < 100 || queued > 200 {
		t.Errorf("449 drawn %d times of 500 at p=0.3", queued)
	}
}

func TestLatencyWithinBounds(t *testing.T) {
	in := New(mustParse(t, "latency=20ms..300ms"), nil)
	var lo, hi time.Duration = time.Hour, 0
	for _, d := range decisions(in, 5000) {
		if d.Latency < 20*time.Millisecond || d.Latency > 300*time.Millisecond {
			t.Fatalf("latency %v outside 20ms..300ms", d.Latency)
		}
		lo, hi = min(lo, d.Latency), max(hi, d.Latency)
	}
	if lo > 30*time.Millisecond || hi < 290*time.Millisecond {
		t.Errorf("latencies %v..%v do not spread over the range", lo, hi)
	}
	for _, d := range decisions(New(mustParse(t, "latency=75ms"), nil), 100) {
		if d.Latency != 75*time.Millisecond {
			t.Fatalf("fixed latency gave %v", d.Latency)
		}
	}
}

// testServer runs an injector in front of a handler that counts calls and
// drains the body, on a real HTTP/1.1 server on 127.0.0.1.
type testServer struct {
	*httptest.Server
	injector *Injector
	applied  atomic.Int64 // calls of the wrapped handler
	client   *http.Client
}

func newTestServer(t *testing.T, spec string, opts ...Option) *testServer {
	t.Helper()
	ts := &testServer{}
	next := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		ts.applied.Add(1)
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"messageId":1}`))
	})
	ts.injector = New(mustParse(t, spec), next, opts...)
	ts.Server = httptest.NewServer(ts.injector)
	t.Cleanup(ts.Close)
	// Fresh connections: Go's transport would silently retry a request that
	// fails on a reused connection, hiding the fault from the test.
	ts.client = &http.Client{Transport: &http.Transport{DisableKeepAlives: true}, Timeout: 10 * time.Second}
	return ts
}

func (ts *testServer) post(t *testing.T, body string) (*http.Response, []byte, error) {
	t.Helper()
	res, err := ts.client.Post(ts.URL+"/v2/contact/id:1/message", "application/json", strings.NewReader(body))
	if err != nil {
		return nil, nil, err
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatalf("reading body: %v", err)
	}
	return res, b, nil
}

func TestCannedResponsesOverHTTP(t *testing.T) {
	for _, c := range []struct {
		spec, contentType, body, retryAfter string
		status                              int
	}{
		{"500=1", "application/json", `{"code":500,"message":"Internal server error"}`, "", 500},
		{"502=1", "text/html", badGatewayPage, "", 502},
		{"503=1", "application/json", `{"code":503,"message":"Service unavailable"}`, "", 503},
		{"429=1", "application/json", `{"code":429,"message":"Too many requests"}`, "1", 429},
		{"449=1", "application/json", `{"code":449,"message":"Request queued, retry later"}`, "1", 449},
	} {
		t.Run(c.spec, func(t *testing.T) {
			ts := newTestServer(t, c.spec)
			res, body, err := ts.post(t, `{"message":{"type":"text","text":"hi"}}`)
			if err != nil {
				t.Fatal(err)
			}
			if res.StatusCode != c.status || res.Header.Get("Content-Type") != c.contentType ||
				string(body) != c.body || res.Header.Get("Retry-After") != c.retryAfter {
				t.Fatalf("got %d %q Retry-After=%q body %q", res.StatusCode, res.Header.Get("Content-Type"),
					res.Header.Get("Retry-After"), body)
			}
			if n := ts.applied.Load(); n != 0 {
				t.Fatalf("wrapped handler called %d times, want 0", n)
			}
		})
	}
	t.Run("502 is an HTML page", func(t *testing.T) {
		if !strings.Contains(badGatewayPage, "<title>502 Bad Gateway</title>") || !strings.HasPrefix(badGatewayPage, "<html>") {
			t.Fatalf("502 page does not look like nginx's: %q", badGatewayPage)
		}
	})
}

func TestNoFaultPassesThrough(t *testing.T) {
	var slept []time.Duration
	var mu sync.Mutex
	ts := newTestServer(t, "latency=10ms..20ms", WithSleep(func(ctx context.Context, d time.Duration) error {
		mu.Lock()
		defer mu.Unlock()
		slept = append(slept, d)
		return nil
	}))
	for range 5 {
		res, body, err := ts.post(t, `{}`)
		if err != nil || res.StatusCode != 200 || string(body) != `{"messageId":1}` {
			t.Fatalf("got %v %v %s", res, err, body)
		}
	}
	if ts.applied.Load() != 5 || len(slept) != 5 {
		t.Fatalf("applied %d, slept %d times; want 5 and 5", ts.applied.Load(), len(slept))
	}
	for _, d := range slept {
		if d < 10*time.Millisecond || d > 20*time.Millisecond {
			t.Fatalf("slept %v, outside 10ms..20ms", d)
		}
	}
	if s := ts.injector.Stats(); s.Requests != 5 || s.Passed != 5 || s.Delayed != 5 || s.Injected() != 0 {
		t.Fatalf("stats %+v", s)
	}
}

func TestRealLatencyIsAtLeastTheMinimum(t *testing.T) {
	ts := newTestServer(t, "latency=30ms..40ms")
	start := time.Now()
	if _, _, err := ts.post(t, `{}`); err != nil {
		t.Fatal(err)
	}
	if elapsed := time.Since(start); elapsed < 30*time.Millisecond {
		t.Fatalf("request took %v, want at least 30ms", elapsed)
	}
}

func TestLatencyStopsWhenClientGoesAway(t *testing.T) {
	var applied atomic.Bool
	in := New(mustParse(t, "latency=1h"), http.HandlerFunc(func(http.ResponseWriter, *http.Request) { applied.Store(true) }))
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	done := make(chan struct{})
	go func() {
		defer close(done)
		in.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodPost, "/", nil).WithContext(ctx))
	}()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("latency sleep ignored the cancelled request context")
	}
	if applied.Load() {
		t.Fatal("wrapped handler ran for a request whose client went away")
	}
}

func TestResetOverHTTP(t *testing.T) {
	var mu sync.Mutex
	decided := map[string]Fault{}
	ts := newTestServer(t, "reset=1,seed=3", WithObserver(func(r *http.Request, d Decision) {
		mu.Lock()
		defer mu.Unlock()
		decided[r.Header.Get("X-Test-Seq")] = d.Fault
	}))
	seen := map[Fault]int{}
	big := strings.Repeat("x", 1<<20) // the whole body must be read before the reset
	for i := range 12 {
		seq := strconv.Itoa(i)
		body := `{}`
		if i%3 == 0 {
			body = big
		}
		req, _ := http.NewRequest(http.MethodPost, ts.URL+"/v2/contact/id:1/message", strings.NewReader(body))
		req.Header.Set("X-Test-Seq", seq)
		before := ts.applied.Load()
		res, err := ts.client.Do(req)
		if err == nil {
			res.Body.Close()
			t.Fatalf("request %d: got a response (%d), want a connection error", i, res.StatusCode)
		}
		var netErr interface{ Timeout() bool }
		if errors.As(err, &netErr) && netErr.Timeout() {
			t.Fatalf("request %d: timed out instead of being reset: %v", i, err)
		}
		if !errors.Is(err, syscall.ECONNRESET) && !errors.Is(err, io.EOF) && !errors.Is(err, io.ErrUnexpectedEOF) {
			t.Fatalf("request %d: %v, want connection reset or EOF", i, err)
		}
		mu.Lock()
		f := decided[seq]
		mu.Unlock()
		appliedNow := ts.applied.Load() - before
		switch f {
		case ResetBefore:
			if appliedNow != 0 {
				t.Fatalf("request %d: reset-before applied the change", i)
			}
		case ResetAfter:
			if appliedNow != 1 {
				t.Fatalf("request %d: reset-after applied the change %d times, want 1", i, appliedNow)
			}
		default:
			t.Fatalf("request %d: decision %v, want a reset", i, f)
		}
		seen[f]++
		t.Logf("request %d: %v -> %v", i, f, err)
	}
	if seen[ResetBefore] == 0 || seen[ResetAfter] == 0 {
		t.Fatalf("seed 3 gave %v; want both reset kinds within 12 requests", seen)
	}
	if s := ts.injector.Stats(); s.ResetBefore != int64(seen[ResetBefore]) || s.ResetAfter != int64(seen[ResetAfter]) {
		t.Fatalf("stats %+v disagree with observed %v", s, seen)
	}
}

func TestResetWithoutHijackerAborts(t *testing.T) {
	var applied int
	in := New(mustParse(t, "reset=1,seed=3"), http.HandlerFunc(func(http.ResponseWriter, *http.Request) { applied++ }))
	for range 10 {
		func() {
			defer func() {
				if p := recover(); p != http.ErrAbortHandler {
					t.Fatalf("recovered %v, want http.ErrAbortHandler", p)
				}
			}()
			in.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodPost, "/", bytes.NewReader([]byte("{}"))))
		}()
	}
	if s := in.Stats(); int64(applied) != s.ResetAfter || s.ResetBefore+s.ResetAfter != 10 {
		t.Fatalf("applied %d times; stats %+v", applied, s)
	}
}

func TestMiddlewareWithEmptySpecIsNext(t *testing.T) {
	next := http.NotFoundHandler()
	if _, ok := Middleware(mustParse(t, ""), next).(*Injector); ok {
		t.Fatal("empty spec still wrapped the handler")
	}
	if _, ok := Middleware(mustParse(t, "500=0.1"), next).(*Injector); !ok {
		t.Fatal("non-empty spec did not wrap the handler")
	}
}

func TestConcurrentRequests(t *testing.T) {
	ts := newTestServer(t, "500=0.2,502=0.1,429=0.1,seed=9")
	var wg sync.WaitGroup
	var statuses [600]atomic.Int64
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 25 {
				res, _, err := ts.post(t, `{}`)
				if err != nil {
					t.Error(err)
					return
				}
				statuses[res.StatusCode].Add(1)
			}
		}()
	}
	wg.Wait()
	s := ts.injector.Stats()
	if s.Requests != 200 || statuses[200].Load() != s.Passed || statuses[500].Load() != s.InternalError ||
		statuses[502].Load() != s.BadGateway || statuses[429].Load() != s.TooManyRequests || ts.applied.Load() != s.Passed {
		t.Fatalf("stats %+v; 200=%d 500=%d 502=%d 429=%d applied=%d", s, statuses[200].Load(),
			statuses[500].Load(), statuses[502].Load(), statuses[429].Load(), ts.applied.Load())
	}
}

func TestFaultString(t *testing.T) {
	want := []string{"none", "500", "502", "503", "429", "reset-before", "reset-after", "449"}
	for i, w := range want {
		if got := Fault(i).String(); got != w {
			t.Errorf("Fault(%d) = %q, want %q", i, got, w)
		}
	}
	if got := Fault(99).String(); got != "fault(99)" {
		t.Errorf("Fault(99) = %q", got)
	}
}
