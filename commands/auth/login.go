package auth

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/respondctl/respondctl/apiclient"
	"github.com/respondctl/respondctl/commands/cmdutil"
	"github.com/respondctl/respondctl/config"
	"github.com/respondctl/respondctl/output"
	"github.com/respondctl/respondctl/users"
	"github.com/spf13/cobra"
)

// LoginOptions are the inputs of `auth login`.
type LoginOptions struct {
	Factory   *cmdutil.Factory
	WithToken bool   // read the token from stdin
	User      string // email or id of "me"
	// ReadSecret reads a token from the terminal without echo, giving up
	// when ctx ends (tests replace it).
	ReadSecret func(ctx context.Context, prompt string) (string, error)
}

// NewCmdLogin builds `respondctl auth login`.
func NewCmdLogin(f *cmdutil.Factory, runF func(*LoginOptions) error) *cobra.Command {
	opts := &LoginOptions{Factory: f}
	cmd := &cobra.Command{
		Use:   "login",
		Short: "Save an API token for a workspace",
		Long: `Save an API token (and who you are) in a profile of the configuration file.

The token is checked with a cheap request before it is saved. On a terminal it
is read without echo; in scripts pipe it with --with-token.`,
		Example: `  respondctl auth login --user lee@example.com
  echo "$TOKEN" | respondctl auth login --with-token --profile work --api-base https://api.respond.io/v2`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if opts.ReadSecret == nil {
				opts.ReadSecret = terminalSecretReader(f)
			}
			if runF != nil {
				return runF(opts)
			}
			return loginRun(cmd.Context(), opts)
		},
	}
	cmd.Flags().BoolVar(&opts.WithToken, "with-token", false, "read the token from standard input")
	cmd.Flags().StringVar(&opts.User, "user", "", "your user in the workspace (email or id), used for \"me\"")
	_ = cmd.RegisterFlagCompletionFunc("user", cmdutil.CompleteUsers(f))
	return cmd
}

// loginResult is what login reports (-o json prints it).
type loginResult struct {
	Profile string `json:"profile"`
	BaseURL string `json:"baseUrl"`
	Token   string `json:"token"` // masked
	Me      *meRef `json:"me"`
	Config  string `json:"config"`
}

type meRef struct {
	ID    int64  `json:"id"`
	Name  string `json:"name"`
	Email string `json:"email"`
	Role  string `json:"role,omitempty"`
}

func loginRun(ctx context.Context, opts *LoginOptions) error {
	f := opts.Factory
	g := f.Global
	if g.Sandbox {
		return cmdutil.FlagErrorf("--sandbox needs no login")
	}
	cfg, err := f.Config()
	if err != nil {
		return err
	}
	profile := cfg.ActiveProfileName(g.Profile)
	if err := config.ValidateProfileName(profile); err != nil {
		return cmdutil.UsageError(err)
	}
	baseURL := loginBaseURL(cfg, profile, g.APIBase)

	token, err := readToken(ctx, opts)
	if err != nil {
		return err
	}
	client, err := f.NewClient(baseURL, token, false)
	if err != nil {
		return err
	}
	// The cheapest authenticated call: one user.
	if _, err := client.ListUsers(ctx, apiclient.PageOptions{Limit: 1}); err != nil {
		if apiclient.IsUnauthorized(err) || apiclient.IsForbidden(err) {
			return &cmdutil.ExitCodeError{Code: cmdutil.ExitAuth, Err: fmt.Errorf("%s rejected the token: %v", baseURL, err)}
		}
		return fmt.Errorf("checking the token against %s: %w", baseURL, err)
	}
	var me *apiclient.User
	if opts.User != "" {
		if me, err = cmdutil.ResolveUser(ctx, client, opts.User); err != nil {
			return err
		}
	}

	if err := config.ValidateProfileName(profile); err != nil {
		return cmdutil.UsageError(err)
	}
	// Applied to the file as it is now, under its lock (a concurrent
	// `config set` is kept).
	if err := cfg.Update(func(cfg *config.Config) error {
		hadCurrent := cfg.Profile(cfg.CurrentProfile) != nil
		p, err := cfg.EnsureProfile(profile)
		if err != nil {
			return cmdutil.UsageError(err)
		}
		p.Token = token
		if baseURL != config.DefaultBaseURL || p.BaseURL != "" {
			p.BaseURL = baseURL
		}
		if me != nil {
			p.Me = me.Email
			if p.Me == "" {
				p.Me = fmt.Sprint(me.ID)
			}
		}
		if !hadCurrent {
			cfg.CurrentProfile = profile // the first login makes its profile current
		}
		return nil
	}); err != nil {
		return err
	}
	_ = config.NewCapabilityCache(cfg.Env(), profile).Clear() // the server may have changed

	res := loginResult{Profile: profile, BaseURL: baseURL, Token: config.MaskToken(token), Config: cfg.Path()}
	if me != nil {
		res.Me = toMeRef(me)
	}
	if f.WantsStructured() {
		return cmdutil.PrintStructured(f, res)
	}
	cs := f.IOStreams.ColorScheme()
	fmt.Fprintf(f.IOStreams.ErrOut, "%s Logged in to %s (profile %s, token %s)\n", cs.Green("✓"), baseURL, profile, res.Token)
	if me != nil {
		fmt.Fprintf(f.IOStreams.ErrOut, "%s You are %s\n", cs.Green("✓"), output.SafeLine(users.FromAPI(*me).String()))
	} else if p := cfg.Profile(profile); p == nil || p.Me == "" {
		fmt.Fprintln(f.IOStreams.ErrOut, "Tip: run `respondctl auth login --user EMAIL` so commands know who \"me\" is.")
	}
	if v, _ := cfg.Env()(config.EnvToken); v != "" {
		fmt.Fprintf(f.IOStreams.ErrOut, "Note: %s is set and overrides the saved token.\n", config.EnvToken)
	}
	return nil
}

func toMeRef(u *apiclient.User) *meRef {
	return &meRef{ID: u.ID, Name: strings.TrimSpace(u.FirstName + " " + u.LastName), Email: u.Email, Role: u.Role}
}

// loginBaseURL is --api-base, else $RESPOND_API_BASE, else the profile's, else the default.
func loginBaseURL(cfg *config.Config, profile, flag string) string {
	if flag != "" {
		return strings.TrimRight(flag, "/")
	}
	if env, ok := cfg.Env()(config.EnvAPIBase); ok && env != "" {
		return strings.TrimRight(env, "/")
	}
	if p := cfg.Profile(profile); p != nil && p.BaseURL != "" {
		return p.BaseURL
	}
	return config.DefaultBaseURL
}

func readToken(ctx context.Context, opts *LoginOptions) (string, error) {
	ios := opts.Factory.IOStreams
	var token string
	switch {
	case opts.WithToken:
		b, err := io.ReadAll(io.LimitReader(ios.In, 64<<10))
		if err != nil {
			return "", fmt.Errorf("reading the token from stdin: %w", err)
		}
		token = string(b)
	case ios.IsStdinTTY():
		t, err := opts.ReadSecret(ctx, "Paste your API token: ")
		if err != nil {
			return "", err
		}
		token = t
	default:
		return "", cmdutil.FlagErrorf("stdin is not a terminal: pipe the token with --with-token")
	}
	token = strings.TrimSpace(token)
	if token == "" {
		return "", cmdutil.FlagErrorf("no token given")
	}
	if strings.ContainsAny(token, " \t\r\n") {
		return "", cmdutil.FlagErrorf("the token contains whitespace: paste only the token")
	}
	return token, nil
}
