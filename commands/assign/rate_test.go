package assign_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/respondctl/respondctl/actions/acttest"
	"github.com/respondctl/respondctl/sandbox"
)

// requestLog records the sandbox's request log lines for one endpoint with their arrival times.
type requestLog struct {
	mu      sync.Mutex
	buf     []byte
	match   string
	times   []time.Time
	tooMany int
}

func (l *requestLog) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.buf = append(l.buf, p...)
	for {
		i := bytes.IndexByte(l.buf, '\n')
		if i < 0 {
			break
		}
		line := string(l.buf[:i])
		l.buf = l.buf[i+1:]
		if strings.Contains(line, l.match) {
			l.times = append(l.times, time.Now())
			if strings.Contains(line, " 429 ") {
				l.tooMany++
			}
		}
	}
	return len(p), nil
}

// stats is accepted (non-429) requests/s between the first and last request, and the share
// answered 429.
func (l *requestLog) stats() (n int, rate, share429 float64) {
	l.mu.Lock()
	defer l.mu.Unlock()
	n = len(l.times)
	if n > 1 {
		rate = float64(n-1-l.tooMany) / l.times[n-1].Sub(l.times[0]).Seconds()
	}
	if n > 0 {
		share429 = float64(l.tooMany) / float64(n)
	}
	return n, rate, share429
}

func (l *requestLog) reset() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.times, l.tooMany = nil, 0
}

// The bulk engine keeps the assign endpoint at ≥95% of the server's limit with <1% of
// requests answered 429, where a shell loop of single calls and an unthrottled concurrent loop
// do not. 1,000 contacts at --rate 50 (200 with -short); the comparison loops use fewer.
func TestAssignSustainsRateLimit(t *testing.T) {
	n, loopN := 1000, 60
	if testing.Short() {
		n, loopN = 200, 30
	}
	const limit = 50.0
	log := &requestLog{match: "/conversation/assignee"}
	e := acttest.Start(t, sandbox.Options{Seed: "large:" + strconv.Itoa(n), Rate: limit, Log: log})

	// 1. respondctl's bulk engine.
	r := e.Run(acttest.Str(acttest.IDLines(1, n)), "assign", "--to", "lee@example.com")
	if r.Code != 0 {
		t.Fatalf("%s", r)
	}
	count, rate, share := log.stats()
	t.Logf("bulk engine:       %4d requests, %5.1f accepted/s (%3.0f%% of %v), %.2f%% answered 429", count, rate, 100*rate/limit, limit, 100*share)
	if rate < 0.95*limit || share >= 0.01 {
		t.Errorf("bulk assign: %.1f req/s (want >= %.1f), %.2f%% 429 (want < 1%%)", rate, 0.95*limit, 100*share)
	}

	// 2. A shell loop: one respondctl process per contact.
	log.reset()
	for id := 1; id <= loopN; id++ {
		args, _ := json.Marshal([]string{"assign", strconv.Itoa(id), "--to", "carlos@example.com"})
		cmd := exec.Command(os.Args[0], "-test.run=^$")
		cmd.Env = append(os.Environ(), acttest.MainEnv+"="+string(args))
		for k, v := range e.EnvVars() {
			cmd.Env = append(cmd.Env, k+"="+v)
		}
		_ = cmd.Run() // failures show up as 429s in the log
	}
	count, rate, share = log.stats()
	t.Logf("shell loop:        %4d requests, %5.1f accepted/s (%3.0f%% of %v), %.2f%% answered 429", count, rate, 100*rate/limit, limit, 100*share)

	// 3. An unthrottled concurrent loop: 16 goroutines posting as fast as they can.
	log.reset()
	var wg sync.WaitGroup
	ids := make(chan int)
	client := &http.Client{}
	for w := 0; w < 16; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for id := range ids {
				req, _ := http.NewRequestWithContext(context.Background(), http.MethodPost,
					fmt.Sprintf("%s/contact/id:%d/conversation/assignee", e.Server.URL(), id), strings.NewReader(`{"assignee":3}`))
				req.Header.Set("Authorization", "Bearer "+e.Server.Token())
				req.Header.Set("Content-Type", "application/json")
				if resp, err := client.Do(req); err == nil {
					resp.Body.Close()
				}
			}
		}()
	}
	for id := 1; id <= n/2; id++ {
		ids <- id
	}
	close(ids)
	wg.Wait()
	count, rate, share = log.stats()
	t.Logf("unthrottled loop:  %4d requests, %5.1f accepted/s (%3.0f%% of %v), %.2f%% answered 429", count, rate, 100*rate/limit, limit, 100*share)
}
