package mirrorcmd_test

import (
	"context"
	"encoding/json"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/respondctl/respondctl/commands"
	"github.com/respondctl/respondctl/commands/cmdtest"
	"github.com/respondctl/respondctl/mirror"
	"github.com/respondctl/respondctl/sandbox"
)

func TestMain(m *testing.M) { cmdtest.Main(m, commands.Execute) }

type statusJSON struct {
	Path           string `json:"path"`
	MessagesResume int64  `json:"messagesResume"`
	Workspace      *struct {
		BaseURL          string `json:"baseUrl"`
		TokenFingerprint string `json:"tokenFingerprint"`
	} `json:"workspace"`
}

func mirrorStatus(t *testing.T, e *cmdtest.Env) statusJSON {
	t.Helper()
	r := e.Run(nil, "mirror", "status", "-o", "json")
	if r.Code != 0 {
		t.Fatalf("mirror status: %s", r)
	}
	var st statusJSON
	if err := json.Unmarshal([]byte(r.Stdout), &st); err != nil {
		t.Fatalf("mirror status: %v\n%s", err, r)
	}
	return st
}

// One profile's mirror, built from workspace A, then the profile pointed at workspace B
// (the same state directory, another base URL and token): B's commands must not read A's
// figures. --source mirror refuses (exit 2, one line, both workspaces, no token), auto
// falls back to the API with a notice, `mirror sync` refuses; a mirror that records no
// workspace (built before it was recorded) is unknown until a sync adopts it.
func TestMirrorBelongsToItsWorkspace(t *testing.T) {
	t.Parallel() // its own sandbox
	a := cmdtest.Start(t, sandbox.Options{Seed: "large:30", CoreOnly: true, Rate: 500})
	b := cmdtest.Start(t, sandbox.Options{Seed: "large:12", CoreOnly: true, Rate: 500})
	b.StateDir = a.StateDir
	if a.Token() == b.Token() && a.URL() == b.URL() {
		t.Fatal("the two sandboxes are one workspace")
	}
	if r := a.Run(nil, "mirror", "sync"); r.Code != 0 {
		t.Fatalf("mirror sync of A: %s", r)
	}
	st := mirrorStatus(t, a)
	if st.Workspace == nil || st.Workspace.BaseURL != a.URL() || !strings.HasPrefix(st.Workspace.TokenFingerprint, "sha256:") {
		t.Fatalf("status workspace: %+v", st.Workspace)
	}
	if r := a.Run(nil, "mirror", "status"); r.Code != 0 || !strings.Contains(r.Stdout, a.URL()) || strings.Contains(r.Stdout, a.Token()) {
		t.Fatalf("mirror status table: %s", r)
	}
	if r := a.Run(nil, "views", "--source", "mirror"); r.Code != 0 {
		t.Fatalf("views of A from A's mirror: %s", r)
	}

	refused := func(what string, r cmdtest.Result, mentions ...string) {
		t.Helper()
		if r.Code != 2 || r.Stdout != "" || !r.OneLineError() {
			t.Fatalf("%s: want a one-line error, exit 2: %s", what, r)
		}
		for _, tok := range []string{a.Token(), b.Token()} {
			if strings.Contains(r.Stderr, tok) {
				t.Fatalf("%s: the error shows a token: %s", what, r)
			}
		}
		for _, s := range mentions {
			if !strings.Contains(r.Stderr, s) {
				t.Fatalf("%s: the error does not mention %q: %s", what, s, r)
			}
		}
	}
	refused("views --source mirror", b.Run(nil, "views", "--source", "mirror"), a.URL(), b.URL(), "mirror sync", "--profile")
	refused("contacts list --source mirror", b.Run(nil, "contacts", "list", "--source", "mirror"), a.URL(), b.URL())
	refused("conversation show --source mirror", b.Run(nil, "conversation", "show", "1", "--source", "mirror"), a.URL(), b.URL())
	refused("mirror sync", b.Run(nil, "mirror", "sync"), a.URL(), b.URL())

	r := b.Run(nil, "views", "--source", "auto", "-o", "json")
	if r.Code != 0 || !strings.Contains(r.Stderr, "source: api (the mirror is of another workspace, "+a.URL()) ||
		!strings.Contains(r.Stdout, `"source":"api"`) || strings.Contains(r.Stdout, `"source":"mirror"`) {
		t.Fatalf("views --source auto on B: %s", r)
	}
	r = b.Run(nil, "contacts", "list", "--source", "auto", "-o", "json")
	if r.Code != 0 || !strings.Contains(r.Stderr, "source: api (the mirror is of another workspace") || strings.Contains(r.Stdout, `"source":"mirror"`) {
		t.Fatalf("contacts list --source auto on B: %s", r)
	}
	if n := len(cmdtest.Records(t, r.Stdout)); n != 12 {
		t.Fatalf("contacts list on B lists %d contacts, want B's 12:\n%s", n, r)
	}

	// A mirror from before workspaces were recorded.
	m, err := mirror.OpenExisting(context.Background(), st.Path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := m.DB().Exec(`DELETE FROM state WHERE key = 'workspace'`); err != nil {
		t.Fatal(err)
	}
	m.Close()
	if st := mirrorStatus(t, b); st.Workspace != nil {
		t.Fatalf("status of an unrecorded mirror: %+v", st.Workspace)
	}
	refused("views --source mirror, unrecorded", b.Run(nil, "views", "--source", "mirror"), "does not record", "mirror sync")
	r = b.Run(nil, "views", "--source", "auto")
	if r.Code != 0 || !strings.Contains(r.Stderr, "source: api (the mirror does not record its workspace") {
		t.Fatalf("views --source auto, unrecorded: %s", r)
	}
	// The first sync adopts it, for B; from then on A is the other workspace.
	r = b.Run(nil, "mirror", "sync")
	if r.Code != 0 || !strings.Contains(r.Stderr, "now mirrors "+b.URL()) {
		t.Fatalf("mirror sync adopting the mirror: %s", r)
	}
	if st := mirrorStatus(t, b); st.Workspace == nil || st.Workspace.BaseURL != b.URL() {
		t.Fatalf("status after adoption: %+v", st.Workspace)
	}
	if r := b.Run(nil, "views", "--source", "mirror"); r.Code != 0 {
		t.Fatalf("views of B after adoption: %s", r)
	}
	refused("views --source mirror on A after B adopted", a.Run(nil, "views", "--source", "mirror"), a.URL(), b.URL())
}

// `mirror sync --messages open` interrupted (Ctrl-C) in its message pass: the rerun reads
// neither the contact pages again nor the conversations already read.
func TestMirrorSyncResumesMessages(t *testing.T) {
	t.Parallel() // its own sandbox
	e := cmdtest.Start(t, sandbox.Options{Seed: "large:120", CoreOnly: true, Rate: 40})
	target, _ := url.Parse(e.URL())
	var contactPages, messagePages atomic.Int64
	interrupt := make(chan struct{})
	var once atomic.Bool
	proxy := httputil.NewSingleHostReverseProxy(&url.URL{Scheme: target.Scheme, Host: target.Host})
	// Not the standard logger: a command running in-process (commands.Execute) points it at
	// its own stderr, and these tests run in parallel; a client hanging up is expected here.
	proxy.ErrorLog = log.New(io.Discard, "", 0)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case strings.HasSuffix(r.URL.Path, "/contact/list"):
			contactPages.Add(1)
		case strings.HasSuffix(r.URL.Path, "/message/list"):
			if messagePages.Add(1) == 15 && once.CompareAndSwap(false, true) {
				close(interrupt)
			}
		}
		proxy.ServeHTTP(w, r)
	}))
	defer srv.Close()
	e.APIBase = srv.URL + target.Path

	cmd := e.Command("mirror", "sync", "--messages", "open")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case <-interrupt:
		_ = cmd.Process.Signal(os.Interrupt)
	case err := <-done:
		t.Fatalf("mirror sync finished before the interruption: %v", err)
	case <-time.After(time.Minute):
		_ = cmd.Process.Kill()
		t.Fatal("mirror sync did not reach its message pass")
	}
	select {
	case <-done:
	case <-time.After(30 * time.Second):
		_ = cmd.Process.Kill()
		t.Fatal("mirror sync did not stop on Ctrl-C")
	}
	if code := cmd.ProcessState.ExitCode(); code == 0 {
		t.Fatalf("interrupted mirror sync exited 0")
	}
	st := mirrorStatus(t, e)
	read := st.MessagesResume
	if read < 10 {
		t.Fatalf("the interrupted pass recorded %d conversations read", read)
	}
	m, err := mirror.OpenExisting(context.Background(), st.Path)
	if err != nil {
		t.Fatal(err)
	}
	var open int64
	err = m.DB().QueryRow(`SELECT COUNT(*) FROM contacts WHERE status = 'open'`).Scan(&open)
	m.Close()
	if err != nil || open <= read {
		t.Fatalf("open conversations %d, read %d: %v", open, read, err)
	}

	contactPages.Store(0)
	messagePages.Store(0)
	r := e.Run(nil, "mirror", "sync", "--messages", "open", "-o", "json")
	if r.Code != 0 {
		t.Fatalf("rerun: %s", r)
	}
	var res mirror.BackfillResult
	if err := json.Unmarshal([]byte(r.Stdout), &res); err != nil {
		t.Fatalf("rerun: %v\n%s", err, r)
	}
	if contactPages.Load() != 0 || messagePages.Load() != open-read || int64(res.ResumedConversations) != read ||
		int64(res.Conversations) != open-read || int64(res.Requests) != open-read {
		t.Fatalf("rerun: %d contact pages, %d message pages, want 0 and %d (open %d, read before %d): %+v",
			contactPages.Load(), messagePages.Load(), open-read, open, read, res)
	}
	if st := mirrorStatus(t, e); st.MessagesResume != 0 {
		t.Fatalf("status after the rerun: %+v", st)
	}
}
