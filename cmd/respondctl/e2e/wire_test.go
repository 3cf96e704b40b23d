package e2e

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/respondctl/respondctl/sandbox"
)

// The read commands and a bulk run against sandboxes that speak the platform's
// variety (docs/platform-api.md, "Tolerance rules"): numeric channelMessageId
// on LINE/Telegram/Viber, error bodies with string codes and object messages
// (errshape), pagination links without /v2 (nov2), with and without
// extensions, and a token short enough to appear in every body.
func TestWireVarietyThroughBinary(t *testing.T) {
	t.Parallel() // own sandbox, HOME and child processes
	for _, tc := range []struct {
		name     string
		opts     sandbox.Options
		coreOnly bool
	}{
		{"ext", sandbox.Options{Seed: "demo", Rate: 1000, Faults: "500=0.05,errshape=1,nov2=1,seed=3"}, false},
		{"core-only", sandbox.Options{Seed: "demo", Rate: 1000, CoreOnly: true, Faults: "errshape=1,nov2=1,seed=4"}, true},
		{"token t", sandbox.Options{Seed: "demo", Rate: 1000, Token: "t", Faults: "nov2=0.5,errshape=0.5,seed=5"}, false},
		{"token a", sandbox.Options{Seed: "demo", Rate: 1000, Token: "a"}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv := startSandbox(t, tc.opts)
			c := newCLI(t, srv.URL(), srv.Token())
			c.extra = append(c.extra, "NO_COLOR=1")
			run := func(args ...string) result {
				t.Helper()
				r := c.run(time.Minute, "", args...)
				if r.Code != 0 {
					t.Fatalf("respondctl %s\n%s", strings.Join(args, " "), r)
				}
				return r
			}
			if r := run("config", "set", "me", "lee@example.com"); r.Code != 0 {
				t.Fatal(r)
			}

			views := run("views", "-o", "json")
			for _, v := range jsonRecords(t, views.Stdout) {
				if v["error"] != nil && v["error"] != "" {
					t.Errorf("view %v: %v", v["name"], v["error"])
				}
			}

			contacts := jsonRecords(t, run("contacts", "list", "--all", "-o", "jsonl").Stdout)
			if len(contacts) < 100 {
				t.Fatalf("contacts list --all: %d contacts", len(contacts))
			}
			assertUnique(t, "contacts list --all", contacts, "id")

			// Contact 5 talks on LINE: its channelMessageIds are JSON numbers.
			history := jsonRecords(t, run("conversation", "show", "5", "--all", "-o", "jsonl").Stdout)
			assertUnique(t, "conversation show --all", history, "kind", "id")
			var msgID, channelMsgID string
			for _, h := range history {
				if m, ok := h["channelMessageId"].(string); ok && m != "" && strings.Trim(m, "0123456789") == "" {
					msgID, channelMsgID = fmt.Sprint(h["id"]), m
				}
			}
			if msgID == "" {
				t.Fatalf("no message with a numeric channelMessageId in contact 5's history")
			}
			msg := jsonRecords(t, run("message", "show", "5", msgID, "-o", "json").Stdout)
			if len(msg) != 1 || msg[0]["channelMessageId"] != channelMsgID {
				t.Errorf("message show %s: %v, want channelMessageId %q", msgID, msg, channelMsgID)
			}

			bulk := run("assign", "--view", "Unassigned", "--to", "me", "--limit", "5", "-o", "jsonl")
			recs := jsonRecords(t, bulk.Stdout)
			if len(recs) != 5 {
				t.Fatalf("assign --view: %d results\n%s", len(recs), bulk)
			}
			assertUnique(t, "assign --view", recs, "identifier")

			// A refusal keeps its message whatever shape the body has.
			r := c.run(time.Minute, "", "api", "POST", "/contact/list", "-f", "search=")
			if r.Code != 1 || !strings.Contains(r.Stderr, `"filter" is required`) {
				t.Errorf("api without filter:\n%s", r)
			}

			// --debug shows the Authorization header blanked, never the token.
			d := c.run(time.Minute, "", "contacts", "show", "5", "--debug")
			if d.Code != 0 || !strings.Contains(d.Stderr, "Authorization: Bearer REDACTED") || strings.Contains(d.Stderr, "Bearer "+srv.Token()+"\n") {
				t.Errorf("--debug:\n%s", d)
			}
		})
	}
}

// assertUnique fails when two records share the values of keys.
func assertUnique(t *testing.T, what string, recs []map[string]any, keys ...string) {
	t.Helper()
	seen := map[string]bool{}
	for _, r := range recs {
		var k []string
		for _, key := range keys {
			k = append(k, fmt.Sprint(r[key]))
		}
		id := strings.Join(k, "/")
		if seen[id] {
			t.Errorf("%s printed %s twice", what, id)
		}
		seen[id] = true
	}
}

