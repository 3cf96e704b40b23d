// Package cmdtest is the support package of the command tests: one way to start a sandbox
// (Start: in-process, on 127.0.0.1, ":memory:", demo seed unless told otherwise), one way to
// run respondctl (Env.Run in-process and Env.Command as a real process both go through
// commands.Main/Execute, the binary's own run path), one journal reader (ReadJournal), and
// helpers for the read commands (Factory, Session, Exec) and for checking the sandbox's state
// (Audit, Contact, CountWhere…).
package cmdtest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/respondctl/respondctl/apiclient"
	"github.com/respondctl/respondctl/commands/cmdutil"
	"github.com/respondctl/respondctl/commands/factory"
	"github.com/respondctl/respondctl/config"
	"github.com/respondctl/respondctl/internal/testparallel"
	"github.com/respondctl/respondctl/output"
	"github.com/respondctl/respondctl/sandbox"
)

// Env is one sandbox and a state directory for journals. The sandbox's methods (URL, Token,
// Store) are promoted.
type Env struct {
	*sandbox.Server
	T        testing.TB
	StateDir string
	// Now is the CLI's clock (nil: time.Now); the sandbox keeps its own.
	Now func() time.Time
	// TimeScale > 1 runs the CLI's API client on a clock TimeScale times faster than real time
	// (see fastClock), paced at FastRate requests per real second per endpoint. For fault
	// tests only: start the sandbox with Rate 0.
	TimeScale float64
	FastRate  float64
	// StderrTTY makes the command's stderr a terminal (progress bars), stdout staying a pipe.
	StderrTTY bool
	// APIBase, when set, is where the CLI talks instead of the sandbox (a proxy in front of it).
	APIBase string

	client *apiclient.Client
}

// runOpts are the per-Env knobs of run.
type runOpts struct {
	now       func() time.Time
	scale     float64
	fastRate  float64
	stderrTTY bool
}

// Start starts a sandbox (":memory:", seed "demo" unless opts say otherwise) that the test
// closes at cleanup. For commands run through Env.Run a Rate is advised: the client adopts
// the server's X-RateLimit-Limit, and without one paces every endpoint at the platform
// default of 5 requests/s.
func Start(t testing.TB, opts sandbox.Options) *Env {
	t.Helper()
	if opts.DBPath == "" {
		opts.DBPath = ":memory:"
	}
	if opts.Seed == "" {
		opts.Seed = "demo"
	}
	srv, err := sandbox.Start(context.Background(), opts)
	if err != nil {
		t.Fatalf("starting sandbox: %v", err)
	}
	t.Cleanup(func() { _ = srv.Close() })
	e := &Env{T: t, Server: srv, StateDir: t.TempDir()}
	if e.client, err = apiclient.New(apiclient.Options{BaseURL: srv.URL(), Token: srv.Token(), RateLimit: -1}); err != nil {
		t.Fatal(err)
	}
	return e
}

const (
	envAPIBase = config.EnvAPIBase
	envToken   = config.EnvToken
)

// EnvVars are the variables that point respondctl at this sandbox.
func (e *Env) EnvVars() map[string]string {
	base := e.Server.URL()
	if e.APIBase != "" {
		base = e.APIBase
	}
	return map[string]string{
		config.EnvAPIBase: base,
		config.EnvToken:   e.Server.Token(),
		"XDG_CONFIG_HOME": filepath.Join(e.StateDir, "config"),
		"XDG_STATE_HOME":  e.StateDir,
		"HOME":            e.StateDir,
	}
}

// Result is what one command run produced.
type Result struct {
	Stdout, Stderr string
	Code           int
}

func (r Result) String() string {
	return fmt.Sprintf("exit %d\n--- stdout\n%s--- stderr\n%s", r.Code, r.Stdout, r.Stderr)
}

// Run executes `respondctl ARGS…` in-process with stdin (nil: a terminal with nothing on it),
// through commands.Execute (see Main): the binary's run path, with the real factory on the
// sandbox.
func (e *Env) Run(stdin *string, args ...string) Result {
	return run(context.Background(), e.EnvVars(), runOpts{now: e.Now, scale: e.TimeScale, fastRate: e.FastRate, stderrTTY: e.StderrTTY}, stdin, args...)
}

func run(ctx context.Context, vars map[string]string, o runOpts, stdin *string, args ...string) Result {
	ios, in, out, errOut := output.Test()
	if stdin != nil {
		in.WriteString(*stdin)
	} else {
		ios.SetStdinTTY(true)
	}
	lookup := func(k string) (string, bool) { v, ok := vars[k]; return v, ok }
	ios.SetStderrTTY(o.stderrTTY)
	f := factory.NewWithDeps("test", factory.Deps{IOStreams: ios, Env: lookup, Now: o.now})
	if o.scale > 1 {
		useFastClient(f, vars, o.scale, o.fastRate)
	}
	if execute == nil {
		panic("cmdtest: running a command line needs cmdtest.Main(m, commands.Execute) in TestMain")
	}
	code := execute(ctx, f, args)
	return Result{Stdout: out.String(), Stderr: errOut.String(), Code: code}
}

