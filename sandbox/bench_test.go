package sandbox

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"sort"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/respondctl/respondctl/sandbox/store"
)

// Benchmarks run on a large:N database, N from SANDBOX_BENCH_N (default a
// small 2,000 so `go test -bench .` stays quick). The seed is built once per
// benchmark binary. Full run:
//
//	SANDBOX_BENCH_N=100000 go test ./sandbox -run '^$' -bench . -benchtime 200x
func benchN() int {
	if v, err := strconv.Atoi(os.Getenv("SANDBOX_BENCH_N")); err == nil && v > 0 {
		return v
	}
	return 2000
}

var (
	benchOnce    sync.Once
	benchSrv     *Server
	benchErr     error
	benchSeedDur time.Duration
)

func benchServer(b *testing.B) *Server {
	b.Helper()
	benchOnce.Do(func() {
		start := time.Now()
		benchSrv, benchErr = Start(context.Background(), Options{Seed: fmt.Sprintf("large:%d", benchN()), DBPath: ":memory:"})
		benchSeedDur = time.Since(start)
	})
	if benchErr != nil {
		b.Fatal(benchErr)
	}
	return benchSrv
}

// timed runs fn b.N times and reports the median and p95 latency.
func timed(b *testing.B, fn func() error) {
	b.Helper()
	durs := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		t0 := time.Now()
		if err := fn(); err != nil {
			b.Fatal(err)
		}
		durs = append(durs, time.Since(t0))
	}
	b.StopTimer()
	sort.Slice(durs, func(i, j int) bool { return durs[i] < durs[j] })
	b.ReportMetric(float64(durs[len(durs)/2].Microseconds())/1000, "ms-median")
	b.ReportMetric(float64(durs[len(durs)*95/100].Microseconds())/1000, "ms-p95")
}

func benchCall(s *Server, method, path string, body any, want func([]byte) error) func() error {
	var data []byte
	if body != nil {
		data, _ = json.Marshal(body)
	}
	return func() error {
		req, _ := http.NewRequest(method, s.URL()+path, bytes.NewReader(data))
		req.Header.Set("Authorization", "Bearer "+s.Token())
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			return err
		}
		out, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != 200 {
			return fmt.Errorf("%s %s: %d %s", method, path, res.StatusCode, out)
		}
		if want != nil {
			return want(out)
		}
		return nil
	}
}

func wantItems(n int) func([]byte) error {
	return func(b []byte) error {
		var p struct{ Items []json.RawMessage }
		if err := json.Unmarshal(b, &p); err != nil {
			return err
		}
		if len(p.Items) != n {
			return fmt.Errorf("got %d items, want %d", len(p.Items), n)
		}
		return nil
	}
}

var benchFilter = map[string]any{"search": "", "timezone": "UTC", "filter": map[string]any{"$and": []any{
	map[string]any{"category": "contactField", "field": "status", "operator": "isEqualTo", "value": "open"},
	map[string]any{"category": "contactField", "field": "assigneeUserId", "operator": "isEqualTo", "value": "1"},
}}}

// BenchmarkSeedLarge reports how long the shared large:N seed took (seeding,
// index build and server start); it seeds once per binary whatever b.N is.
func BenchmarkSeedLarge(b *testing.B) {
	benchServer(b)
	for i := 0; i < b.N; i++ {
	}
	b.ReportMetric(benchSeedDur.Seconds(), "s-seed")
	b.ReportMetric(float64(benchN()), "contacts")
}

func BenchmarkContactListFiltered(b *testing.B) {
	s := benchServer(b)
	timed(b, benchCall(s, "POST", "/contact/list?limit=20", benchFilter, wantItems(20)))
}

func BenchmarkContactListTagFilter(b *testing.B) {
	s := benchServer(b)
	body := map[string]any{"search": "", "filter": map[string]any{"$and": []any{
		map[string]any{"category": "contactTag", "field": nil, "operator": "hasAnyOf", "value": []string{"vip"}},
		map[string]any{"category": "contactField", "field": "unread", "operator": "isGreaterThan", "value": 0},
	}}}
	timed(b, benchCall(s, "POST", "/contact/list?limit=20", body, wantItems(20)))
}

func BenchmarkContactCount(b *testing.B) {
	s := benchServer(b)
	timed(b, benchCall(s, "POST", "/contact/count", benchFilter, nil))
}

// BenchmarkContactCountTag counts the seeded "VIP open" view: a tag condition, the
// slowest kind of count (one seek per tagged contact).
func BenchmarkContactCountTag(b *testing.B) {
	s := benchServer(b)
	timed(b, benchCall(s, "POST", "/contact/count", benchTagFilter, nil))
}

var benchTagFilter = map[string]any{"search": "", "filter": map[string]any{"$and": []any{
	map[string]any{"category": "contactTag", "field": nil, "operator": "hasAnyOf", "value": []string{"vip"}},
	map[string]any{"category": "contactField", "field": "status", "operator": "isEqualTo", "value": "open"},
}}}

func BenchmarkContactCountAll(b *testing.B) {
	s := benchServer(b)
	timed(b, benchCall(s, "POST", "/contact/count", map[string]any{"search": ""}, nil))
}

func BenchmarkMessagePage(b *testing.B) {
	s := benchServer(b)
	var first int64
	if err := s.Store().DB().QueryRow(`SELECT MAX(id) FROM messages WHERE contact_id = ?`, store.BigConversationContact).Scan(&first); err != nil {
		b.Fatal(err)
	}
	// A page from the middle of the 10,000-message conversation.
	path := fmt.Sprintf("/contact/id:%d/message/list?limit=50&cursorId=%d", store.BigConversationContact, first-5000)
	timed(b, benchCall(s, "GET", path, nil, wantItems(50)))
}

func TestMain(m *testing.M) {
	code := m.Run()
	if benchSrv != nil {
		fmt.Fprintf(os.Stderr, "bench seed large:%d took %s\n", benchN(), benchSeedDur.Round(time.Millisecond))
		benchSrv.Close()
	}
	os.Exit(code)
}
