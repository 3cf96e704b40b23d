package sandbox

import (
	"context"
	"fmt"
	"net"
	"net/url"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/respondctl/respondctl/commands/cmdutil"
	"github.com/respondctl/respondctl/output"
	"github.com/respondctl/respondctl/sandbox"
	"github.com/respondctl/respondctl/sandbox/faults"
	"github.com/respondctl/respondctl/sandbox/store"
	"github.com/spf13/cobra"
)

// ServeOptions holds the flags of `respondctl sandbox serve`.
type ServeOptions struct {
	IO          *output.IOStreams
	Addr        string
	DBPath      string
	Seed        string
	SeedGiven   bool // --seed was on the command line (not the default)
	Rate        float64
	Faults      string
	CoreOnly    bool
	Token       string
	AllowRemote bool
	Quiet       bool

	Webhook       string   // URL the sandbox posts its webhooks to
	WebhookEvents []string // event types; empty = all
	WebhookKey    string   // signing key; "" = generated and printed once
	WebhookFaults string

	// Context is cancelled to stop the server (SIGINT/SIGTERM by default).
	Context context.Context
}

// NewCmdServe builds `respondctl sandbox serve`.
func NewCmdServe(f *cmdutil.Factory, runF func(*ServeOptions) error) *cobra.Command {
	opts := &ServeOptions{IO: f.IOStreams}
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Serve the sandbox API until interrupted",
		Example: `  respondctl sandbox serve
  respondctl sandbox serve --db ./sandbox.db --seed demo --rate 0
  respondctl sandbox serve --seed large:200,conversation:100000   # contact 1 with 100,000 messages
  respondctl sandbox serve --faults "500=0.05,429=0.05,latency=20ms..300ms,seed=42"`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if opts.Rate < 0 {
				return cmdutil.FlagErrorf("--rate must be >= 0")
			}
			if err := checkLoopback(opts.Addr, opts.AllowRemote); err != nil {
				return err
			}
			if _, err := store.ParseSeed(opts.Seed); err != nil {
				return cmdutil.FlagErrorf("--seed: %v", err)
			}
			opts.SeedGiven = cmd.Flags().Changed("seed")
			if _, err := faults.Parse(opts.Faults); err != nil {
				return cmdutil.FlagErrorf("--%v", err)
			}
			if err := checkWebhookFlags(cmd, opts); err != nil {
				return err
			}
			opts.Context = cmd.Context()
			if runF != nil {
				return runF(opts)
			}
			return serveRun(opts)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&opts.Addr, "addr", "127.0.0.1:8686", "address to listen on (loopback only unless --allow-remote)")
	fl.StringVar(&opts.DBPath, "db", ":memory:", "SQLite database file (\":memory:\" keeps nothing)")
	fl.StringVar(&opts.Seed, "seed", "demo", "seed for a new database: demo[,conversation:M], empty or large:N[,conversation:M] (contact 1 gets exactly M messages)")
	fl.Float64Var(&opts.Rate, "rate", 5, "requests per second per token per endpoint (0 = no limit)")
	fl.StringVar(&opts.Faults, "faults", "", `fault injection spec, e.g. "500=0.05,502=0.02,429=0.05,reset=0.02,latency=20ms..300ms,seed=42"`)
	fl.BoolVar(&opts.CoreOnly, "core-only", false, "serve the core API only (no extensions)")
	fl.StringVar(&opts.Token, "token", "", "bearer token to accept (default: a random token)")
	fl.BoolVar(&opts.AllowRemote, "allow-remote", false, "allow listening on a non-loopback address")
	fl.BoolVar(&opts.Quiet, "quiet", false, "do not log requests to stderr")
	fl.StringVar(&opts.Webhook, "webhook", "", "post a signed webhook per change to this URL (e.g. respondctl listen's)")
	fl.StringSliceVar(&opts.WebhookEvents, "webhook-events", nil, "event types to send (default all): "+strings.Join(sandbox.WebhookEventTypes, ","))
	fl.StringVar(&opts.WebhookKey, "webhook-key", "", "webhook signing key (default: generated and printed once)")
	fl.StringVar(&opts.WebhookFaults, "webhook-faults", "", `webhook delivery faults, e.g. "duplicate=0.1,reorder=0.1,delay=0.05,delay-for=300ms,seed=7"`)
	return cmd
}

