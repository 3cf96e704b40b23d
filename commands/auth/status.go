package auth

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/respondctl/respondctl/apiclient"
	"github.com/respondctl/respondctl/commands/cmdutil"
	"github.com/respondctl/respondctl/output"
	"github.com/spf13/cobra"
)

// StatusOptions are the inputs of `auth status`.
type StatusOptions struct {
	Factory *cmdutil.Factory
}

// NewCmdStatus builds `respondctl auth status`.
func NewCmdStatus(f *cmdutil.Factory, runF func(*StatusOptions) error) *cobra.Command {
	opts := &StatusOptions{Factory: f}
	return &cobra.Command{
		Use:   "status",
		Short: "Show the profile, server, token (masked), who \"me\" is and the server's extensions",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if runF != nil {
				return runF(opts)
			}
			return statusRun(cmd.Context(), opts)
		},
	}
}

// AuthStatus is the record `auth status` prints.
type AuthStatus struct {
	Profile       string   `json:"profile"`
	Sandbox       bool     `json:"sandbox"`
	BaseURL       string   `json:"baseUrl"`
	BaseURLSource string   `json:"baseUrlSource"`
	Token         string   `json:"token"`       // masked: "****ef90"
	TokenSource   string   `json:"tokenSource"` // flag, env, profile, sandbox or "" (none), like baseUrlSource
	Authenticated bool     `json:"authenticated"`
	Me            *meRef   `json:"me"`
	MeError       string   `json:"meError,omitempty"`
	Extensions    []string `json:"extensions"`
	Error         string   `json:"error,omitempty"`
}

func statusRun(ctx context.Context, opts *StatusOptions) error {
	f := opts.Factory
	client, err := f.APIClient() // starts the sandbox under --sandbox
	if err != nil {
		return err
	}
	conn, err := f.Connection()
	if err != nil {
		return err
	}
	st := AuthStatus{
		Profile: conn.ProfileName, Sandbox: conn.Sandbox,
		BaseURL: conn.BaseURL, BaseURLSource: string(conn.BaseURLSource),
		Token: conn.MaskedToken(), TokenSource: string(conn.TokenSource),
		Extensions: []string{},
	}
	var failure error
	caps, err := client.Capabilities(ctx)
	switch {
	case err != nil:
		st.Error, failure = err.Error(), err
	default:
		st.Authenticated = true
		st.Extensions = caps.Extensions
		// Capabilities may come from the cache or a 404: prove the token works.
		if _, err := client.ListUsers(ctx, apiclient.PageOptions{Limit: 1}); err != nil {
			st.Authenticated, st.Error, failure = false, err.Error(), err
		}
	}
	if st.Authenticated {
		if me, err := f.Me(ctx); err != nil {
			st.MeError = err.Error()
		} else {
			st.Me = toMeRef(me)
		}
	}
	outOpts, err := f.OutputOptions()
	if err != nil {
		return err
	}
	if err := output.PrintOne(f.IOStreams, outOpts, output.Spec{Human: humanStatus}, st); err != nil {
		return err
	}
	if failure != nil {
		return failure
	}
	return nil
}

func sourceLabel(s string) string {
	if s == "env" {
		return "env RESPOND_TOKEN"
	}
	return s
}

func humanStatus(w io.Writer, rec any, cs *output.ColorScheme, _ output.TimeFormatter) error {
	st := rec.(AuthStatus)
	profile := st.Profile
	if st.Sandbox {
		profile = "(local sandbox)"
	}
	rows := [][2]string{
		{"Profile", output.SafeLine(profile)},
		{"API", output.SafeLine(fmt.Sprintf("%s (from %s)", st.BaseURL, st.BaseURLSource))},
		{"Token", output.SafeLine(fmt.Sprintf("%s (from %s)", st.Token, sourceLabel(st.TokenSource)))},
	}
	switch {
	case st.Error != "":
		rows = append(rows, [2]string{"Status", cs.Red("✗ " + output.SafeLine(st.Error))})
	default:
		rows = append(rows, [2]string{"Status", cs.Green("✓ logged in")})
	}
	switch {
	case st.Me != nil:
		// Names and errors come from the server.
		rows = append(rows, [2]string{"Me", output.SafeLine(fmt.Sprintf("%s <%s> (id %d, %s)", st.Me.Name, st.Me.Email, st.Me.ID, st.Me.Role))})
	case st.MeError != "":
		rows = append(rows, [2]string{"Me", cs.Yellow(output.SafeLine(st.MeError))})
	}
	if st.Authenticated {
		ext := "none (core API only: counts are paged, no events, pending or snooze)"
		if len(st.Extensions) > 0 {
			ext = output.SafeLine(strings.Join(st.Extensions, ", "))
		}
		rows = append(rows, [2]string{"Extensions", ext})
	}
	for _, r := range rows {
		if _, err := fmt.Fprintf(w, "%-11s %s\n", r[0]+":", r[1]); err != nil {
			return err
		}
	}
	return nil
}
