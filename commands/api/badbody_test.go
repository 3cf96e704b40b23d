package api

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/respondctl/respondctl/apiclient"
	"github.com/respondctl/respondctl/commands/cmdutil"
)

// TestBrokenJSONBodiesFailOnOneLine: a 2xx that claims JSON but is empty or
// cut short exits 1 with a readable error, with or without --paginate, and
// --paginate prints no "[]" that a script could mistake for "no items".
func TestBrokenJSONBodiesFailOnOneLine(t *testing.T) {
	for _, tc := range []struct{ name, body, want string }{
		{"empty", "", "empty body"},
		{"truncated", `{"items":[{"id":1,"firstName":"Lee"`, "truncated JSON (35 bytes)"},
	} {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			fmt.Fprint(w, tc.body)
		}))
		for _, paginate := range []bool{false, true} {
			f, out := testFactory(t, srv.URL+"/v2", "json")
			err := apiRun(context.Background(), &APIOptions{Factory: f, Method: "GET", Path: "/space/user", Paginate: paginate})
			var ir *apiclient.InvalidResponseError
			if !errors.As(err, &ir) || cmdutil.ExitCode(err) != cmdutil.ExitError || !strings.HasSuffix(err.Error(), tc.want) {
				t.Errorf("%s paginate=%v: err = %v", tc.name, paginate, err)
			}
			if paginate && strings.TrimSpace(out.String()) != "" {
				t.Errorf("%s: --paginate printed %q before failing", tc.name, out.String())
			}
		}
		srv.Close()
	}
}

// A 204, or a body that is not declared JSON, passes through as it is.
func TestNonJSONBodiesPassThrough(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/v2/nothing" {
			w.WriteHeader(http.StatusNoContent)
			return
		}
		w.Header().Set("Content-Type", "text/plain")
		fmt.Fprint(w, "pong")
	}))
	defer srv.Close()
	for path, want := range map[string]string{"/nothing": "", "/ping": "pong\n"} {
		f, out := testFactory(t, srv.URL+"/v2", "table")
		if err := apiRun(context.Background(), &APIOptions{Factory: f, Method: "GET", Path: path}); err != nil || out.String() != want {
			t.Errorf("%s: err %v, stdout %q", path, err, out.String())
		}
	}
}
