// Package listen implements `respondctl listen`: the webhook receiver that keeps the
// profile's inbox mirror current.
package listen

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/respondctl/respondctl/bulk"
	"github.com/respondctl/respondctl/commands/cmdutil"
	"github.com/respondctl/respondctl/listener"
	"github.com/respondctl/respondctl/mirror"
	"github.com/respondctl/respondctl/output"
	"github.com/respondctl/respondctl/webhook"
	"github.com/spf13/cobra"
)

// ListenOptions holds the flags of `respondctl listen`.
type ListenOptions struct {
	IO          *output.IOStreams
	Addr        string
	Path        string
	Keys        []string
	KeysFile    string
	AllowRemote bool
	ForwardTo   string
	JSONL       bool

	// ProfileKeys are the profile's webhook_signing_keys; MirrorPath the database.
	ProfileKeys func() ([]string, error)
	MirrorPath  func() (string, error)
	// Workspace is the profile's workspace, recorded in (or checked against) the mirror;
	// nil or an error: not known (no token), nothing recorded or checked.
	Workspace func() (bulk.Workspace, error)
	// Ready is called with the bound address (tests).
	Ready   func(addr string)
	Context context.Context
}

// NewCmdListen builds `respondctl listen`.
func NewCmdListen(f *cmdutil.Factory, runF func(*ListenOptions) error) *cobra.Command {
	opts := &ListenOptions{IO: f.IOStreams, MirrorPath: f.MirrorPath, Workspace: f.Workspace}
	opts.ProfileKeys = func() ([]string, error) {
		cfg, err := f.Config()
		if err != nil {
			return nil, err
		}
		conn, err := f.Connection()
		if err != nil {
			return nil, err
		}
		if p := cfg.Profile(conn.ProfileName); p != nil {
			return p.WebhookSigningKeys, nil
		}
		return nil, nil
	}
	cmd := &cobra.Command{
		Use:   "listen",
		Short: "Receive the platform's webhooks into the local inbox mirror",
		Long: `Receive the workspace's webhooks and store each one in the profile's inbox mirror, which
views, contacts list and conversation show read on a server without the extensions.

Each POST must carry X-Webhook-Signature, the base64 HMAC-SHA256 of the raw body with one of
the signing keys (401 otherwise). Bodies over 1 MiB get 413. A verified event is stored
durably before the answer 200; the platform's test ping is answered 200 and not stored.
Duplicates are stored once (event_id) and any order is fine: per contact and field the
newest change wins.

Signing keys come from --signing-key (repeatable), --signing-keys-file (one per line) and
the profile's webhook_signing_keys; they are never printed. The listener binds to loopback
unless --allow-remote: put it behind a TLS reverse proxy or a tunnel (see the README).

One line per event goes to stderr; with -o jsonl each stored event's body is written to
stdout as one JSON line instead. Ctrl-C or SIGTERM stops accepting, finishes the requests
in flight and exits 0.`,
		Example: `  respondctl listen --signing-key "$WEBHOOK_KEY"
  respondctl listen --addr 127.0.0.1:8787 --path /respond --signing-keys-file ~/.config/respondctl/webhook-keys
  respondctl listen -o jsonl | jq -c 'select(.event_type == "message.received")'
  respondctl listen --forward-to http://127.0.0.1:9000/hook    # your script gets the same body and signature`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := checkLoopback(opts.Addr, opts.AllowRemote); err != nil {
				return err
			}
			if !strings.HasPrefix(opts.Path, "/") {
				return cmdutil.FlagErrorf("--path must start with /, got %q", opts.Path)
			}
			if opts.ForwardTo != "" && !strings.HasPrefix(opts.ForwardTo, "http://") && !strings.HasPrefix(opts.ForwardTo, "https://") {
				return cmdutil.FlagErrorf("--forward-to must be an http:// or https:// URL")
			}
			switch f.Global.Output {
			case "", "table":
			case "jsonl":
				opts.JSONL = true
			default:
				return cmdutil.FlagErrorf("listen prints lines on stderr, or the events as JSON lines with -o jsonl")
			}
			opts.Context = cmd.Context()
			if runF != nil {
				return runF(opts)
			}
			return listenRun(opts)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&opts.Addr, "addr", "127.0.0.1:8787", "address to listen on (loopback only unless --allow-remote)")
	fl.StringVar(&opts.Path, "path", "/", "URL path the webhooks are posted to")
	fl.StringArrayVar(&opts.Keys, "signing-key", nil, "a webhook signing key (repeatable: one per webhook)")
	fl.StringVar(&opts.KeysFile, "signing-keys-file", "", "file with signing keys, one per line (# comments)")
	fl.BoolVar(&opts.AllowRemote, "allow-remote", false, "allow listening on a non-loopback address")
	fl.StringVar(&opts.ForwardTo, "forward-to", "", "re-post each verified event (same body and signature) to this URL")
	return cmd
}

