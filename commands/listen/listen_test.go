package listen

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/respondctl/respondctl/bulk"
	"github.com/respondctl/respondctl/commands/cmdutil"
	"github.com/respondctl/respondctl/mirror"
	"github.com/respondctl/respondctl/output"
)

func factory() *cmdutil.Factory {
	return &cmdutil.Factory{IOStreams: &output.IOStreams{Out: &bytes.Buffer{}, ErrOut: &bytes.Buffer{}}, Global: &cmdutil.GlobalOptions{}}
}

func TestListenFlags(t *testing.T) {
	var got *ListenOptions
	f := factory()
	cmd := NewCmdListen(f, func(o *ListenOptions) error { got = o; return nil })
	cmd.SetArgs([]string{"--addr", "127.0.0.1:0", "--path", "/respond", "--signing-key", "a", "--signing-key", "b", "--forward-to", "http://127.0.0.1:9/x"})
	if err := cmd.Execute(); err != nil {
		t.Fatal(err)
	}
	if got.Path != "/respond" || len(got.Keys) != 2 || got.ForwardTo != "http://127.0.0.1:9/x" || got.JSONL {
		t.Errorf("options %+v", got)
	}
	for _, args := range [][]string{{"--addr", "0.0.0.0:8787"}, {"--addr", "nonsense"}, {"--path", "respond"},
		{"--forward-to", "ftp://x"}} {
		cmd := NewCmdListen(factory(), func(o *ListenOptions) error { return nil })
		cmd.SetArgs(args)
		cmd.SetOut(&bytes.Buffer{})
		cmd.SetErr(&bytes.Buffer{})
		var fe *cmdutil.FlagError
		if err := cmd.Execute(); !errors.As(err, &fe) {
			t.Errorf("%v: %v, want a usage error", args, err)
		}
	}
	f = factory()
	f.Global.Output = "json"
	cmd = NewCmdListen(f, func(o *ListenOptions) error { return nil })
	cmd.SetArgs([]string{})
	var fe *cmdutil.FlagError
	if err := cmd.Execute(); !errors.As(err, &fe) {
		t.Errorf("-o json: %v, want a usage error", err)
	}
}

// Keys come from the flags, the file and the profile; none at all is a usage error that
// never prints a key.
func TestSigningKeys(t *testing.T) {
	file := filepath.Join(t.TempDir(), "keys")
	os.WriteFile(file, []byte("# one per webhook\nfile-key\n"), 0o600)
	opts := &ListenOptions{Keys: []string{"flag-key"}, KeysFile: file,
		ProfileKeys: func() ([]string, error) { return []string{"profile-key", "flag-key"}, nil }}
	keys, err := signingKeys(opts)
	if err != nil || keys.Len() != 3 {
		t.Fatalf("keys %d, %v", keys.Len(), err)
	}
	_, err = signingKeys(&ListenOptions{ProfileKeys: func() ([]string, error) { return nil, nil }})
	var fe *cmdutil.FlagError
	if !errors.As(err, &fe) || !strings.Contains(err.Error(), "--signing-key") {
		t.Fatalf("no keys: %v", err)
	}
	_, err = signingKeys(&ListenOptions{KeysFile: filepath.Join(t.TempDir(), "missing")})
	if !errors.As(err, &fe) {
		t.Fatalf("missing file: %v", err)
	}
}

// listenRun stops cleanly when its context ends, and says what it stored.
func TestListenRunStops(t *testing.T) {
	errOut := &bytes.Buffer{}
	ctx, cancel := context.WithCancel(context.Background())
	ready := make(chan string, 1)
	done := make(chan error, 1)
	go func() {
		done <- listenRun(&ListenOptions{IO: &output.IOStreams{Out: &bytes.Buffer{}, ErrOut: errOut}, Addr: "127.0.0.1:0", Path: "/",
			Keys: []string{"k"}, MirrorPath: func() (string, error) { return filepath.Join(t.TempDir(), "m.db"), nil },
			Ready: func(addr string) { ready <- addr }, Context: ctx})
	}()
	<-ready
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(errOut.String(), "Ready!") || !strings.Contains(errOut.String(), "Stopped: 0 stored") || strings.Contains(errOut.String(), "k)") {
		t.Errorf("stderr %q", errOut)
	}
}

// listen records the profile's workspace in the mirror it feeds (adopting one that records
// none), refuses a mirror of another workspace (exit 2) and records nothing without a token.
func TestListenClaimsWorkspace(t *testing.T) {
	path := filepath.Join(t.TempDir(), "m.db")
	a := bulk.Workspace{BaseURL: "http://127.0.0.1:8687/v2", Profile: "default", TokenFingerprint: bulk.TokenFingerprint("ta")}
	b := bulk.Workspace{BaseURL: "http://127.0.0.1:8686/v2", Profile: "default", TokenFingerprint: bulk.TokenFingerprint("tb")}
	run := func(ws bulk.Workspace) error {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		ready := make(chan string, 1)
		done := make(chan error, 1)
		go func() {
			done <- listenRun(&ListenOptions{IO: &output.IOStreams{Out: &bytes.Buffer{}, ErrOut: &bytes.Buffer{}}, Addr: "127.0.0.1:0", Path: "/",
				Keys: []string{"k"}, MirrorPath: func() (string, error) { return path, nil },
				Workspace: func() (bulk.Workspace, error) { return ws, nil },
				Ready:     func(addr string) { ready <- addr }, Context: ctx})
		}()
		select {
		case <-ready:
			cancel()
			return <-done
		case err := <-done:
			return err
		}
	}
	recorded := func() bulk.Workspace {
		m, err := mirror.OpenExisting(context.Background(), path)
		if err != nil {
			t.Fatal(err)
		}
		defer m.Close()
		ws, err := m.Workspace(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		return ws
	}
	if err := run(bulk.Workspace{BaseURL: a.BaseURL, Profile: "default"}); err != nil || !recorded().IsZero() {
		t.Fatalf("without a token: %v, recorded %+v", err, recorded())
	}
	if err := run(a); err != nil || !recorded().Same(a) {
		t.Fatalf("first listen with a workspace: %v, recorded %+v", err, recorded())
	}
	err := run(b)
	if cmdutil.ExitCode(err) != cmdutil.ExitUsage || !mirror.IsWorkspaceError(err) || !recorded().Same(a) {
		t.Fatalf("listen for another workspace: %v (exit %d), recorded %+v", err, cmdutil.ExitCode(err), recorded())
	}
}
