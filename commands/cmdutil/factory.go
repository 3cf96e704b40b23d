// Package cmdutil holds what every command shares: the Factory of lazily built dependencies,
// global options, usage errors and the exit-code table.
package cmdutil

import (
	"context"
	"time"

	"github.com/respondctl/respondctl/apiclient"
	"github.com/respondctl/respondctl/config"
	"github.com/respondctl/respondctl/output"
	"github.com/respondctl/respondctl/scrub"
	"github.com/respondctl/respondctl/users"
)

// GlobalOptions holds the root command's persistent flags.
type GlobalOptions struct {
	Profile  string
	Output   string // table|json|jsonl|yaml
	JQ       string
	Template string
	TZ       string
	APIBase  string
	NoColor  bool
	Debug    bool
	Sandbox  bool
	Insecure bool
	Timeout  time.Duration
}

// Factory builds dependencies on first use, so --help, version and completion do no disk or
// network I/O.
type Factory struct {
	AppVersion     string
	ExecutableName string
	IOStreams      *output.IOStreams
	Global         *GlobalOptions
	// Secrets are the tokens this process knows; every sink (stdout, stderr,
	// the standard logger, journals) scrubs them. Nil scrubs nothing.
	Secrets *scrub.Set

	// Config loads the configuration file (once).
	Config func() (*config.Config, error)
	// APIClient builds the client for the selected profile (or the in-process sandbox).
	APIClient func() (*apiclient.Client, error)
	// Me resolves the current user ("me") of the selected profile against the workspace.
	Me func(ctx context.Context) (*apiclient.User, error)
	// Users is the run's one listing of the workspace's users: "me", `--to`, the actions'
	// result labels and the read commands' names share it. Nil (hand-built test factories):
	// each consumer lists the users itself.
	Users *users.Directory
	// Now is the clock used for relative times and durations.
	Now func() time.Time
	// StateDir is $XDG_STATE_HOME/respondctl (fallback ~/.local/state/respondctl)
	// of the factory's environment: bulk journals and the sandbox database live
	// under it. Nil (hand-built test factories) means the process environment.
	StateDir func() (string, error)
	// Connection reports where commands talk to: profile, base URL, token and
	// their sources (for auth status and the api command). It does not start
	// the sandbox: under --sandbox it reports what APIClient started, if anything.
	Connection func() (*Connection, error)
	// SoleCommand: this process runs this one command and nothing else (the respondctl
	// binary; factory.New). False where commands run in-process beside other work (tests,
	// an embedding program): a command may then change nothing process-wide.
	SoleCommand bool

	// Close releases what the lazy functions started (the in-process sandbox).
	// main calls it once after the command returns; safe to call when nothing started.
	Close func() error
}

// OutputOptions turns the global output flags into printer options.
func (f *Factory) OutputOptions() (output.Options, error) {
	g := f.Global
	opts := output.Options{
		Format:   output.Format(g.Output),
		JQ:       g.JQ,
		Template: g.Template,
		Now:      f.Now,
	}
	if opts.Format == "" {
		opts.Format = output.Format("table")
	}
	if g.TZ != "" {
		loc, err := time.LoadLocation(g.TZ)
		if err != nil {
			return opts, FlagErrorf("invalid --tz %q: use an IANA zone such as UTC or Asia/Kuala_Lumpur", g.TZ)
		}
		opts.Loc = loc
	}
	if err := opts.Validate(); err != nil {
		return opts, UsageError(err)
	}
	return opts, nil
}
