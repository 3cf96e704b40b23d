package factory

import (
	"context"

	"github.com/respondctl/respondctl/config"
	"github.com/respondctl/respondctl/sandbox"
)

// SandboxServer is the part of *sandbox.Server the factory uses.
type SandboxServer interface {
	URL() string
	Token() string
	Close() error
}

// SandboxStarter starts the --sandbox server and reports its database path.
type SandboxStarter func(env config.LookupEnv) (SandboxServer, string, error)

// startSandbox runs the emulator in-process on a loopback port with a
// persistent database (seeded with the demo workspace on first use) and the
// platform's default rate limit, so --sandbox behaves like a workspace.
func startSandbox(env config.LookupEnv) (SandboxServer, string, error) {
	if _, err := config.EnsurePrivateDir(config.StateDir(env)); err != nil {
		return nil, "", err
	}
	dbPath := sandboxDBPath(env)
	srv, err := sandbox.Start(context.Background(), sandbox.Options{
		Addr:   "127.0.0.1:0",
		DBPath: dbPath,
		Seed:   "demo",
		Rate:   5,
	})
	if err != nil {
		return nil, "", err
	}
	return srv, dbPath, nil
}