// Executor runs one command line (commands.Execute). This package cannot import the command
// tree, since the read commands' own tests use it, so the tests that run whole command lines
// hand it over in TestMain (Main).
type Executor func(ctx context.Context, f *cmdutil.Factory, args []string) int

// execute is what Main was given.
var execute Executor

// MainEnv is the variable that turns a test binary into respondctl (Main).
const MainEnv = "CMDTEST_RESPONDCTL_ARGS"

// Main is the TestMain of the packages that run whole command lines:
//
//	func TestMain(m *testing.M) { cmdtest.Main(m, commands.Execute) }
//
// It keeps exec for Env.Run. When $CMDTEST_RESPONDCTL_ARGS (a JSON array) is set, the test
// binary is respondctl instead: it runs that command line as the binary does (the real
// factory, Ctrl-C cancelling) and exits, so Env.Command starts a real process to interrupt
// or kill -9 without building the binary.
//
// Tests marked t.Parallel run up to 8 at a time (testparallel) unless -parallel is given:
// the command tests wait on sandboxes, child processes and retries more than on the CPU.
func Main(m *testing.M, exec Executor) {
	execute = exec
	raw := os.Getenv(MainEnv)
	if raw == "" {
		testparallel.Default(8)
		os.Exit(m.Run())
	}
	var args []string
	if err := json.Unmarshal([]byte(raw), &args); err != nil {
		fmt.Fprintln(os.Stderr, "cmdtest: bad", MainEnv, err)
		os.Exit(2)
	}
	ctx, stop := cmdutil.SignalContext()
	code := exec(ctx, factory.New("test"), args)
	stop()
	os.Exit(code)
}

// Client is an API client on the sandbox, unthrottled, for setting up and checking state.
func (e *Env) Client() *apiclient.Client { return e.client }

// Contact reads a contact's state.
func (e *Env) Contact(id int64) *apiclient.Contact {
	e.T.Helper()
	c, err := e.Client().GetContact(context.Background(), apiclient.ContactID(id))
	if err != nil {
		e.T.Fatalf("contact %d: %v", id, err)
	}
	return c
}

// AuditRow is one row of GET /sandbox/audit.
type AuditRow struct {
	ID        int64  `json:"id"`
	Method    string `json:"method"`
	Endpoint  string `json:"endpoint"`
	ContactID *int64 `json:"contactId"`
	Action    string `json:"action"`
	Request   string `json:"request"`
	Result    string `json:"result"`
}

// Audit lists the sandbox's audit rows for an action ("message_sent", "assigned"…; "" for all)
// and contact (0 for all).
func (e *Env) Audit(action string, contactID int64) []AuditRow {
	e.T.Helper()
	var rows []AuditRow
	path := "/sandbox/audit?limit=100"
	if action != "" {
		path += "&action=" + action
	}
	if contactID != 0 {
		path += fmt.Sprintf("&contactId=%d", contactID)
	}
	c := e.Client()
	for path != "" {
		resp, err := c.Do(context.Background(), http.MethodGet, path, nil, nil)
		if err != nil {
			e.T.Fatalf("audit: %v", err)
		}
		var page struct {
			Items      []AuditRow `json:"items"`
			Pagination struct {
				Next string `json:"next"`
			} `json:"pagination"`
		}
		if err := json.Unmarshal(resp.Body, &page); err != nil {
			e.T.Fatalf("audit: %v", err)
		}
		rows = append(rows, page.Items...)
		path = ""
		if page.Pagination.Next != "" {
			_, q, _ := strings.Cut(page.Pagination.Next, "?")
			path = "/sandbox/audit?" + q
		}
	}
	return rows
}

// SentPerContact counts successful message_sent audit rows per contact.
func (e *Env) SentPerContact() map[int64]int {
	out := map[int64]int{}
	for _, r := range e.Audit("message_sent", 0) {
		if r.ContactID != nil && r.Result == "ok" {
			out[*r.ContactID]++
		}
	}
	return out
}

// ErrNoJournal: no journal file was found in the state directory.
var ErrNoJournal = errors.New("no journal written")

// Journals lists the journal files written under the state directory.
func (e *Env) Journals() ([]string, error) {
	m, err := filepath.Glob(filepath.Join(e.StateDir, "respondctl", "journals", "*.jsonl"))
	if err != nil || len(m) == 0 {
		return nil, ErrNoJournal
	}
	return m, nil
}

// Str returns a pointer to s (for Run's stdin).
func Str(s string) *string { return &s }

// OpenConversations counts a user's open conversations (EXT count).
func (e *Env) OpenConversations(userID int64) int {
	e.T.Helper()
	c, err := e.Client().CountContacts(context.Background(), apiclient.ContactListRequest{Filter: &apiclient.Filter{And: []apiclient.Condition{
		apiclient.FieldCondition("status", apiclient.OpIsEqualTo, apiclient.StatusOpen),
		apiclient.FieldCondition("assigneeUserId", apiclient.OpIsEqualTo, fmt.Sprint(userID)),
	}}})
	if err != nil {
		e.T.Fatalf("count: %v", err)
	}
	return c.Count
}

