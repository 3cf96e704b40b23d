package bulkcmd

import (
	"errors"
	"strings"

	"github.com/respondctl/respondctl/bulk"
	"github.com/respondctl/respondctl/commands/cmdutil"
)

// checkWorkspace refuses (exit 2) to resume a journal against another workspace than its own,
// unless --workspace-check=off.
func checkWorkspace(f *cmdutil.Factory, j *bulk.Journal, fl *Flags) error {
	switch fl.WorkspaceCheck {
	case "", "on":
	case "off":
		return nil
	default:
		return cmdutil.FlagErrorf("invalid --workspace-check %q: use on or off", fl.WorkspaceCheck)
	}
	ws, err := f.Workspace()
	if err != nil {
		return err
	}
	err = j.CheckWorkspace(ws)
	var mismatch *bulk.WorkspaceMismatchError
	var none *bulk.NoWorkspaceError
	if errors.As(err, &mismatch) || errors.As(err, &none) {
		return &cmdutil.ExitCodeError{Code: cmdutil.ExitUsage, Err: err}
	}
	return err
}

// workspaceFlags are the global flags that select this process's workspace again, for the
// printed resume line: `respondctl --sandbox send --resume …`. Environment variables
// (RESPOND_PROFILE, RESPOND_API_BASE, RESPOND_TOKEN) are the user's shell's to keep.
func workspaceFlags(f *cmdutil.Factory) []string {
	g := f.Global
	if g == nil {
		return nil
	}
	var out []string
	if g.Sandbox {
		out = append(out, "--sandbox")
	}
	if g.Profile != "" {
		out = append(out, "--profile", shellWord(g.Profile))
	}
	if g.APIBase != "" {
		out = append(out, "--api-base", shellWord(g.APIBase))
	}
	if g.Insecure {
		out = append(out, "--insecure")
	}
	return out
}

// resumeProgram is the program part of the resume line: the executable and workspace flags.
func resumeProgram(f *cmdutil.Factory) string {
	return strings.Join(append([]string{exe(f)}, workspaceFlags(f)...), " ")
}

// shellWord leaves plain words alone and single-quotes anything else.
func shellWord(s string) string {
	safe := s != "" && strings.IndexFunc(s, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("/._-+:=@%,", r))
	}) < 0
	if safe {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
