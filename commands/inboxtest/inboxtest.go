// Package inboxtest runs the read commands' tests against a real in-process sandbox: it
// starts one on 127.0.0.1 (":memory:", demo seed unless told otherwise) and builds the
// factory and streams the commands take, so each test asserts values from the seed.
package inboxtest

import (
	"bytes"
	"context"
	"testing"
	"time"

	"github.com/respondctl/respondctl/apiclient"
	"github.com/respondctl/respondctl/commands/cmdutil"
	"github.com/respondctl/respondctl/inbox"
	"github.com/respondctl/respondctl/output"
	"github.com/respondctl/respondctl/sandbox"
	"github.com/spf13/cobra"
)

// Demo seed facts the tests rely on (see sandbox/store/seed*.go).
const (
	AishaID          = 1 // Aisha Rahman, +60123456789, aisha@example.com, vip, assigned to Lee Wong
	AishaPhone       = "+60123456789"
	AishaEmail       = "aisha@example.com"
	ClosingSoonID    = 3 // WhatsApp window closes in about 90 minutes
	WindowClosedID   = 2 // last wrote 3 days ago: outside every 24h window
	LeeID            = 1 // Lee Wong, lee@example.com, agent, team Support
	WhatsAppChannel  = 31
	DemoContactCount = 300
)

// Server is a started sandbox with a client on it.
type Server struct {
	*sandbox.Server
	Client *apiclient.Client
}

// Start starts a sandbox that the test closes at cleanup. opts.DBPath defaults to
// ":memory:" and opts.Seed to "demo".
func Start(t testing.TB, opts sandbox.Options) *Server {
	t.Helper()
	if opts.DBPath == "" {
		opts.DBPath = ":memory:"
	}
	if opts.Seed == "" {
		opts.Seed = "demo"
	}
	srv, err := sandbox.Start(context.Background(), opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	client, err := apiclient.New(apiclient.Options{BaseURL: srv.URL(), Token: srv.Token(), RateLimit: -1})
	if err != nil {
		t.Fatal(err)
	}
	return &Server{Server: srv, Client: client}
}

// Me is the current user of the tests: Lee Wong, the first agent.
func (s *Server) Me(ctx context.Context) (*apiclient.User, error) {
	return s.Client.GetUser(ctx, LeeID)
}

// Session opens a read session on the sandbox (what the commands' Session field takes).
func (s *Server) Session(ctx context.Context) (*inbox.Session, error) {
	return inbox.NewSession(ctx, s.Client, nil, s.Me)
}

// Streams are fake IO streams, a terminal (colour on, 120 columns) or a pipe.
func Streams(tty bool) (*output.IOStreams, *bytes.Buffer, *bytes.Buffer) {
	ios, _, out, errOut := output.Test()
	ios.SetStdoutTTY(tty)
	ios.SetStderrTTY(tty)
	ios.SetColorEnabled(tty)
	ios.SetTerminalWidth(120)
	return ios, out, errOut
}

// Factory is a factory on the sandbox with fake streams; format is the -o flag ("" = table).
func (s *Server) Factory(tty bool, format string) (*cmdutil.Factory, *bytes.Buffer, *bytes.Buffer) {
	ios, out, errOut := Streams(tty)
	f := &cmdutil.Factory{
		IOStreams: ios,
		Global:    &cmdutil.GlobalOptions{Output: format, TZ: "UTC"},
		APIClient: func() (*apiclient.Client, error) { return s.Client, nil },
		Me:        s.Me,
		Now:       time.Now,
	}
	return f, out, errOut
}

// NoRequestFactory fails the test if a command builds an API client: bad input must be
// refused before any request.
func NoRequestFactory(t testing.TB) *cmdutil.Factory {
	ios, _, _ := Streams(false)
	return &cmdutil.Factory{IOStreams: ios, Global: &cmdutil.GlobalOptions{Output: "table"}, Now: time.Now,
		APIClient: func() (*apiclient.Client, error) {
			t.Errorf("an API client was built for bad input")
			return nil, cmdutil.FlagErrorf("no client in this test")
		}}
}

// Exec runs a command built by a NewCmdX with args, as the root would (silenced usage).
func Exec(f *cmdutil.Factory, cmd *cobra.Command, args ...string) error {
	cmd.SetArgs(args)
	cmd.SetOut(f.IOStreams.Out)
	cmd.SetErr(f.IOStreams.ErrOut)
	cmd.SilenceUsage, cmd.SilenceErrors = true, true
	return cmd.ExecuteContext(context.Background())
}
