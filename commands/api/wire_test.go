package api

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/respondctl/respondctl/apiclient"
	"github.com/respondctl/respondctl/commands/cmdutil"
)

// DELETE carries its fields as a JSON body, as the vendor clients send it
// (DELETE /space/tag {"name": "vip"}).
func TestDeleteFieldsBecomeJSONBody(t *testing.T) {
	srv, bodies := pagedServer(t)
	f, _ := testFactory(t, srv.URL+"/v2", "json")
	opts := &APIOptions{Factory: f, Method: "DELETE", Path: "/space/tag", RawFields: []string{"name=vip"}, TypedFields: []string{`tags=["a","b"]`}}
	if err := apiRun(context.Background(), opts); err != nil {
		t.Fatal(err)
	}
	got := (*bodies)[0]
	if !strings.HasPrefix(got, "DELETE /v2/space/tag ") || !strings.Contains(got, `"name":"vip"`) || !strings.Contains(got, `"tags":["a","b"]`) {
		t.Errorf("request = %s", got)
	}
}

// cyclingServer pages /contact/list: cursor "" → items 1,2 next 2; 2 → 3,4
// next 4; 4 → 5,6 and next points back at 2 (or, with sameFirst, every page
// after the first repeats items 1,2 behind fresh cursors).
func cyclingServer(t *testing.T, sameFirst bool) (*httptest.Server, *int) {
	t.Helper()
	requests := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		requests++
		cursor := r.URL.Query().Get("cursorId")
		var ids []int
		next := ""
		switch {
		case sameFirst:
			ids = []int{1, 2}
			next = fmt.Sprint(requests + 10)
		case cursor == "":
			ids, next = []int{1, 2}, "2"
		case cursor == "2":
			ids, next = []int{3, 4}, "4"
		default:
			ids, next = []int{5, 6}, "2"
		}
		var items []map[string]any
		for _, id := range ids {
			items = append(items, map[string]any{"id": id})
		}
		// The platform's next link may lack the /v2 prefix.
		nextURL := "https://api.example/contact/list?limit=2&cursorId=" + next
		_ = json.NewEncoder(w).Encode(map[string]any{"items": items, "pagination": map[string]any{"next": nextURL}})
	}))
	t.Cleanup(srv.Close)
	return srv, &requests
}

func TestPaginateStopsOnCyclingCursor(t *testing.T) {
	for _, tt := range []struct {
		name      string
		sameFirst bool
		want      string
		requests  int
		err       string
	}{
		{"cursor cycles", false, `{"id":1}|{"id":2}|{"id":3}|{"id":4}`, 3, "pagination stopped after 3 pages: cursorId 2 returned again"},
		{"same page behind fresh cursors", true, `{"id":1}|{"id":2}`, 2, "pagination stopped after 2 pages: page 2 starts with an item already printed"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			srv, requests := cyclingServer(t, tt.sameFirst)
			f, out := testFactory(t, srv.URL+"/v2", "jsonl")
			err := apiRun(context.Background(), &APIOptions{Factory: f, Method: "POST", Path: "/contact/list", Paginate: true,
				RawFields: []string{"search="}, TypedFields: []string{`filter={"$and":[]}`}})
			var pe *apiclient.PaginationError
			if !errors.As(err, &pe) || !strings.Contains(err.Error(), tt.err) || cmdutil.ExitCode(err) != cmdutil.ExitError {
				t.Fatalf("err = %v (exit %d)", err, cmdutil.ExitCode(err))
			}
			got := strings.Join(strings.Fields(out.String()), "|")
			if got != tt.want {
				t.Errorf("stdout %s, want %s", got, tt.want)
			}
			if *requests != tt.requests {
				t.Errorf("%d requests, want %d (one page past the first repeat at most)", *requests, tt.requests)
			}
		})
	}
}

func TestPaginateStopsOnNextWithoutCursor(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `{"items":[{"id":1}],"pagination":{"next":"https://api.example/v2/space/user?limit=2"}}`)
	}))
	t.Cleanup(srv.Close)
	f, out := testFactory(t, srv.URL+"/v2", "json")
	err := apiRun(context.Background(), &APIOptions{Factory: f, Method: "GET", Path: "/space/user", Paginate: true})
	if err == nil || !strings.Contains(err.Error(), "no usable cursorId") || cmdutil.ExitCode(err) != cmdutil.ExitError {
		t.Fatalf("err = %v", err)
	}
	if strings.Contains(out.String(), `"id"`) {
		t.Errorf("stdout = %q", out.String())
	}
}
