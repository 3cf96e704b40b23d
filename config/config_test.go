package config

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func fakeEnv(vars map[string]string) LookupEnv {
	return func(k string) (string, bool) {
		v, ok := vars[k]
		return v, ok
	}
}

func tempEnv(t *testing.T, extra map[string]string) (LookupEnv, string) {
	t.Helper()
	dir := t.TempDir()
	vars := map[string]string{
		"HOME":            dir,
		"XDG_CONFIG_HOME": filepath.Join(dir, "cfg"),
		"XDG_STATE_HOME":  filepath.Join(dir, "state"),
		"XDG_CACHE_HOME":  filepath.Join(dir, "cache"),
	}
	for k, v := range extra {
		vars[k] = v
	}
	return fakeEnv(vars), dir
}

func TestPathsFollowXDGWithHomeFallback(t *testing.T) {
	env := fakeEnv(map[string]string{"HOME": "/home/u", "XDG_CONFIG_HOME": "relative/ignored"})
	if got := DefaultPath(env); got != "/home/u/.config/respondctl/config.yaml" {
		t.Errorf("DefaultPath = %s", got)
	}
	if got := StateDir(env); got != "/home/u/.local/state/respondctl" {
		t.Errorf("StateDir = %s", got)
	}
	env = fakeEnv(map[string]string{"HOME": "/home/u", "XDG_STATE_HOME": "/x/state", "XDG_CACHE_HOME": "/x/cache"})
	if got := StateDir(env); got != "/x/state/respondctl" {
		t.Errorf("StateDir = %s", got)
	}
	if got := CacheDir(env); got != "/x/cache/respondctl" {
		t.Errorf("CacheDir = %s", got)
	}
}

func TestMissingFileIsEmptyConfig(t *testing.T) {
	env, _ := tempEnv(t, nil)
	c, err := Load(env)
	if err != nil {
		t.Fatal(err)
	}
	if c.CurrentProfile != "default" || len(c.Profiles) != 0 {
		t.Fatalf("got %+v", c)
	}
	if _, err := os.Stat(c.Path()); !os.IsNotExist(err) {
		t.Fatalf("Load must not create the file: %v", err)
	}
}

func TestSaveLoadRoundTripAndMode0600(t *testing.T) {
	env, _ := tempEnv(t, nil)
	c, err := Load(env)
	if err != nil {
		t.Fatal(err)
	}
	p, _ := c.EnsureProfile("work")
	p.BaseURL = "https://api.respond.io/v2"
	p.Token = "secret-token-123456"
	p.Me = "lee@example.com"
	p.DefaultChannel = "Support WhatsApp"
	field := "firstName"
	p.Views = []View{
		{Name: "VIP open", Status: "open", Assignee: "me", Tags: []string{"vip"}},
		{Name: "Aisha", Filter: &Filter{And: []Condition{{Category: "contactField", Field: &field, Operator: "isEqualTo", Value: "Aisha"}}}},
		{Name: "Range", Filter: &Filter{Or: []Condition{{Category: "contactField", Field: &field, Operator: "isBetween", Value: map[string]any{"from": "a", "to": "m"}}}}},
	}
	c.CurrentProfile = "work"
	if err := c.Save(); err != nil {
		t.Fatal(err)
	}
	st, err := os.Stat(c.Path())
	if err != nil {
		t.Fatal(err)
	}
	if st.Mode().Perm() != 0o600 {
		t.Fatalf("mode = %v, want 0600", st.Mode().Perm())
	}
	if dst, _ := os.Stat(filepath.Dir(c.Path())); dst.Mode().Perm() != 0o700 {
		t.Fatalf("dir mode = %v, want 0700", dst.Mode().Perm())
	}
	again, err := Load(env)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(again.Profiles, c.Profiles) || again.CurrentProfile != "work" {
		t.Fatalf("round trip differs:\n got %#v\nwant %#v", again.Profiles["work"], c.Profiles["work"])
	}
}

