package cmdutil

import "github.com/respondctl/respondctl/bulk"

// Workspace is where this process's commands act, as bulk journals and the inbox mirror
// record it: the base URL and a fingerprint of the token, or the sandbox's database file.
// The zero Workspace when the factory has no connection (hand-built test factories).
func (f *Factory) Workspace() (bulk.Workspace, error) {
	if f.Connection == nil {
		return bulk.Workspace{}, nil
	}
	conn, err := f.Connection()
	if err != nil {
		return bulk.Workspace{}, err
	}
	if conn.Sandbox {
		return bulk.Workspace{SandboxDB: conn.SandboxDB, Profile: "sandbox"}, nil
	}
	return bulk.Workspace{
		BaseURL:          conn.BaseURL,
		Profile:          conn.ProfileName,
		TokenFingerprint: bulk.TokenFingerprint(conn.Token),
	}, nil
}
