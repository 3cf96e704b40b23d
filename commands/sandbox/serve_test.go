package sandbox

import (
	"bytes"
	"context"
	"strings"
	"sync"
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
	for _, args := range [][]string{{"--addr", "0.0.0.0:8686"}, {"--addr", ":8686"}, {"--addr", "nonsense"}, {"--rate", "-1"}} {
		cmd := NewCmdServe(&cmdutil.Factory{IOStreams: io}, func(o *ServeOptions) error { return nil })
		cmd.SetArgs(args)
		cmd.SetOut(&bytes.Buffer{})
		cmd.SetErr(&bytes.Buffer{})
		if err := cmd.Execute(); err == nil {
			t.Errorf("%v accepted", args)
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
