package mirror

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/respondctl/respondctl/bulk"
)

// keyWorkspace holds the JSON of the bulk.Workspace the mirror mirrors: its base URL and a
// fingerprint of the token (never the token), or the sandbox's database file. Bulk journals
// name their workspace the same way, with the same fingerprint.
const keyWorkspace = "workspace"

// Workspace is the workspace the mirror mirrors; the zero Workspace when none is recorded
// (a mirror built before mirrors recorded it).
func (m *Mirror) Workspace(ctx context.Context) (bulk.Workspace, error) {
	v, err := m.state(ctx, keyWorkspace)
	if err != nil || v == "" {
		return bulk.Workspace{}, err
	}
	var ws bulk.Workspace
	if err := json.Unmarshal([]byte(v), &ws); err != nil {
		return bulk.Workspace{}, fmt.Errorf("mirror %s: unreadable workspace record: %w", m.path, err)
	}
	return ws, nil
}

// WorkspaceMismatchError: the mirror is another workspace's than the command's.
type WorkspaceMismatchError struct {
	Path              string
	Mirrored, Current bulk.Workspace
}

func (e *WorkspaceMismatchError) Error() string {
	return fmt.Sprintf("the mirror %s is of %s, not of this command's workspace %s: select the profile of that workspace (--profile), or give this one a fresh mirror (move %s aside, then run `respondctl mirror sync`)",
		e.Path, e.Mirrored, e.Current, e.Path)
}

// IsUsageError: the command selects the wrong workspace or mirror (exit 2).
func (e *WorkspaceMismatchError) IsUsageError() bool { return true }

// NoWorkspaceError: a mirror that does not record its workspace (built by an older respondctl).
type NoWorkspaceError struct {
	Path    string
	Current bulk.Workspace
}

func (e *NoWorkspaceError) Error() string {
	return fmt.Sprintf("the mirror %s does not record which workspace it mirrors (built by an older respondctl): run `respondctl mirror sync` to adopt it for %s, or move it aside if it mirrors another workspace",
		e.Path, e.Current)
}

// IsUsageError: exit 2, like a mismatch.
func (e *NoWorkspaceError) IsUsageError() bool { return true }

// IsWorkspaceError reports whether err says the mirror is not (known to be) current's.
func IsWorkspaceError(err error) bool {
	var mismatch *WorkspaceMismatchError
	var none *NoWorkspaceError
	return errors.As(err, &mismatch) || errors.As(err, &none)
}

// CheckWorkspace returns nil when the mirror is current's, a *WorkspaceMismatchError when it
// is another's and a *NoWorkspaceError when it records none. A zero current (the command
// cannot tell where it acts) checks nothing.
func (m *Mirror) CheckWorkspace(ctx context.Context, current bulk.Workspace) error {
	if current.IsZero() {
		return nil
	}
	ws, err := m.Workspace(ctx)
	if err != nil {
		return err
	}
	return m.compareWorkspace(ws, current)
}

func (m *Mirror) compareWorkspace(ws, current bulk.Workspace) error {
	if ws.IsZero() {
		return &NoWorkspaceError{Path: m.path, Current: current}
	}
	if !ws.Same(current) {
		return &WorkspaceMismatchError{Path: m.path, Mirrored: ws, Current: current}
	}
	return nil
}

// ClaimWorkspace is CheckWorkspace for the commands that write the mirror (`mirror sync`,
// `listen`): a mirror that records no workspace is adopted for current (adopted is true),
// one of another workspace is refused. Check and record are one transaction, so two writers
// cannot adopt one mirror for two workspaces.
func (m *Mirror) ClaimWorkspace(ctx context.Context, current bulk.Workspace) (adopted bool, err error) {
	if current.IsZero() {
		return false, nil
	}
	err = m.write(ctx, func(tx *wtx) error {
		var v string
		err := tx.QueryRowContext(ctx, `SELECT value FROM state WHERE key = ?`, keyWorkspace).Scan(&v)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		if v != "" {
			var ws bulk.Workspace
			if err := json.Unmarshal([]byte(v), &ws); err != nil {
				return fmt.Errorf("mirror %s: unreadable workspace record: %w", m.path, err)
			}
			return m.compareWorkspace(ws, current)
		}
		b, err := json.Marshal(current)
		if err != nil {
			return err
		}
		adopted = true
		_, err = tx.ExecContext(ctx, `INSERT INTO state (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value`, keyWorkspace, string(b))
		return err
	})
	if err != nil {
		adopted = false
	}
	return adopted, err
}
