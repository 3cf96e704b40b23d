package bulk

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"path/filepath"
	"strings"
)

// Workspace names where a journal's run acts, so a resume cannot continue it against another
// workspace: the API base URL and a fingerprint of the token (never the token: several
// workspaces share one base URL, the token tells them apart), or the database file of the
// local sandbox, whose URL changes with every start. Profile is for the record only.
type Workspace struct {
	BaseURL          string `json:"baseUrl,omitempty"`
	SandboxDB        string `json:"sandboxDb,omitempty"`
	Profile          string `json:"profile,omitempty"`
	TokenFingerprint string `json:"tokenFingerprint,omitempty"`
}

// TokenFingerprint is a short, one-way digest of a token: equal tokens give equal
// fingerprints, and the token cannot be read back from it.
func TokenFingerprint(token string) string {
	if token == "" {
		return ""
	}
	sum := sha256.Sum256([]byte("respondctl journal workspace\x00" + token))
	return "sha256:" + hex.EncodeToString(sum[:6])
}

// Same reports whether w and o select the same workspace.
func (w Workspace) Same(o Workspace) bool {
	if w.SandboxDB != "" || o.SandboxDB != "" {
		return cleanPath(w.SandboxDB) == cleanPath(o.SandboxDB)
	}
	return normalizeBaseURL(w.BaseURL) == normalizeBaseURL(o.BaseURL) && w.TokenFingerprint == o.TokenFingerprint
}

// IsZero: no workspace recorded (a journal written before journals named their workspace).
func (w Workspace) IsZero() bool { return w == Workspace{} }

// String describes the workspace for an error message: `the sandbox /s/sandbox.db` or
// `https://api.respond.io/v2 (profile "work", token sha256:…)`.
func (w Workspace) String() string {
	if w.SandboxDB != "" {
		return "the sandbox " + w.SandboxDB
	}
	var extra []string
	if w.Profile != "" {
		extra = append(extra, fmt.Sprintf("profile %q", w.Profile))
	}
	if w.TokenFingerprint != "" {
		extra = append(extra, "token "+w.TokenFingerprint)
	}
	s := w.BaseURL
	if s == "" {
		s = "(no base URL)"
	}
	if len(extra) > 0 {
		s += " (" + strings.Join(extra, ", ") + ")"
	}
	return s
}

// WorkspaceMismatchError: a resume against a workspace other than the journal's.
type WorkspaceMismatchError struct {
	Path             string
	Journal, Current Workspace
}

func (e *WorkspaceMismatchError) Error() string {
	return fmt.Sprintf("journal %s belongs to %s, but this command would act on %s: run the resume line the interrupted run printed (with its --sandbox/--profile/--api-base), or pass --workspace-check=off to continue here anyway",
		e.Path, e.Journal, e.Current)
}

// NoWorkspaceError: a journal without a workspace record (written by an older respondctl).
type NoWorkspaceError struct{ Path string }

func (e *NoWorkspaceError) Error() string {
	return fmt.Sprintf("journal %s does not record its workspace (written by an older respondctl): make sure this command selects the workspace it was started on and pass --workspace-check=off", e.Path)
}

// CheckWorkspace refuses a resume of j against current unless it is the journal's workspace.
func (j *Journal) CheckWorkspace(current Workspace) error {
	jw := j.state.Header.Workspace
	if jw.IsZero() {
		return &NoWorkspaceError{Path: j.path}
	}
	if !jw.Same(current) {
		return &WorkspaceMismatchError{Path: j.path, Journal: jw, Current: current}
	}
	return nil
}

func normalizeBaseURL(s string) string {
	return strings.TrimRight(strings.TrimSpace(s), "/")
}

func cleanPath(p string) string {
	if p == "" {
		return ""
	}
	if abs, err := filepath.Abs(p); err == nil {
		p = abs
	}
	if real, err := filepath.EvalSymlinks(p); err == nil {
		p = real
	}
	return filepath.Clean(p)
}
