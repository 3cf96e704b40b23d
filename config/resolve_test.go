package config

import (
	"strings"
	"testing"
)

func TestResolvePrecedence(t *testing.T) {
	file := []byte(`current_profile: work
profiles:
  work: {base_url: "https://work.example/v2", token: file-token-work}
  other: {base_url: "https://other.example/v2", token: file-token-other}
`)
	cases := []struct {
		name      string
		env       map[string]string
		flags     Overrides
		profile   string
		base      string
		baseSrc   Source
		token     string
		tokenSrc  Source
		wantError string
	}{
		{name: "file", profile: "work", base: "https://work.example/v2", baseSrc: SourceProfile, token: "file-token-work", tokenSrc: SourceProfile},
		{name: "env profile", env: map[string]string{EnvProfile: "other"}, profile: "other", base: "https://other.example/v2", baseSrc: SourceProfile, token: "file-token-other", tokenSrc: SourceProfile},
		{name: "flag beats env profile", env: map[string]string{EnvProfile: "other"}, flags: Overrides{Profile: "work"}, profile: "work", base: "https://work.example/v2", baseSrc: SourceProfile, token: "file-token-work", tokenSrc: SourceProfile},
		{name: "env base and token", env: map[string]string{EnvAPIBase: "http://127.0.0.1:9/v2/", EnvToken: "env-token"}, profile: "work", base: "http://127.0.0.1:9/v2", baseSrc: SourceEnv, token: "env-token", tokenSrc: SourceEnv},
		{name: "flag base beats env", env: map[string]string{EnvAPIBase: "https://env.example/v2"}, flags: Overrides{APIBase: "https://flag.example/v2"}, profile: "work", base: "https://flag.example/v2", baseSrc: SourceFlag, token: "file-token-work", tokenSrc: SourceProfile},
		{name: "unknown profile", flags: Overrides{Profile: "nope"}, wantError: `profile "nope" not found`},
		{name: "http to remote refused", flags: Overrides{APIBase: "http://example.com/v2"}, wantError: "refusing plain http://"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, err := Parse("/c.yaml", file)
			if err != nil {
				t.Fatal(err)
			}
			c.env = fakeEnv(tc.env)
			e, err := c.Resolve(tc.flags)
			if tc.wantError != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantError) {
					t.Fatalf("err = %v, want %q", err, tc.wantError)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if e.ProfileName != tc.profile || e.BaseURL != tc.base || e.BaseURLSource != tc.baseSrc || e.Token != tc.token || e.TokenSource != tc.tokenSrc {
				t.Fatalf("got %+v", e)
			}
		})
	}
}

func TestResolveFreshMachineDefaults(t *testing.T) {
	c := &Config{env: fakeEnv(nil)}
	c.normalize()
	e, err := c.Resolve(Overrides{})
	if err != nil {
		t.Fatal(err)
	}
	if e.ProfileName != "default" || e.BaseURL != DefaultBaseURL || e.Token != "" || e.TokenSource != SourceNone {
		t.Fatalf("got %+v", e)
	}
}

func TestMaskToken(t *testing.T) {
	for in, want := range map[string]string{"": "", "short": "****", "abc1234567890ef90": "****ef90"} {
		if got := MaskToken(in); got != want {
			t.Errorf("MaskToken(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestGetSetList(t *testing.T) {
	c := &Config{env: fakeEnv(nil)}
	c.normalize()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(c.Set("default", "token", "abc1234567890ef90"))
	must(c.Set("default", "base_url", "https://x.example/v2/"))
	must(c.Set("default", "insecure", "true"))
	must(c.Set("default", "me", "7"))
	if v, _ := c.Get("default", "token"); v != "****ef90" {
		t.Errorf("token get = %q", v)
	}
	if v, _ := c.Get("default", "base_url"); v != "https://x.example/v2" {
		t.Errorf("base_url = %q", v)
	}
	for _, bad := range [][2]string{{"nope", "x"}, {"insecure", "maybe"}, {"me", "bob"}, {"base_url", "ftp://x"}, {"current_profile", "A B"}} {
		if err := c.Set("default", bad[0], bad[1]); err == nil {
			t.Errorf("Set(%q, %q) accepted", bad[0], bad[1])
		}
	}
	for _, s := range c.List("default") {
		if strings.Contains(s.Value, "abc123") {
			t.Errorf("list leaks the token: %+v", s)
		}
	}
	// A profile marked insecure may point at plain http on another host (the
	// file's own validation and Resolve allow it); others may not.
	must(c.Set("default", "base_url", "http://staging.example:8080/v2"))
	if err := c.Set("other", "base_url", "http://staging.example:8080/v2"); err == nil {
		t.Error("plain http to a non-loopback host accepted without insecure")
	}
}
