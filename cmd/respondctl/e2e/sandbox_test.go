package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/respondctl/respondctl/sandbox"
)

// startSandbox starts an in-process sandbox for the test (":memory:" unless opts say otherwise).
func startSandbox(t testing.TB, opts sandbox.Options) *sandbox.Server {
	t.Helper()
	if opts.DBPath == "" {
		opts.DBPath = ":memory:"
	}
	srv, err := sandbox.Start(context.Background(), opts)
	if err != nil {
		t.Fatalf("starting sandbox: %v", err)
	}
	t.Cleanup(func() { _ = srv.Close() })
	return srv
}

// sandboxGet fetches a sandbox path (relative to /v2) into v, bypassing any fault injection
// of the sandbox-only endpoints (they are exempt) but not of core ones.
func sandboxGet(t testing.TB, base, token, path string, v any) {
	t.Helper()
	var lastErr error
	for attempt := 0; attempt < 20; attempt++ { // core reads may meet injected faults
		req, _ := http.NewRequest(http.MethodGet, base+path, nil)
		req.Header.Set("Authorization", "Bearer "+token)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			lastErr = err
			time.Sleep(100 * time.Millisecond)
			continue
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != http.StatusOK {
			lastErr = fmt.Errorf("GET %s: HTTP %d: %s", path, res.StatusCode, body)
			time.Sleep(100 * time.Millisecond)
			continue
		}
		if err := json.Unmarshal(body, v); err != nil {
			t.Fatalf("GET %s: %v", path, err)
		}
		return
	}
	t.Fatalf("sandbox read failed: %v", lastErr)
}

// auditRow is one row of GET /sandbox/audit.
type auditRow struct {
	ContactID int64  `json:"contactId"`
	Action    string `json:"action"`
	Result    string `json:"result"`
}

// appliedPerContact counts audit rows with result "ok" per contact for action
// (message_sent, assigned, comment_created, closed…): how many times it was really done.
func appliedPerContact(t testing.TB, base, token, action string) map[int64]int {
	t.Helper()
	counts := map[int64]int{}
	cursor := ""
	for {
		var page struct {
			Items      []auditRow `json:"items"`
			Pagination struct {
				Next string `json:"next"`
			} `json:"pagination"`
		}
		sandboxGet(t, base, token, "/sandbox/audit?limit=100&action="+action+cursor, &page)
		for _, row := range page.Items {
			if row.Result == "ok" {
				counts[row.ContactID]++
			}
		}
		if page.Pagination.Next == "" || len(page.Items) == 0 {
			return counts
		}
		_, after, _ := strings.Cut(page.Pagination.Next, "cursorId=")
		after, _, _ = strings.Cut(after, "&")
		cursor = "&cursorId=" + after
	}
}

// assigneeOf is the assignee user id of a contact (0: none).
func assigneeOf(t testing.TB, base, token string, id int) int64 {
	t.Helper()
	var c struct {
		Assignee *struct {
			ID int64 `json:"id"`
		} `json:"assignee"`
	}
	sandboxGet(t, base, token, fmt.Sprintf("/contact/id:%d", id), &c)
	if c.Assignee == nil {
		return 0
	}
	return c.Assignee.ID
}

// jsonRecords parses the JSON result lines of a bulk run printed with -o json (an array) or
// -o jsonl (one object per line).
func jsonRecords(t testing.TB, stdout string) []map[string]any {
	t.Helper()
	s := strings.TrimSpace(stdout)
	if s == "" {
		return nil
	}
	var recs []map[string]any
	if strings.HasPrefix(s, "[") {
		if err := json.Unmarshal([]byte(s), &recs); err != nil {
			t.Fatalf("stdout is not a JSON array: %v\n%s", err, stdout)
		}
		return recs
	}
	for _, line := range strings.Split(s, "\n") {
		var m map[string]any
		if err := json.Unmarshal([]byte(line), &m); err != nil {
			t.Fatalf("stdout line is not JSON: %v\n%q", err, line)
		}
		recs = append(recs, m)
	}
	return recs
}

// outcomes maps contact id to the outcome of a bulk result record ("done", "failed", "unknown"…).
func outcomes(t testing.TB, recs []map[string]any) map[int64]string {
	t.Helper()
	out := map[int64]string{}
	for _, rec := range recs {
		ident, _ := rec["identifier"].(string)
		var id int64
		if _, err := fmt.Sscanf(ident, "id:%d", &id); err != nil {
			t.Fatalf("result record without an id identifier: %v", rec)
		}
		o, _ := rec["outcome"].(string)
		out[id] = o
	}
	return out
}