// checkLoopback refuses to expose the sandbox beyond this machine by accident.
func checkLoopback(addr string, allowRemote bool) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return cmdutil.FlagErrorf("invalid --addr %q: %v", addr, err)
	}
	if allowRemote {
		return nil
	}
	if host == "localhost" {
		return nil
	}
	if ip := net.ParseIP(host); ip != nil && ip.IsLoopback() {
		return nil
	}
	return cmdutil.FlagErrorf("--addr %q is not a loopback address; pass --allow-remote to listen on it", addr)
}

func serveRun(opts *ServeOptions) error {
	parent := opts.Context
	if parent == nil {
		parent = context.Background()
	}
	ctx, stop := signal.NotifyContext(parent, os.Interrupt, syscall.SIGTERM)
	defer stop()
	sopts := sandbox.Options{
		Addr: opts.Addr, DBPath: opts.DBPath, Seed: opts.Seed, Rate: opts.Rate, Faults: opts.Faults,
		CoreOnly: opts.CoreOnly, Token: opts.Token,
		Webhook: sandbox.WebhookOptions{URL: opts.Webhook, Events: opts.WebhookEvents, Key: opts.WebhookKey, Faults: opts.WebhookFaults},
	}
	if !opts.Quiet {
		sopts.Log = output.NewSafeWriter(opts.IO.ErrOut) // request paths are client text
	}
	if opts.SeedGiven && opts.DBPath != "" && opts.DBPath != ":memory:" {
		if st, err := os.Stat(opts.DBPath); err == nil && st.Size() > 0 {
			fmt.Fprintf(opts.IO.ErrOut, "note: %s exists: --seed %s is not applied (a seed fills a new database only; delete the file to seed again)\n",
				output.SafeText(opts.DBPath), opts.Seed)
		}
	}
	srv, err := sandbox.Start(ctx, sopts)
	if err != nil {
		return err
	}
	fmt.Fprintf(opts.IO.Out, "Sandbox listening on %s\nToken: %s\n", srv.URL(), srv.Token())
	if opts.Webhook != "" {
		fmt.Fprintf(opts.IO.Out, "Webhooks to %s\n", opts.Webhook)
		if opts.WebhookKey == "" { // generated: shown this once, as the platform shows a new webhook's key
			fmt.Fprintf(opts.IO.Out, "Webhook signing key: %s\n", srv.WebhookKey())
		}
	}
	<-ctx.Done()
	fmt.Fprintln(opts.IO.ErrOut, "Shutting down sandbox")
	return srv.Close()
}

// checkWebhookFlags validates the --webhook* flags before anything starts.
func checkWebhookFlags(cmd *cobra.Command, opts *ServeOptions) error {
	if opts.Webhook == "" {
		for _, name := range []string{"webhook-events", "webhook-key", "webhook-faults"} {
			if cmd.Flags().Changed(name) {
				return cmdutil.FlagErrorf("--%s needs --webhook URL", name)
			}
		}
		return nil
	}
	u, err := url.Parse(opts.Webhook)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return cmdutil.FlagErrorf("--webhook must be an http:// or https:// URL")
	}
	known := map[string]bool{}
	for _, t := range sandbox.WebhookEventTypes {
		known[t] = true
	}
	for _, e := range opts.WebhookEvents {
		if !known[strings.TrimSpace(e)] {
			return cmdutil.FlagErrorf("--webhook-events: unknown event type %q (%s)", e, strings.Join(sandbox.WebhookEventTypes, ", "))
		}
	}
	if _, err := sandbox.ParseWebhookFaults(opts.WebhookFaults); err != nil {
		return cmdutil.FlagErrorf("--%v", err)
	}
	return nil
}