func TestSaveTightensLooseMode(t *testing.T) {
	env, _ := tempEnv(t, nil)
	path := DefaultPath(env)
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte("current_profile: default\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	c, err := Load(env)
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Set("default", "token", "tok-abcdefgh1234"); err != nil {
		t.Fatal(err)
	}
	if err := c.Save(); err != nil {
		t.Fatal(err)
	}
	st, _ := os.Stat(path)
	if st.Mode().Perm() != 0o600 {
		t.Fatalf("mode = %v, want 0600", st.Mode().Perm())
	}
}

func TestBrokenYAMLNamesFileAndLine(t *testing.T) {
	_, err := Parse("/p/config.yaml", []byte("current_profile: default\nprofiles:\n  default: base_url: x\n"))
	if err == nil {
		t.Fatal("want error")
	}
	want := "config /p/config.yaml: line 3: mapping values are not allowed in this context"
	if err.Error() != want {
		t.Fatalf("got  %q\nwant %q", err, want)
	}
}

func TestSemanticErrorsAreOneLine(t *testing.T) {
	cases := map[string]string{
		"profiles:\n  default:\n    tokn: x\n":                                                                                      "invalid keys: tokn",
		"profiles:\n  default:\n    views:\n      - name: a\n        status: opn\n":                                                 `view "a": unknown status "opn"`,
		"profiles:\n  default:\n    views:\n      - status: open\n":                                                                 "a view has no name",
		"profiles:\n  default:\n    views: [{name: a}, {name: A}]\n":                                                                `view "A" is defined twice`,
		"profiles:\n  default:\n    views: [{name: a, assignee: bob}]\n":                                                            `invalid assignee "bob"`,
		"profiles:\n  default:\n    views: [{name: a, filter: {$and: []}}]\n":                                                       `filter: needs`,
		"profiles:\n  default:\n    base_url: http://example.com/v2\n":                                                              "refusing plain http://",
		"profiles:\n  Bad Name: {}\n":                                                                                               "invalid profile name",
		"profiles:\n  default:\n    views: [{name: a, filter: {$and: [{category: contactTag, operator: hasAnyOf, value: vip}]}}]\n": "hasAnyOf needs a list value",
	}
	for in, want := range cases {
		_, err := Parse("/p/c.yaml", []byte(in))
		if err == nil || !strings.Contains(err.Error(), want) || strings.Contains(err.Error(), "\n") {
			t.Errorf("input %q: got %v, want one line containing %q", in, err, want)
		}
	}
}

func TestViewShortcutsNormalised(t *testing.T) {
	c, err := Parse("c.yaml", []byte(`
profiles:
  default:
    views:
      - {name: " Mine ", status: Closed, assignee: ME, tags: [" vip "]}
      - {name: byid, assignee: "42"}
      - {name: byemail, assignee: lee@example.com, lifecycle: Hot Lead, search: aisha}
`))
	if err != nil {
		t.Fatal(err)
	}
	v := c.Profiles["default"].Views
	if v[0].Name != "Mine" || v[0].Status != "close" || v[0].Assignee != "me" || v[0].Tags[0] != "vip" {
		t.Errorf("view 0 = %+v", v[0])
	}
	if v[1].Assignee != "42" || v[2].Assignee != "lee@example.com" || v[2].Lifecycle != "Hot Lead" {
		t.Errorf("views = %+v", v)
	}
}

func TestDotsInNamesAreNotNested(t *testing.T) {
	c, err := Parse("c.yaml", []byte("profiles:\n  default:\n    views: [{name: a.b}]\n    me: lee@example.com\n"))
	if err != nil {
		t.Fatal(err)
	}
	if c.Profiles["default"].Me != "lee@example.com" || c.Profiles["default"].Views[0].Name != "a.b" {
		t.Fatalf("got %+v", c.Profiles["default"])
	}
}

// TestLoadNeverChmods: reading is not asking to change the file (a
// symlinked dotfile's target must not be chmodded by `config list`); the next
// write makes it 0600.
func TestLoadNeverChmods(t *testing.T) {
	env, _ := tempEnv(t, nil)
	path := DefaultPath(env)
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte("profiles:\n  default:\n    token: tok-abcdefgh1234\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Load(env); err != nil {
		t.Fatal(err)
	}
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if st.Mode().Perm() != 0o644 {
		t.Fatalf("mode after a read = %04o, want 0644 (unchanged)", st.Mode().Perm())
	}
}

func TestShapeErrorsSpeakYAML(t *testing.T) {
	for in, want := range map[string]string{
		"profiles: 5\n":                              "'profiles' expected a mapping, got a number",
		"profiles:\n  default:\n    views: 3\n":      "views[0]' expected a map",
		"profiles:\n  default:\n    insecure: [1]\n": "true or false",
	} {
		_, err := Parse("/p/c.yaml", []byte(in))
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("input %q: got %v, want %q", in, err, want)
		}
		if err != nil && strings.Contains(err.Error(), "map[") {
			t.Errorf("input %q: Go type in %v", in, err)
		}
	}
}

// A scalar of the wrong kind names the setting and what it wants, not Go's parser.
func TestParseWrongScalarSaysWhatIsWanted(t *testing.T) {
	_, err := Parse("/p/c.yaml", []byte("profiles:\n  default:\n    insecure: maybe\n"))
	if err == nil || !strings.Contains(err.Error(), "'profiles[default].insecure' is not true or false") || strings.Contains(err.Error(), "strconv") {
		t.Fatalf("err = %v", err)
	}
}
