package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/respondctl/respondctl/sandbox"
	"github.com/respondctl/respondctl/sandbox/store"
)

// benchFilter is a typical view filter: open conversations of one agent.
var benchFilter = map[string]any{"search": "", "timezone": "UTC", "filter": map[string]any{"$and": []any{
	map[string]any{"category": "contactField", "field": "status", "operator": "isEqualTo", "value": "open"},
	map[string]any{"category": "contactField", "field": "assigneeUserId", "operator": "isEqualTo", "value": "1"},
}}}

// benchTagFilter is the seeded "VIP open" view: a tag condition, the slowest kind of count.
var benchTagFilter = map[string]any{"search": "", "filter": map[string]any{"$and": []any{
	map[string]any{"category": "contactTag", "field": nil, "operator": "hasAnyOf", "value": []string{"vip"}},
	map[string]any{"category": "contactField", "field": "status", "operator": "isEqualTo", "value": "open"},
}}}

// benchEndpoints times single requests to the sandbox over loopback with a kept-alive
// connection: the server's share of every command's latency.
func benchEndpoints(ctx context.Context, r *report, srv *sandbox.Server, p plan) error {
	latest, _, err := srv.Store().ListMessages(ctx, store.BigConversationContact, 0, store.Page{Limit: 1})
	if err != nil || len(latest) == 0 {
		return fmt.Errorf("finding the newest message of contact %d: %v", store.BigConversationContact, err)
	}
	newest := latest[0].ID
	cases := []struct {
		name, method, path string
		body               any
		target             float64
	}{
		{"POST /contact/list (filtered, page of 20)", "POST", "/contact/list?limit=20", benchFilter, 20},
		{"POST /contact/count (filtered)", "POST", "/contact/count", benchFilter, 50},
		{"POST /contact/count (tag vip and open)", "POST", "/contact/count", benchTagFilter, 50},
		{"POST /contact/count (all contacts)", "POST", "/contact/count", map[string]any{"search": ""}, 50},
		{fmt.Sprintf("GET message/list (50 from the middle of %d)", store.BigConversationSize), "GET",
			fmt.Sprintf("/contact/id:%d/message/list?limit=50&cursorId=%d", store.BigConversationContact, newest-int64(store.BigConversationSize/2)), nil, 10},
	}
	client := &http.Client{Timeout: 30 * time.Second}
	for _, c := range cases {
		call := func() (time.Duration, error) { return timedRequest(ctx, client, srv, c.method, c.path, c.body) }
		for i := 0; i < 5; i++ { // warm the connection and SQLite's page cache
			if _, err := call(); err != nil {
				return err
			}
		}
		var ds []time.Duration
		for i := 0; i < p.LatencySamples; i++ {
			d, err := call()
			if err != nil {
				return err
			}
			ds = append(ds, d)
		}
		r.Sandbox = append(r.Sandbox, figure{Name: c.name, Unit: "ms", Format: "%.2f", Sample: durations(ds), Target: c.target})
	}
	return nil
}

func timedRequest(ctx context.Context, client *http.Client, srv *sandbox.Server, method, path string, body any) (time.Duration, error) {
	var data []byte
	if body != nil {
		data, _ = json.Marshal(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, srv.URL()+path, bytes.NewReader(data))
	if err != nil {
		return 0, err
	}
	req.Header.Set("Authorization", "Bearer "+srv.Token())
	req.Header.Set("Content-Type", "application/json")
	t0 := time.Now()
	res, err := client.Do(req)
	if err != nil {
		return 0, err
	}
	out, err := io.ReadAll(res.Body)
	res.Body.Close()
	d := time.Since(t0)
	if err != nil {
		return 0, err
	}
	if res.StatusCode != http.StatusOK {
		return 0, fmt.Errorf("%s %s: HTTP %d: %.200s", method, path, res.StatusCode, out)
	}
	return d, nil
}
