package inbox

import (
	"context"
	"sync/atomic"
	"testing"

	"github.com/respondctl/respondctl/apiclient"
	"github.com/respondctl/respondctl/config"
)

func TestCountViewsSendsEachDistinctRequestOnce(t *testing.T) {
	ctx := context.Background()
	src := ViewSources{
		Profile: []config.View{{Name: "Open unassigned", Status: "open", Assignee: "none"}, {Name: "VIP", Tags: []string{"vip"}}},
		Me:      func(context.Context) (int64, error) { return 7, nil },
	}
	views, err := ListViews(ctx, src)
	if err != nil {
		t.Fatal(err)
	}
	var calls atomic.Int32
	b := CountBackend{Count: func(ctx context.Context, req apiclient.ContactListRequest) (apiclient.ContactCount, error) {
		calls.Add(1)
		return apiclient.ContactCount{Count: 3, Unread: 1}, nil
	}}
	counts, err := CountViews(ctx, views, b, CountOptions{})
	if err != nil {
		t.Fatal(err)
	}
	// All, Mine, Unassigned, VIP: "Open unassigned" is the built-in Unassigned again.
	if calls.Load() != 4 {
		t.Errorf("%d count requests for 5 views, want 4", calls.Load())
	}
	for _, c := range counts {
		if c.Err != nil || c.Count != 3 || c.Unread == nil || *c.Unread != 1 {
			t.Errorf("view %s: %+v", c.Name, c)
		}
	}
}
