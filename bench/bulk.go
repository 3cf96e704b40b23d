package main

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/respondctl/respondctl/sandbox"
)

// bulkRow is one way of assigning contacts, measured through the counting proxy.
type bulkRow struct {
	Name     string
	Contacts int // contacts the method was asked to assign
	Assigned int // contacts that ended assigned to the requested user (read from the store)
	Wall     time.Duration
	Counts   proxyCounts
	Note     string
}

// benchBulk assigns contacts three ways against a sandbox limited to p.Rate requests/s per
// endpoint: respondctl's bulk engine, a shell loop of single `respondctl assign` calls, and
// an unthrottled concurrent loop of raw requests (what `xargs -P16 curl` does).
func benchBulk(ctx context.Context, r *report, bin, work string, p plan) error {
	srv, err := sandbox.Start(ctx, sandbox.Options{Seed: fmt.Sprintf("large:%d", p.BulkContacts), Rate: p.Rate})
	if err != nil {
		return err
	}
	defer srv.Close()
	proxy, err := startCountingProxy(srv.URL(), "/conversation/assignee")
	if err != nil {
		return err
	}
	defer proxy.Close()
	api := proxy.URL(srv.URL())
	env := cliEnv(filepath.Join(work, "bulk-home"), api, srv.Token())
	r.BulkRate = p.Rate

	// 1. The bulk engine: one process, the limiter adopts the server's X-RateLimit-Limit.
	ids := filepath.Join(work, "ids.txt")
	if err := os.WriteFile(ids, []byte(idLines(p.BulkContacts)), 0o600); err != nil {
		return err
	}
	t0 := time.Now()
	if _, err := runOK(ctx, bin, env, "", "assign", "--input", ids, "--to", "lee@example.com",
		"--journal", filepath.Join(work, "bulk.jsonl")); err != nil {
		return err
	}
	r.Bulk = append(r.Bulk, bulkRow{Name: "respondctl bulk engine (`assign --input ids.txt`)", Contacts: p.BulkContacts,
		Wall: time.Since(t0), Counts: proxy.take(), Assigned: assignedTo(ctx, srv, 1, p.BulkContacts)})
	settle()

	// 2. A sequential shell loop: one process (and one user lookup) per contact.
	script := fmt.Sprintf(`for id in $(seq 1 %d); do "$RESPONDCTL" assign "$id" --to carlos@example.com >/dev/null 2>&1 || echo "failed: $id" >&2; done`, p.LoopContacts)
	cmd := exec.CommandContext(ctx, "sh", "-c", script)
	cmd.Env = append(env, "RESPONDCTL="+bin)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	t0 = time.Now()
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("shell loop: %w", err)
	}
	r.Bulk = append(r.Bulk, bulkRow{Name: "shell loop of `respondctl assign ID`", Contacts: p.LoopContacts,
		Wall: time.Since(t0), Counts: proxy.take(), Assigned: assignedTo(ctx, srv, 3, p.LoopContacts),
		Note: fmt.Sprintf("%d calls failed", strings.Count(stderr.String(), "failed: "))})
	settle()

	// 3. An unthrottled concurrent loop: 16 workers posting as fast as they can, no retries.
	t0 = time.Now()
	if err := unthrottledAssign(ctx, api, srv.Token(), p.UnthrottledN, 4); err != nil {
		return err
	}
	r.Bulk = append(r.Bulk, bulkRow{Name: "unthrottled concurrent loop (16 workers, raw HTTP)", Contacts: p.UnthrottledN,
		Wall: time.Since(t0), Counts: proxy.take(), Assigned: assignedTo(ctx, srv, 4, p.UnthrottledN),
		Note: "refused requests are not retried: those contacts stay unassigned"})
	return nil
}

// settle lets the sandbox's token bucket refill so each method starts from the same state.
func settle() { time.Sleep(2 * time.Second) }

func idLines(n int) string {
	var b strings.Builder
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&b, "%d\n", i)
	}
	return b.String()
}

// assignedTo counts contacts 1..n assigned to user (-1 when the store cannot say).
func assignedTo(ctx context.Context, srv *sandbox.Server, user, n int) int {
	c := 0
	for id := 1; id <= n; id++ {
		ct, err := srv.Store().GetContact(ctx, int64(id))
		if err != nil {
			return -1
		}
		if ct.AssigneeID != nil && *ct.AssigneeID == int64(user) {
			c++
		}
	}
	return c
}

func unthrottledAssign(ctx context.Context, api, token string, n, user int) error {
	client := &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: 16}}
	ids := make(chan int)
	var wg sync.WaitGroup
	var mu sync.Mutex
	var firstErr error
	for w := 0; w < 16; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for id := range ids {
				req, err := http.NewRequestWithContext(ctx, http.MethodPost, fmt.Sprintf("%s/contact/id:%d/conversation/assignee", api, id),
					strings.NewReader(fmt.Sprintf(`{"assignee":%d}`, user)))
				if err == nil {
					req.Header.Set("Authorization", "Bearer "+token)
					req.Header.Set("Content-Type", "application/json")
					var res *http.Response
					if res, err = client.Do(req); err == nil {
						res.Body.Close()
					}
				}
				if err != nil {
					mu.Lock()
					if firstErr == nil {
						firstErr = err
					}
					mu.Unlock()
				}
			}
		}()
	}
	for id := 1; id <= n; id++ {
		ids <- id
	}
	close(ids)
	wg.Wait()
	return firstErr
}
