package inbox

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/respondctl/respondctl/config"
)

// A name that is both a profile and a workspace view is an error naming both kinds, never a
// silent pick; profile:NAME and workspace:NAME choose.
func TestViewNameInBothProfileAndWorkspace(t *testing.T) {
	src := ViewSources{
		Profile: []config.View{{Name: "VIP open", Status: "open", Tags: []string{"vip"}}, {Name: "Mine too", Status: "open"}},
		Workspace: func(context.Context) ([]WorkspaceView, error) {
			return []WorkspaceView{{ID: 1, Name: "VIP Open", Status: "open"}, {ID: 2, Name: "Waiting", Status: "pending"}}, nil
		},
	}
	ctx := context.Background()
	_, err := ResolveView(ctx, src, "vip open")
	var amb *AmbiguousViewError
	if !errors.As(err, &amb) {
		t.Fatalf("want an ambiguity error, got %v", err)
	}
	for _, want := range []string{"profile view", "workspace view", `"profile:VIP open"`, `"workspace:VIP open"`} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("%q lacks %q", err, want)
		}
	}
	if v, err := ResolveView(ctx, src, "profile:VIP open"); err != nil || v.Kind != ViewProfile {
		t.Errorf("profile: %+v %v", v, err)
	}
	if v, err := ResolveView(ctx, src, "Workspace: vip open"); err != nil || v.Kind != ViewWorkspace || v.Name != "VIP Open" {
		t.Errorf("workspace: %+v %v", v, err)
	}
	if v, err := ResolveView(ctx, src, "Mine too"); err != nil || v.Kind != ViewProfile {
		t.Errorf("a profile view alone: %+v %v", v, err)
	}
	if _, err := ResolveView(ctx, src, "workspace:Mine too"); !IsUnknownView(err) {
		t.Errorf("workspace:NAME of a profile-only view: %v", err)
	}

	// --alert names views the same way.
	counts := []ViewCount{{Name: "VIP open", Kind: ViewProfile, Count: 3}, {Name: "VIP Open", Kind: ViewWorkspace, Count: 30}}
	a, _ := ParseViewAlert("VIP open>10")
	if _, _, err := a.Check(counts); !errors.As(err, &amb) {
		t.Errorf("alert on an ambiguous name: %v", err)
	}
	a, _ = ParseViewAlert("workspace:VIP open>10")
	if hit, _, err := a.Check(counts); err != nil || !hit {
		t.Errorf("workspace: alert: %v %v", hit, err)
	}
}

// A doubled or misplaced operator is a malformed --alert (exit 2), not a view named
// "unassigned>" that does not exist (exit 5).
func TestParseViewAlertRefusesDoubledOperators(t *testing.T) {
	for _, expr := range []string{"unassigned>>5", "mine=>3", "All<>2", "vip!==1"} {
		if _, err := ParseViewAlert(expr); err == nil || !strings.Contains(err.Error(), "invalid --alert") {
			t.Errorf("%s: %v", expr, err)
		}
	}
	if a, err := ParseViewAlert("mine.unread>=1"); err != nil || a.View != "mine" || a.Op != ">=" || !a.Unread {
		t.Errorf("mine.unread>=1: %+v, %v", a, err)
	}
}

// A profile view named like a built-in one is not shadowed silently: the name is ambiguous
// until builtin:NAME or profile:NAME picks one.
func TestProfileViewNamedLikeABuiltinIsAmbiguous(t *testing.T) {
	src := ViewSources{Profile: []config.View{{Name: "mine", Assignee: "none"}}}
	_, err := ResolveView(context.Background(), src, "Mine")
	var amb *AmbiguousViewError
	if !errors.As(err, &amb) || !strings.Contains(err.Error(), `"builtin:Mine" or "profile:Mine"`) {
		t.Fatalf("Mine: %v", err)
	}
	if v, err := ResolveView(context.Background(), src, "profile:mine"); err != nil || v.Kind != ViewProfile {
		t.Fatalf("profile:mine: %+v, %v", v, err)
	}
}
