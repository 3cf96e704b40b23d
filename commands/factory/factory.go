// Package factory builds the real cmdutil.Factory: configuration, API client
// and "me", each built lazily on first use so --help, version and completion
// do no disk or network I/O.
package factory

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/respondctl/respondctl/apiclient"
	"github.com/respondctl/respondctl/commands/cmdutil"
	"github.com/respondctl/respondctl/config"
	"github.com/respondctl/respondctl/output"
	"github.com/respondctl/respondctl/scrub"
	"github.com/respondctl/respondctl/users"
)

// Deps are the factory's seams; New fills them from the process.
type Deps struct {
	IOStreams *output.IOStreams
	Env       config.LookupEnv // nil: os.LookupEnv
	Now       func() time.Time // nil: time.Now
	// StartSandbox starts the in-process sandbox for --sandbox (nil: the real one).
	StartSandbox SandboxStarter
}

// New is the factory of the respondctl binary.
func New(version string) *cmdutil.Factory {
	f := NewWithDeps(version, Deps{IOStreams: output.System()})
	f.SoleCommand = true
	return f
}

// NewWithDeps builds a factory with injected streams, environment and clock.
func NewWithDeps(version string, d Deps) *cmdutil.Factory {
	if d.Env == nil {
		d.Env = config.OSEnv
	}
	if d.Now == nil {
		d.Now = time.Now
	}
	if d.StartSandbox == nil {
		d.StartSandbox = startSandbox
	}
	if d.IOStreams == nil {
		d.IOStreams = output.System()
	}
	f := &cmdutil.Factory{
		AppVersion:     version,
		ExecutableName: "respondctl",
		IOStreams:      d.IOStreams,
		Global:         &cmdutil.GlobalOptions{Output: "table", Timeout: apiclient.DefaultTimeout},
		Now:            d.Now,
		Secrets:        &scrub.Set{},
	}
	if tok, ok := d.Env(config.EnvToken); ok {
		f.Secrets.Add(tok)
	}
	// Scrubbing at the sinks: whatever path a token takes, it stops here.
	d.IOStreams.SetStreamFilter(func(w io.Writer) io.Writer { return scrub.NewWriter(w, f.Secrets) })
	l := &lazy{f: f, deps: d}
	f.Config = l.config
	f.Connection = l.connection
	f.APIClient = l.apiClient
	f.Me = l.me
	f.Users = users.NewDirectory(func(ctx context.Context) ([]apiclient.User, error) {
		c, err := l.apiClient()
		if err != nil {
			return nil, err
		}
		return users.ListAll(c)(ctx)
	})
	f.StateDir = func() (string, error) { return stateDir(d.Env) }
	f.Close = l.close
	return f
}

// lazy holds what the factory has built so far. Each piece is built once.
type lazy struct {
	f    *cmdutil.Factory
	deps Deps

	mu      sync.Mutex
	cfg     *config.Config
	cfgErr  error
	cfgDone bool

	conn    *cmdutil.Connection
	client  *apiclient.Client
	sandbox SandboxServer

	meUser *apiclient.User
}

func (l *lazy) config() (*config.Config, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.configLocked()
}

func (l *lazy) configLocked() (*config.Config, error) {
	if !l.cfgDone {
		l.cfg, l.cfgErr = config.Load(l.deps.Env)
		l.cfgDone = true
		if l.cfg != nil {
			for _, name := range l.cfg.ProfileNames() {
				l.f.Secrets.Add(l.cfg.Profile(name).Token)
			}
		}
		if l.cfgErr == nil {
			if w := l.cfg.ExposedTokenWarning(); w != "" {
				fmt.Fprintln(l.f.IOStreams.ErrOut, "warning: "+w)
			}
		}
	}
	return l.cfg, l.cfgErr
}

// connection resolves flags > env > profile without touching the network.
func (l *lazy) connection() (*cmdutil.Connection, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.connectionLocked()
}

func (l *lazy) connectionLocked() (*cmdutil.Connection, error) {
	if l.conn != nil {
		return l.conn, nil
	}
	g := l.f.Global
	if g.Sandbox {
		if g.APIBase != "" {
			return nil, cmdutil.FlagErrorf("--sandbox and --api-base cannot be used together")
		}
		conn := &cmdutil.Connection{ProfileName: "sandbox", Sandbox: true, SandboxDB: sandboxDBPath(l.deps.Env)}
		if l.sandbox != nil {
			conn.BaseURL, conn.Token = l.sandbox.URL(), l.sandbox.Token()
			l.f.Secrets.Add(conn.Token)
			conn.BaseURLSource, conn.TokenSource = "sandbox", "sandbox"
		}
		return conn, nil // not cached until the sandbox runs
	}
	cfg, err := l.configLocked()
	if err != nil {
		return nil, err
	}
	eff, err := cfg.Resolve(config.Overrides{Profile: g.Profile, APIBase: g.APIBase, Insecure: g.Insecure})
	if config.IsFileError(err) {
		return nil, err // exit 2 as well, without a "see --help": the file is at fault, not the flags
	}
	if err != nil {
		return nil, cmdutil.UsageError(err)
	}
	l.f.Secrets.Add(eff.Token)
	l.conn = &cmdutil.Connection{
		ProfileName:   eff.ProfileName,
		BaseURL:       eff.BaseURL,
		BaseURLSource: eff.BaseURLSource,
		Token:         eff.Token,
		TokenSource:   eff.TokenSource,
		Insecure:      g.Insecure || eff.Profile.Insecure,
	}
	return l.conn, nil
}

