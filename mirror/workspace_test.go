package mirror_test

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/respondctl/respondctl/bulk"
	"github.com/respondctl/respondctl/mirror"
)

func TestMirrorWorkspace(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "default.db")
	m, err := mirror.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	const tokenA, tokenB = "secret-token-of-a", "secret-token-of-b"
	a := bulk.Workspace{BaseURL: "http://127.0.0.1:8687/v2", Profile: "default", TokenFingerprint: bulk.TokenFingerprint(tokenA)}
	b := bulk.Workspace{BaseURL: "http://127.0.0.1:8686/v2", Profile: "default", TokenFingerprint: bulk.TokenFingerprint(tokenB)}
	sameURLOtherToken := bulk.Workspace{BaseURL: a.BaseURL + "/", Profile: "default", TokenFingerprint: bulk.TokenFingerprint(tokenB)}

	// A mirror that records no workspace (built before this was recorded) is unknown to readers.
	var none *mirror.NoWorkspaceError
	if err := m.CheckWorkspace(ctx, a); !errors.As(err, &none) || !mirror.IsWorkspaceError(err) {
		t.Fatalf("check of an unrecorded mirror: %v", err)
	}
	if err := m.CheckWorkspace(ctx, bulk.Workspace{}); err != nil {
		t.Fatalf("a command that cannot tell its workspace checks nothing: %v", err)
	}
	st, _ := m.Status(ctx)
	if st.Workspace != nil || !strings.Contains(strings.Join(st.Unknown, ";"), "which workspace") {
		t.Fatalf("status of an unrecorded mirror: %+v", st)
	}

	// The first writer adopts it; the same workspace is then accepted, another refused.
	if adopted, err := m.ClaimWorkspace(ctx, a); err != nil || !adopted {
		t.Fatalf("claim of an unrecorded mirror: %v %v", adopted, err)
	}
	if adopted, err := m.ClaimWorkspace(ctx, a); err != nil || adopted {
		t.Fatalf("second claim by the same workspace: %v %v", adopted, err)
	}
	if err := m.CheckWorkspace(ctx, a); err != nil {
		t.Fatalf("check by its own workspace: %v", err)
	}
	for _, other := range []bulk.Workspace{b, sameURLOtherToken, {SandboxDB: "/tmp/sandbox.db"}} {
		var mismatch *mirror.WorkspaceMismatchError
		err := m.CheckWorkspace(ctx, other)
		if !errors.As(err, &mismatch) {
			t.Fatalf("check by %s: %v", other, err)
		}
		if _, err := m.ClaimWorkspace(ctx, other); !errors.As(err, &mismatch) {
			t.Fatalf("claim by %s: %v", other, err)
		}
		msg := err.Error()
		if strings.Contains(msg, "\n") || !strings.Contains(msg, a.BaseURL) || !strings.Contains(msg, other.String()) ||
			strings.Contains(msg, tokenA) || strings.Contains(msg, tokenB) || !strings.Contains(msg, "mirror sync") {
			t.Fatalf("mismatch message: %s", msg)
		}
		if ue, ok := err.(interface{ IsUsageError() bool }); !ok || !ue.IsUsageError() {
			t.Fatalf("mismatch is not a usage error (exit 2)")
		}
	}
	st, _ = m.Status(ctx)
	if st.Workspace == nil || !st.Workspace.Same(a) {
		t.Fatalf("status workspace: %+v", st.Workspace)
	}

	// The record survives reopening.
	m.Close()
	m2, err := mirror.OpenExisting(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer m2.Close()
	if ws, err := m2.Workspace(ctx); err != nil || !ws.Same(a) || ws.TokenFingerprint != a.TokenFingerprint {
		t.Fatalf("workspace after reopening: %+v %v", ws, err)
	}
}