// SimulateIncoming makes a contact write a text message (sandbox-only endpoint).
func (e *Env) SimulateIncoming(contactID int64, text string) {
	e.T.Helper()
	body, _ := json.Marshal(map[string]any{"contactId": contactID, "message": map[string]any{"type": "text", "text": text}})
	if _, err := e.Client().Do(context.Background(), http.MethodPost, "/sandbox/simulate/incoming", nil, bytes.NewReader(body)); err != nil {
		e.T.Fatalf("simulate incoming: %v", err)
	}
}

// LastIncoming is the latest incoming message time of a contact over its channels.
func (e *Env) LastIncoming(contactID int64) time.Time {
	e.T.Helper()
	it := e.Client().IterateContactChannels(apiclient.ContactID(contactID), 0)
	var last int64
	for it.Next(context.Background()) {
		if p := it.Item().LastIncomingMessageTime; p != nil && *p > last {
			last = *p
		}
	}
	if err := it.Err(); err != nil {
		e.T.Fatalf("channels of %d: %v", contactID, err)
	}
	if last == 0 {
		return time.Time{}
	}
	return time.Unix(last, 0)
}

// ProductionFaults is the fault mix of the reliability requirements.
const ProductionFaults = "500=0.05,502=0.05,429=0.05,reset=0.03,latency=20ms..200ms"

// IDLines is "1\n2\n…\nn\n": the contacts of a large:n seed as input lines.
func IDLines(from, to int) string {
	var b strings.Builder
	for i := from; i <= to; i++ {
		fmt.Fprintf(&b, "%d\n", i)
	}
	return b.String()
}

// CountWhere counts contacts matching one field condition (EXT count).
func (e *Env) CountWhere(field, op string, value any) int {
	e.T.Helper()
	c, err := e.Client().CountContacts(context.Background(), apiclient.ContactListRequest{Filter: &apiclient.Filter{And: []apiclient.Condition{
		apiclient.FieldCondition(field, op, value),
	}}})
	if err != nil {
		e.T.Fatalf("count: %v", err)
	}
	return c.Count
}

// Records decodes -o json output of a mutating command.
func Records(t testing.TB, stdout string) []map[string]any {
	t.Helper()
	var recs []map[string]any
	if err := json.Unmarshal([]byte(stdout), &recs); err != nil {
		t.Fatalf("decoding results: %v\n%s", err, stdout)
	}
	return recs
}

// FaultTimeScale is how much faster than real time the client's clock runs in fault tests:
// the contract's whole-second Retry-After holds on injected 429s last 50 ms.
const FaultTimeScale = 20

// StartUnderFaults starts a sandbox with the production fault mix (ProductionFaults) and seed,
// and runs the CLI's client on a FaultTimeScale clock paced at 200 requests per real second
// per endpoint. The sandbox enforces no rate limit of its own: pacing against a real limit is
// TestAssignSustainsRateLimit's job, on the real clock.
func StartUnderFaults(t testing.TB, seed string) *Env {
	e := Start(t, sandbox.Options{Seed: seed, Faults: ProductionFaults})
	e.TimeScale, e.FastRate = FaultTimeScale, 200
	return e
}

// RunToCompletion runs a bulk command line; when some items exhausted their retries (exit 3)
// it finishes them with --resume, as a user would. It returns the first and the final run.
func (e *Env) RunToCompletion(stdin *string, args ...string) (first, final Result) {
	e.T.Helper()
	first = e.Run(stdin, args...)
	e.T.Logf("first run: exit %d, %s", first.Code, LastLine(first.Stderr))
	final = first
	if first.Code == cmdutil.ExitPartial {
		j, err := e.Journals()
		if err != nil {
			e.T.Fatal(err)
		}
		jr, err := ReadJournal(j[0])
		if err != nil {
			e.T.Fatal(err)
		}
		final = e.Run(nil, jr.Action, "--resume", j[0])
		e.T.Logf("resume: exit %d, %s", final.Code, LastLine(final.Stderr))
	}
	return first, final
}

// OneLineError reports whether stderr is one "error: …" line, plus at most the usage hint the
// run path adds to usage errors ("Run 'respondctl X --help' for usage.").
func (r Result) OneLineError() bool {
	lines := strings.Split(strings.TrimSpace(r.Stderr), "\n")
	if len(lines) == 2 && strings.HasPrefix(lines[1], "Run '") && strings.HasSuffix(lines[1], "for usage.") {
		lines = lines[:1]
	}
	return len(lines) == 1 && strings.HasPrefix(lines[0], "error: ")
}

// SyncBuffer is a bytes.Buffer safe for a writer goroutine (a command still running, the
// net/http logger) and the test reading it at the same time.
type SyncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *SyncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *SyncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
