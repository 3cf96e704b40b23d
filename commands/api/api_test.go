package api

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/respondctl/respondctl/apiclient"
	"github.com/respondctl/respondctl/commands/cmdutil"
	"github.com/respondctl/respondctl/output"
)

// pagedServer serves 3 pages of /space/user (2 items each, last page 1) and
// records request bodies.
func pagedServer(t *testing.T) (*httptest.Server, *[]string) {
	t.Helper()
	var bodies []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		bodies = append(bodies, r.Method+" "+r.URL.RequestURI()+" "+string(b))
		if r.Header.Get("Authorization") != "Bearer test-token-123456" {
			w.WriteHeader(401)
			fmt.Fprint(w, `{"code":401,"message":"Unauthorized"}`)
			return
		}
		if r.URL.Path == "/v2/missing" {
			w.WriteHeader(404)
			fmt.Fprint(w, `{"code":404,"message":"Not found"}`)
			return
		}
		cursor := r.URL.Query().Get("cursorId")
		next := map[string]string{"": "2", "2": "4", "4": ""}[cursor]
		start := map[string]int{"": 1, "2": 3, "4": 5}[cursor]
		n := 2
		if cursor == "4" {
			n = 1
		}
		var items []map[string]any
		for i := 0; i < n; i++ {
			items = append(items, map[string]any{"id": start + i})
		}
		nextURL := ""
		if next != "" {
			nextURL = "https://elsewhere.example/v2/space/user?limit=2&cursorId=" + next
		}
		_ = json.NewEncoder(w).Encode(map[string]any{"items": items, "pagination": map[string]any{"next": nextURL, "previous": ""}})
	}))
	t.Cleanup(srv.Close)
	return srv, &bodies
}

func testFactory(t *testing.T, baseURL string, format string) (*cmdutil.Factory, *bytes.Buffer) {
	t.Helper()
	ios, _, out, _ := output.Test()
	f := &cmdutil.Factory{IOStreams: ios, Global: &cmdutil.GlobalOptions{Output: format}}
	f.APIClient = func() (*apiclient.Client, error) {
		return apiclient.New(apiclient.Options{BaseURL: baseURL, Token: "test-token-123456", MaxRetries: -1, RateLimit: -1})
	}
	return f, out
}

func TestPaginateJSONIsOneArray(t *testing.T) {
	srv, _ := pagedServer(t)
	f, out := testFactory(t, srv.URL+"/v2", "json")
	opts := &APIOptions{Factory: f, Method: "GET", Path: "/space/user", RawFields: []string{"limit=2"}, Paginate: true}
	if err := apiRun(context.Background(), opts); err != nil {
		t.Fatal(err)
	}
	var got []map[string]int
	if err := json.Unmarshal(out.Bytes(), &got); err != nil {
		t.Fatalf("not one JSON array: %v\n%s", err, out.String())
	}
	if len(got) != 5 || got[4]["id"] != 5 {
		t.Fatalf("got %v", got)
	}
}

func TestPaginateJSONLOnePerLine(t *testing.T) {
	srv, _ := pagedServer(t)
	f, out := testFactory(t, srv.URL+"/v2", "jsonl")
	opts := &APIOptions{Factory: f, Method: "GET", Path: "/space/user", Paginate: true}
	if err := apiRun(context.Background(), opts); err != nil {
		t.Fatal(err)
	}
	if lines := strings.Split(strings.TrimSpace(out.String()), "\n"); len(lines) != 5 {
		t.Fatalf("got %d lines: %q", len(lines), out.String())
	}
}

func TestPostFieldsBecomeTypedJSONBody(t *testing.T) {
	srv, bodies := pagedServer(t)
	f, _ := testFactory(t, srv.URL+"/v2", "table")
	opts := &APIOptions{Factory: f, Method: "POST", Path: "/contact/list", RawFields: []string{"search=42"}, TypedFields: []string{"n=42", "b=true", "z=null"}}
	if err := apiRun(context.Background(), opts); err != nil {
		t.Fatal(err)
	}
	body := (*bodies)[0]
	for _, want := range []string{`"search":"42"`, `"n":42`, `"b":true`, `"z":null`} {
		if !strings.Contains(body, want) {
			t.Errorf("body %s lacks %s", body, want)
		}
	}
}

func TestErrorBodyOnStdoutAndExitCode(t *testing.T) {
	srv, _ := pagedServer(t)
	f, out := testFactory(t, srv.URL+"/v2", "table")
	err := apiRun(context.Background(), &APIOptions{Factory: f, Method: "GET", Path: "/missing"})
	if cmdutil.ExitCode(err) != cmdutil.ExitNotFound {
		t.Fatalf("err = %v (exit %d)", err, cmdutil.ExitCode(err))
	}
	if !strings.Contains(out.String(), `"Not found"`) {
		t.Fatalf("stdout = %q", out.String())
	}
}

func TestValidate(t *testing.T) {
	for _, o := range []APIOptions{
		{Method: "FETCH", Path: "/x"},
		{Method: "GET", Path: " "},
		{Method: "GET", Path: "/x", Headers: []string{"NoColon"}},
		{Method: "GET", Path: "/x", Headers: []string{"Authorization: Bearer x"}},
	} {
		if err := o.validate(); cmdutil.ExitCode(err) != cmdutil.ExitUsage {
			t.Errorf("%+v: %v", o, err)
		}
	}
	if _, err := parseFields([]string{"novalue"}, nil, nil); err == nil {
		t.Error("-f without = accepted")
	}
}
