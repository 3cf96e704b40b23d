package inbox

import (
	"context"
	"encoding/json"
	"sync"
	"sync/atomic"

	"github.com/respondctl/respondctl/apiclient"
)

// ViewCount is one row of `views`: how many contacts a view holds and how many of them
// have unread messages. Unread is nil when unknown (core-only server).
type ViewCount struct {
	Name   string `json:"name"`
	Kind   string `json:"kind"`
	Count  int    `json:"count"`
	Unread *int   `json:"unread"`
	// Err is set when this view could not be counted (the others still are); Error is its
	// text in JSON, where count and unread are then null.
	Err   error  `json:"-"`
	Error string `json:"error,omitempty"`
	// Source is where the figures came from: "api" or "mirror".
	Source string `json:"source"`
	// AwaitingReply (mirror only) is how many open conversations of the view end with an
	// incoming message; it stands in for unread, which webhooks do not carry.
	AwaitingReply *int `json:"awaitingReply,omitempty"`
}

// MarshalJSON writes "count" and "unread" as null for a view that could not be counted, so
// a script never mistakes a failure for an empty view.
func (c ViewCount) MarshalJSON() ([]byte, error) {
	rec := struct {
		Name   string `json:"name"`
		Kind   string `json:"kind"`
		Count  *int   `json:"count"`
		Unread *int   `json:"unread"`
		Error  string `json:"error,omitempty"`
		Source string `json:"source"`
		Await  *int   `json:"awaitingReply,omitempty"`
	}{Name: c.Name, Kind: c.Kind, Error: c.Error, Source: c.Source}
	if rec.Source == "" {
		rec.Source = SourceAPI
	}
	if c.Err == nil && c.Error == "" {
		rec.Count, rec.Unread, rec.Await = &c.Count, c.Unread, c.AwaitingReply
	}
	return json.Marshal(rec)
}

// Indicator is the notification indicator: "red" when the view has unread messages needing
// attention, "blue" when it has none, "" when unknown.
func (c ViewCount) Indicator() string {
	if c.Err == nil && c.Unread == nil && c.AwaitingReply != nil {
		// From the mirror: red when a conversation awaits a reply.
		if *c.AwaitingReply > 0 {
			return "red"
		}
		return "blue"
	}
	switch {
	case c.Err != nil || c.Unread == nil:
		return ""
	case *c.Unread > 0:
		return "red"
	}
	return "blue"
}

// CountBackend is what counting needs from the API: Count is EXT POST /contact/count
// (nil on a core-only server); Each pages POST /contact/list and calls fn per contact.
type CountBackend struct {
	Count func(ctx context.Context, req apiclient.ContactListRequest) (apiclient.ContactCount, error)
	Each  func(ctx context.Context, req apiclient.ContactListRequest, fn func(*apiclient.Contact) error) error
}

// CountOptions tunes CountViews.
type CountOptions struct {
	// Concurrency bounds requests in flight (0: 4). The client's per-endpoint limiter
	// still paces them, so this only caps what waits on it.
	Concurrency int
	// Progress, when set, is called with the number of contacts paged so far (core only).
	Progress func(scanned int64)
}

// CountViews counts every view. With the counts extension each view is one
// /contact/count request, run concurrently. Without it, views sharing a core request are
// counted together in one pass over /contact/list, and unread stays unknown.
// Per-view failures are reported in ViewCount.Err; err is only for cancellation.
func CountViews(ctx context.Context, views []View, b CountBackend, opts CountOptions) ([]ViewCount, error) {
	conc := opts.Concurrency
	if conc <= 0 {
		conc = 4
	}
	out := make([]ViewCount, len(views))
	for i, v := range views {
		out[i] = ViewCount{Name: v.Name, Kind: v.Kind, Err: v.unavailable}
	}
	sem := make(chan struct{}, conc)
	var wg sync.WaitGroup
	run := func(fn func()) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			select {
			case sem <- struct{}{}:
			case <-ctx.Done():
				return
			}
			defer func() { <-sem }()
			fn()
		}()
	}
	if b.Count != nil {
		// Views with the same request (the built-in Unassigned and a workspace one, Mine and
		// your own queue) are counted once: each request costs a slot of the endpoint's
		// rate budget, which is what makes `views` slow.
		same := map[string][]int{}
		var order []string
		for i := range views {
			if out[i].Err != nil {
				continue
			}
			key, _ := json.Marshal(views[i].Request)
			if same[string(key)] == nil {
				order = append(order, string(key))
			}
			same[string(key)] = append(same[string(key)], i)
		}
		count := func(members []int) {
			c, err := b.Count(ctx, views[members[0]].Request)
			for _, i := range members {
				if err != nil {
					out[i].Err = err
					continue
				}
				unread := c.Unread
				out[i].Count, out[i].Unread = c.Count, &unread
			}
		}
		// All at once: the client's limiter holds them until the first answer has told it
		// the endpoint's budget, then lets them go within it.
		for _, key := range order {
			run(func() { count(same[key]) })
		}
		wg.Wait()
		return withErrorText(out), ctx.Err()
	}

	// Core: one pass per distinct core request.
	type group struct {
		req     apiclient.ContactListRequest
		members []int
	}
	var groups []*group
	byKey := map[string]*group{}
	for i, v := range views {
		if out[i].Err != nil {
			continue
		}
		req, err := v.CoreRequest()
		if err != nil {
			out[i].Err = err
			continue
		}
		key, _ := json.Marshal(req)
		g := byKey[string(key)]
		if g == nil {
			g = &group{req: req}
			byKey[string(key)] = g
			groups = append(groups, g)
		}
		g.members = append(g.members, i)
	}
	var scanned atomic.Int64
	for _, g := range groups {
		run(func() {
			counts := make([]int, len(g.members))
			err := b.Each(ctx, g.req, func(c *apiclient.Contact) error {
				for k, i := range g.members {
					if views[i].MatchLocally(c) {
						counts[k]++
					}
				}
				if n := scanned.Add(1); opts.Progress != nil && n%100 == 0 {
					opts.Progress(n)
				}
				return nil
			})
			for k, i := range g.members {
				out[i].Count, out[i].Err = counts[k], err
			}
		})
	}
	wg.Wait()
	if opts.Progress != nil {
		opts.Progress(scanned.Load())
	}
	return withErrorText(out), ctx.Err()
}

func withErrorText(counts []ViewCount) []ViewCount {
	for i := range counts {
		if counts[i].Err != nil {
			counts[i].Error = counts[i].Err.Error()
		}
	}
	return counts
}
