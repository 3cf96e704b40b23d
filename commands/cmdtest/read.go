package cmdtest

// The read commands' helpers: a hand-built factory and fake streams on the sandbox, so each
// test calls a NewCmdX directly and asserts values from the seed.

import (
	"bytes"
	"context"
	"testing"
	"time"

	"github.com/respondctl/respondctl/apiclient"
	"github.com/respondctl/respondctl/commands/cmdutil"
	"github.com/respondctl/respondctl/inbox"
	"github.com/respondctl/respondctl/output"
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

// Me is the current user of the tests: Lee Wong, the first agent.
func (e *Env) Me(ctx context.Context) (*apiclient.User, error) {
	return e.client.GetUser(ctx, LeeID)
}

// Session opens a read session on the sandbox (what the commands' Session field takes).
func (e *Env) Session(ctx context.Context) (*inbox.Session, error) {
	return inbox.NewSession(ctx, e.client, nil, e.Me)
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
func (e *Env) Factory(tty bool, format string) (*cmdutil.Factory, *bytes.Buffer, *bytes.Buffer) {
	ios, out, errOut := Streams(tty)
	f := &cmdutil.Factory{
		IOStreams: ios,
		Global:    &cmdutil.GlobalOptions{Output: format, TZ: "UTC"},
		APIClient: func() (*apiclient.Client, error) { return e.client, nil },
		Me:        e.Me,
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
