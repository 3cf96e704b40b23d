package cmdutil

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/respondctl/respondctl/apiclient"
	"github.com/respondctl/respondctl/output"
)

// TestNewClientSaysWhichRelease: the client `auth login` checks a token with
// sends the same User-Agent as every other command's.
func TestNewClientSaysWhichRelease(t *testing.T) {
	agents := make(chan string, 1)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		agents <- r.UserAgent()
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"items":[],"pagination":{}}`))
	}))
	defer srv.Close()
	ios, _, _, _ := output.Test()
	f := &Factory{AppVersion: "1.2.3", IOStreams: ios, Global: &GlobalOptions{Timeout: 5 * time.Second}}
	c, err := f.NewClient(srv.URL+"/v2", "tok-1234567890", false)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.ListUsers(context.Background(), apiclient.PageOptions{Limit: 1}); err != nil {
		t.Fatal(err)
	}
	if got := <-agents; got != "respondctl/1.2.3" {
		t.Fatalf("User-Agent %q, want respondctl/1.2.3", got)
	}
}