// checkLoopback refuses to expose the listener beyond this machine by accident.
func checkLoopback(addr string, allowRemote bool) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return cmdutil.FlagErrorf("invalid --addr %q: %v", addr, err)
	}
	if allowRemote || host == "localhost" {
		return nil
	}
	if ip := net.ParseIP(host); ip != nil && ip.IsLoopback() {
		return nil
	}
	return cmdutil.FlagErrorf("--addr %q is not a loopback address; put listen behind a TLS reverse proxy or a tunnel, or pass --allow-remote", addr)
}

// signingKeys gathers the keys from the flags, the file and the profile.
func signingKeys(opts *ListenOptions) (webhook.Keys, error) {
	all := append([]string{}, opts.Keys...)
	if opts.KeysFile != "" {
		b, err := os.ReadFile(opts.KeysFile)
		if err != nil {
			return webhook.Keys{}, cmdutil.FlagErrorf("--signing-keys-file: %v", errors.Unwrap(err))
		}
		all = append(all, webhook.ParseKeysFile(b)...)
	}
	if opts.ProfileKeys != nil {
		pk, err := opts.ProfileKeys()
		if err != nil {
			return webhook.Keys{}, err
		}
		all = append(all, pk...)
	}
	keys, err := webhook.NewKeys(all...)
	if err != nil {
		return keys, cmdutil.UsageError(err)
	}
	return keys, nil
}

func listenRun(opts *ListenOptions) error {
	keys, err := signingKeys(opts)
	if err != nil {
		return err
	}
	parent := opts.Context
	if parent == nil {
		parent = context.Background()
	}
	ctx, stop := signal.NotifyContext(parent, os.Interrupt, syscall.SIGTERM)
	defer stop()
	path, err := opts.MirrorPath()
	if err != nil {
		return err
	}
	m, err := mirror.Open(ctx, path)
	if err != nil {
		return err
	}
	defer m.Close()
	if err := claimWorkspace(ctx, m, opts.Workspace); err != nil {
		return err
	}
	lopts := listener.Options{Mirror: m, Keys: keys, Path: opts.Path, Log: output.NewSafeWriter(opts.IO.ErrOut), ForwardTo: opts.ForwardTo}
	if opts.JSONL {
		lopts.JSONL = opts.IO.Out
	}
	l, err := listener.New(lopts)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", opts.Addr)
	if err != nil {
		var oe *net.OpError
		if errors.As(err, &oe) {
			err = oe.Err
		}
		return fmt.Errorf("listen on %s: %w", opts.Addr, err)
	}
	fmt.Fprintf(opts.IO.ErrOut, "Listening for webhooks on http://%s%s (%d signing key%s), mirror %s\nReady! Press Ctrl-C to stop.\n",
		ln.Addr(), opts.Path, keys.Len(), plural(keys.Len()), path)
	if opts.Ready != nil {
		opts.Ready(ln.Addr().String())
	}
	err = l.Serve(ctx, ln, 10*time.Second)
	st := l.Stats()
	fmt.Fprintf(opts.IO.ErrOut, "Stopped: %d stored, %d duplicates, %d refused\n", st.Stored, st.Duplicates, st.Refused)
	return err
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

// claimWorkspace records the profile's workspace in the mirror (adopting one that records
// none) and refuses to feed a mirror of another workspace. A listener needs no token, so
// without one the workspace is not known and nothing is recorded: `mirror sync` will.
func claimWorkspace(ctx context.Context, m *mirror.Mirror, workspace func() (bulk.Workspace, error)) error {
	if workspace == nil {
		return nil
	}
	ws, err := workspace()
	if err != nil || (ws.TokenFingerprint == "" && ws.SandboxDB == "") {
		return nil
	}
	_, err = m.ClaimWorkspace(ctx, ws)
	return err
}
