package sandbox

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/respondctl/respondctl/commands/cmdutil"
	"github.com/respondctl/respondctl/output"
)

func TestServeFlags(t *testing.T) {
	io := &output.IOStreams{Out: &bytes.Buffer{}, ErrOut: &bytes.Buffer{}}
	var got *ServeOptions
	cmd := NewCmdServe(&cmdutil.Factory{IOStreams: io}, func(o *ServeOptions) error { got = o; return nil })
	cmd.SetArgs([]string{"--addr", "127.0.0.1:0", "--seed", "empty", "--rate", "0", "--core-only", "--token", "t"})
	if err := cmd.Execute(); err != nil {
		t.Fatal(err)
	}
	if got.Addr != "127.0.0.1:0" || got.Seed != "empty" || got.Rate != 0 || !got.CoreOnly || got.Token != "t" {
		t.Errorf("options %+v", got)
	}
	for _, args := range [][]string{{"--addr", "0.0.0.0:8686"}, {"--addr", ":8686"}, {"--addr", "nonsense"}, {"--rate", "-1"},
		{"--seed", "bogus"}, {"--seed", "large:0"}, {"--faults", "500=2"}, {"--faults", "nope=1"}} {
		cmd := NewCmdServe(&cmdutil.Factory{IOStreams: io}, func(o *ServeOptions) error { return nil })
		cmd.SetArgs(args)
		cmd.SetOut(&bytes.Buffer{})
		cmd.SetErr(&bytes.Buffer{})
		err := cmd.Execute()
		var fe *cmdutil.FlagError
		if !errors.As(err, &fe) {
			t.Errorf("%v: %v, want a usage error", args, err)
		}
	}
	cmd = NewCmdServe(&cmdutil.Factory{IOStreams: io}, func(o *ServeOptions) error { return nil })
	cmd.SetArgs([]string{"--addr", "0.0.0.0:0", "--allow-remote"})
	if err := cmd.Execute(); err != nil {
		t.Errorf("--allow-remote: %v", err)
	}
}

func TestServeRunPrintsURLAndStops(t *testing.T) {
	out := &signalWriter{wrote: make(chan struct{}, 1)}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- serveRun(&ServeOptions{IO: &output.IOStreams{Out: out, ErrOut: &bytes.Buffer{}}, Addr: "127.0.0.1:0",
			DBPath: ":memory:", Seed: "empty", Token: "tok", Quiet: true, Context: ctx})
	}()
	select {
	case <-out.wrote:
	case <-time.After(10 * time.Second):
		t.Fatal("no output")
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "Sandbox listening on http://127.0.0.1:") {
		t.Errorf("output %q", out.String())
	}
}

// serve stops cleanly on SIGTERM (and SIGINT), logging one line per request
// without the token.
func TestServeStopsOnSIGTERMAndLogs(t *testing.T) {
	out := &signalWriter{wrote: make(chan struct{}, 1)}
	errOut := &signalWriter{wrote: make(chan struct{}, 1)}
	done := make(chan error, 1)
	go func() {
		done <- serveRun(&ServeOptions{IO: &output.IOStreams{Out: out, ErrOut: errOut}, Addr: "127.0.0.1:0",
			DBPath: ":memory:", Seed: "empty", Token: "tok-secret"})
	}()
	select {
	case <-out.wrote: // printed after the signal handler is installed
	case <-time.After(10 * time.Second):
		t.Fatal("no output")
	}
	url := strings.TrimSpace(strings.TrimPrefix(strings.Split(out.String(), "\n")[0], "Sandbox listening on "))
	req, _ := http.NewRequest("GET", url+"/space/user?limit=2", nil)
	req.Header.Set("Authorization", "Bearer tok-secret")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, res.Body)
	res.Body.Close()
	if err := syscall.Kill(syscall.Getpid(), syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("serve did not stop on SIGTERM")
	}
	if !strings.Contains(out.String(), "Token: tok-secret") {
		t.Errorf("stdout %q lacks the token line", out.String())
	}
	log := errOut.String()
	if strings.Count(log, "GET /v2/space/user 200") != 1 || strings.Contains(log, "tok-secret") || strings.Contains(log, "limit=") {
		t.Errorf("log %q: want one line per request, no token, no query", log)
	}
}

// signalWriter records output and signals the first write.
type signalWriter struct {
	mu    sync.Mutex
	buf   bytes.Buffer
	wrote chan struct{}
}

func (w *signalWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	select {
	case w.wrote <- struct{}{}:
	default:
	}
	return w.buf.Write(p)
}

func (w *signalWriter) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.buf.String()
}

// --seed on an existing database is not applied, and serve says so instead of silently
// serving the old data.
func TestServeSaysASeedIsNotAppliedToAnExistingDatabase(t *testing.T) {
	db := t.TempDir() + "/s.db"
	for i, seed := range []string{"demo", "empty"} {
		out := &signalWriter{wrote: make(chan struct{}, 1)}
		errOut := &bytes.Buffer{}
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan error, 1)
		go func() {
			done <- serveRun(&ServeOptions{IO: &output.IOStreams{Out: out, ErrOut: errOut}, Addr: "127.0.0.1:0",
				DBPath: db, Seed: seed, SeedGiven: true, Token: "tok", Quiet: true, Context: ctx})
		}()
		select {
		case <-out.wrote:
		case <-time.After(10 * time.Second):
			t.Fatal("no output")
		}
		cancel()
		if err := <-done; err != nil {
			t.Fatal(err)
		}
		noted := strings.Contains(errOut.String(), "--seed empty is not applied")
		if noted != (i == 1) {
			t.Errorf("run %d (--seed %s): stderr %q", i+1, seed, errOut.String())
		}
	}
}