// cyclingAPI is a core-only server whose /contact/list cursor cycles: cursor
// "" → contacts 1,2 (next 2); 2 → 3,4 (next 4); 4 → 5,6 and next points back
// at 2. Its next links lack /v2, as the platform's may.
func cyclingAPI(t *testing.T) (*httptest.Server, *atomic.Int64) {
	t.Helper()
	var listCalls atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		page := func(items []map[string]any, next string) {
			_ = json.NewEncoder(w).Encode(map[string]any{"items": items, "pagination": map[string]any{"next": next}})
		}
		switch r.URL.Path {
		case "/v2/space/capabilities":
			w.WriteHeader(404)
			fmt.Fprint(w, `{"code":"404","message":{"error":["Not found"]}}`)
		case "/v2/space/user":
			page([]map[string]any{{"id": 1, "firstName": "Lee", "lastName": "Wong", "email": "lee@example.com", "role": "owner"}}, "")
		case "/v2/space/channel":
			page([]map[string]any{{"id": 31, "name": "WA", "source": "whatsapp"}}, "")
		case "/v2/contact/list":
			listCalls.Add(1)
			cursor := r.URL.Query().Get("cursorId")
			ids, next := map[string][]int{"": {1, 2}, "2": {3, 4}, "4": {5, 6}}[cursor], map[string]string{"": "2", "2": "4", "4": "2"}[cursor]
			var items []map[string]any
			for _, id := range ids {
				items = append(items, map[string]any{"id": id, "firstName": fmt.Sprintf("C%d", id), "status": "open", "tags": []string{}, "created_at": 1700000000})
			}
			page(items, "http://"+r.Host+"/contact/list?limit=2&cursorId="+next)
		default:
			w.WriteHeader(404)
			fmt.Fprint(w, `{"code":404,"message":"Not found"}`)
		}
	}))
	t.Cleanup(srv.Close)
	return srv, &listCalls
}

// A cycling cursor stops `contacts list --all` and `api --paginate` within one
// page of the first repeat: exit 1, a clear error, no contact printed twice.
func TestCyclingCursorStops(t *testing.T) {
	t.Parallel() // own sandbox, HOME and child processes
	for _, tc := range []struct {
		name string
		args []string
	}{
		{"contacts list --all", []string{"contacts", "list", "--all", "-o", "jsonl"}},
		{"contacts list --all -o json", []string{"contacts", "list", "--all", "-o", "json"}},
		{"api --paginate", []string{"api", "POST", "/contact/list?limit=2", "-f", "search=", "-F", `filter={"$and":[]}`, "--paginate", "-o", "jsonl"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv, calls := cyclingAPI(t)
			c := newCLI(t, srv.URL+"/v2", "tok-cycling-0123456789")
			r := c.run(30*time.Second, "", tc.args...)
			if r.Code != 1 || !strings.Contains(r.Stderr, "cursorId 2 returned again") {
				t.Fatalf("want exit 1 naming the repeated cursor\n%s", r)
			}
			recs := jsonRecords(t, r.Stdout)
			assertUnique(t, tc.name, recs, "id")
			if len(recs) != 4 {
				t.Errorf("%d contacts printed, want the 4 before the repeat\n%s", len(recs), r)
			}
			if n := calls.Load(); n != 3 {
				t.Errorf("%d list requests, want 3 (stopped at the page that repeats a cursor)", n)
			}
		})
	}
}

// A base URL without /v2 fails once, clearly, instead of "contact not found".
func TestBaseURLWithoutV2(t *testing.T) {
	t.Parallel() // own sandbox, HOME and child processes
	srv := startSandbox(t, sandbox.Options{Seed: "demo", Rate: 1000})
	base := strings.TrimSuffix(srv.URL(), "/v2")
	c := newCLI(t, base, srv.Token())
	for _, args := range [][]string{{"contacts", "show", "5"}, {"views"}, {"contacts", "list"}, {"users", "list"},
		{"send", "5", "--text", "hi", "--force"}, {"conversation", "show", "5"}} {
		r := c.run(30*time.Second, "", args...)
		want := base + ": not a platform API (404 on /space/user); did you mean " + base + "/v2?"
		if r.Code != 1 || !strings.Contains(r.Stderr, want) || strings.Contains(r.Stderr, "not found\n") {
			t.Errorf("%v: want exit 1 and %q\n%s", args, want, r)
		}
	}
}
