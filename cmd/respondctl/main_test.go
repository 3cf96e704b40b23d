package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/respondctl/respondctl/commands"
	"github.com/respondctl/respondctl/commands/cmdtest"
	"github.com/respondctl/respondctl/commands/factory"
	"github.com/respondctl/respondctl/internal/testparallel"
	"github.com/respondctl/respondctl/sandbox"
	"github.com/rogpeppe/go-internal/testscript"
)

// TestMain lets testscript run the respondctl command in a child process of
// the test binary (calling run, exactly like main).
//
// Most tests here run in parallel (t.Parallel): they wait on sandboxes, retries and
// timeouts more than on the CPU. Three kinds stay sequential, so that they never overlap a
// parallel one (Go runs every sequential top-level test before the parallel ones resume):
// a test that reads the process-global standard logger, which every commands.Execute points
// at its own stderr (TestUnsolicitedResponseLogIsScrubbed); one that sends SIGINT to the
// process, which would interrupt every command running at the time
// (TestInterruptedSendSaysOutcomeUnknown); and the JSON-contract tests, which set the
// process environment (t.Setenv).
func TestMain(m *testing.M) {
	testscript.Main(parallelM{m}, map[string]func(){
		"respondctl": func() { os.Exit(commands.Main(os.Args[1:], factory.New("test"))) },
	})
}

// parallelM raises -parallel (testparallel) in the test binary proper, not in the
// respondctl children testscript starts from it (their arguments are respondctl's).
type parallelM struct{ *testing.M }

func (p parallelM) Run() int {
	testparallel.Default(8)
	return p.M.Run()
}

type sandboxKey struct{}

// TestScripts runs testdata/script/*.txtar end to end. Each script gets:
//   - an in-process sandbox (":memory:", demo seed, 500 requests/s) whose URL
//     and token are in RESPOND_API_BASE and RESPOND_TOKEN; $TOKEN is the
//     token too, so scripts can assert `! stdout $TOKEN`;
//   - HOME and XDG_{CONFIG,STATE,CACHE}_HOME inside the script's work dir;
//   - commands: `sandbox-core-only` (restart the sandbox serving core only),
//     `file-mode PATH 0600` (assert permission bits), `sandbox-clock-on-send DURATION`
//     (from then on, every message send the sandbox answers moves its clock forward by
//     DURATION, before the command sees the answer: a `send --wait` finds the simulated
//     delivery, 1 to 3 s after the send, on its first poll instead of seconds later;
//     cmdtest.SandboxClock).
func TestScripts(t *testing.T) {
	t.Parallel() // see TestMain
	testscript.Run(t, testscript.Params{
		Dir:                 filepath.Join("..", "..", "testdata", "script"),
		RequireExplicitExec: true,
		Setup:               setupScript,
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){
			"sandbox-core-only":     cmdSandboxCoreOnly,
			"file-mode":             cmdFileMode,
			"sandbox-clock-on-send": cmdSandboxClockOnSend,
		},
	})
}

func setupScript(env *testscript.Env) error {
	clock := &cmdtest.SandboxClock{} // real time until sandbox-clock-on-send
	srv, err := startScriptSandbox(false, clock)
	if err != nil {
		return err
	}
	holder := &sandboxHolder{srv: srv, clock: clock}
	env.Values[sandboxKey{}] = holder
	env.Defer(func() { _ = holder.srv.Close() })
	work := env.WorkDir
	env.Setenv("HOME", work)
	env.Setenv("XDG_CONFIG_HOME", filepath.Join(work, ".config"))
	env.Setenv("XDG_STATE_HOME", filepath.Join(work, ".state"))
	env.Setenv("XDG_CACHE_HOME", filepath.Join(work, ".cache"))
	env.Setenv("RESPOND_API_BASE", srv.URL())
	env.Setenv("RESPOND_TOKEN", srv.Token())
	env.Setenv("TOKEN", srv.Token())
	env.Setenv("NO_COLOR", "1")
	return nil
}

type sandboxHolder struct {
	srv   *sandbox.Server
	clock *cmdtest.SandboxClock
}

func startScriptSandbox(coreOnly bool, clock *cmdtest.SandboxClock) (*sandbox.Server, error) {
	return sandbox.Start(context.Background(), sandbox.Options{
		DBPath:   ":memory:",
		Seed:     "demo",
		Rate:     500, // advertised, so the client paces at it instead of the default 5/s
		CoreOnly: coreOnly,
		Now:      clock.Now,
	})
}

func cmdSandboxCoreOnly(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 0 {
		ts.Fatalf("usage: sandbox-core-only")
	}
	h := ts.Value(sandboxKey{}).(*sandboxHolder)
	ts.Check(h.srv.Close())
	srv, err := startScriptSandbox(true, h.clock)
	ts.Check(err)
	h.srv = srv
	ts.Setenv("RESPOND_API_BASE", srv.URL())
	ts.Setenv("RESPOND_TOKEN", srv.Token())
	ts.Setenv("TOKEN", srv.Token())
}

func cmdSandboxClockOnSend(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: sandbox-clock-on-send DURATION")
	}
	d, err := time.ParseDuration(args[0])
	ts.Check(err)
	h := ts.Value(sandboxKey{}).(*sandboxHolder)
	proxy, base, err := cmdtest.AfterSendProxy(h.srv.URL(), func() { h.clock.Advance(d) })
	ts.Check(err)
	ts.Defer(proxy.Close)
	ts.Setenv("RESPOND_API_BASE", base)
}

func cmdFileMode(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) != 2 {
		ts.Fatalf("usage: file-mode PATH MODE")
	}
	want, err := strconv.ParseUint(args[1], 8, 32)
	ts.Check(err)
	st, err := os.Stat(ts.MkAbs(args[0]))
	ts.Check(err)
	got := uint64(st.Mode().Perm())
	if (got == want) == neg {
		ts.Fatalf("%s has mode %s, want %s%s", args[0], fmt.Sprintf("%04o", got), map[bool]string{true: "not ", false: ""}[neg], args[1])
	}
}