func (l *lazy) apiClient() (*apiclient.Client, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.client != nil {
		return l.client, nil
	}
	g := l.f.Global
	if g.Sandbox && l.sandbox == nil {
		if _, err := l.connectionLocked(); err != nil { // flag conflicts first
			return nil, err
		}
		_, statErr := os.Stat(sandboxDBPath(l.deps.Env))
		srv, dbPath, err := l.deps.StartSandbox(l.deps.Env)
		if err != nil {
			return nil, fmt.Errorf("start the local sandbox: %w", err)
		}
		l.sandbox = srv
		if errors.Is(statErr, fs.ErrNotExist) {
			// Said once, when the database is created, not on every command.
			fmt.Fprintf(l.f.IOStreams.ErrOut, "Created the local sandbox (%s) with a demo workspace; changes persist. Run without --sandbox for your workspace.\n", dbPath)
		}
	}
	conn, err := l.connectionLocked()
	if err != nil {
		return nil, err
	}
	if conn.Token == "" {
		return nil, cmdutil.ErrNotAuthenticated
	}
	opts := l.f.ClientOptions(conn.BaseURL, conn.Token, conn.Insecure)
	if !conn.Sandbox {
		opts.CapabilityCache = capabilityCache{config.NewCapabilityCache(l.deps.Env, conn.ProfileName)}
	}
	c, err := apiclient.New(opts)
	if err != nil {
		return nil, cmdutil.UsageError(err)
	}
	l.client = c
	return c, nil
}

func (l *lazy) close() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.sandbox == nil {
		return nil
	}
	if l.client != nil {
		l.client.CloseIdleConnections() // else the sandbox's graceful shutdown waits on them
	}
	err := l.sandbox.Close()
	l.sandbox = nil
	return err
}

// me resolves the current user once per process.
func (l *lazy) me(ctx context.Context) (*apiclient.User, error) {
	l.mu.Lock()
	cached := l.meUser
	l.mu.Unlock()
	if cached != nil {
		return cached, nil
	}
	var u *apiclient.User
	var err error
	if l.f.Global.Sandbox {
		u, err = l.firstAgent(ctx)
	} else {
		u, err = l.profileMe(ctx)
	}
	if err != nil {
		return nil, err
	}
	l.mu.Lock()
	l.meUser = u
	l.mu.Unlock()
	return u, nil
}

// firstAgent is the --sandbox "me": the first user with role agent.
func (l *lazy) firstAgent(ctx context.Context) (*apiclient.User, error) {
	list, err := l.f.Users.List(ctx)
	if err != nil {
		return nil, err
	}
	for i := range list {
		if list[i].Role == "agent" {
			return &list[i], nil
		}
	}
	return nil, cmdutil.NotFoundf("the workspace has no user with role agent")
}

// profileMe resolves the profile's `me` by the rules of package users.
func (l *lazy) profileMe(ctx context.Context) (*apiclient.User, error) {
	conn, err := l.connection()
	if err != nil {
		return nil, err
	}
	cfg, err := l.config()
	if err != nil {
		return nil, err
	}
	var me string
	if p := cfg.Profile(conn.ProfileName); p != nil {
		me = p.Me
	}
	if me == "" {
		return nil, &cmdutil.MeUnknownError{Profile: conn.ProfileName}
	}
	list, err := l.f.Users.List(ctx)
	if err != nil {
		return nil, err
	}
	return users.Lookup(list, me, nil)
}

// stateDir is config.StateDir, refusing the relative path it falls back to
// when neither XDG_STATE_HOME nor a home directory is known.
func stateDir(env config.LookupEnv) (string, error) {
	dir := config.StateDir(env)
	if !filepath.IsAbs(dir) {
		return "", fmt.Errorf("no state directory: set XDG_STATE_HOME or HOME")
	}
	return dir, nil
}

// sandboxDBPath is where --sandbox keeps its database.
func sandboxDBPath(env config.LookupEnv) string {
	return filepath.Join(config.StateDir(env), "sandbox.db")
}
