package config

import (
	"fmt"
	"net"
	"net/url"
	"strings"
)

// DefaultBaseURL is the platform's public API.
const DefaultBaseURL = "https://api.respond.io/v2"

// Environment variables that override the file (flags override them in turn).
const (
	EnvToken   = "RESPOND_TOKEN"
	EnvProfile = "RESPOND_PROFILE"
	EnvAPIBase = "RESPOND_API_BASE"
)

// Overrides are the values given on the command line (--profile, --api-base).
type Overrides struct {
	Profile  string
	APIBase  string
	Insecure bool // --insecure: allow http:// to a non-loopback host
}

// Source says where an effective value came from (shown by `auth status`).
type Source string

const (
	SourceFlag    Source = "flag"
	SourceEnv     Source = "env"
	SourceProfile Source = "profile"
	SourceDefault Source = "default"
	SourceNone    Source = ""
)

// Effective is the connection a command will use after applying
// flags > environment > profile > defaults.
type Effective struct {
	ProfileName   string
	Profile       Profile // a copy; edit c.Profiles to change the file
	BaseURL       string
	BaseURLSource Source
	Token         string
	TokenSource   Source
}

// ActiveProfileName is --profile, else $RESPOND_PROFILE, else current_profile.
func (c *Config) ActiveProfileName(flagProfile string) string {
	if flagProfile != "" {
		return flagProfile
	}
	if v := strings.TrimSpace(getenv(c.env, EnvProfile)); v != "" {
		return v
	}
	if c.CurrentProfile != "" {
		return c.CurrentProfile
	}
	return DefaultProfileName
}

// Resolve computes the effective profile, base URL and token. A profile named
// by flag or env that does not exist is an error only if it is not the
// default one (so a fresh machine with RESPOND_TOKEN just works).
func (c *Config) Resolve(o Overrides) (Effective, error) {
	name := c.ActiveProfileName(o.Profile)
	if err := ValidateProfileName(name); err != nil {
		return Effective{}, err
	}
	e := Effective{ProfileName: name}
	if p := c.Profiles[name]; p != nil {
		e.Profile = *p
	} else if name == c.CurrentProfile && c.currentProfileLine > 0 && name != DefaultProfileName {
		return Effective{}, c.missingCurrentProfile()
	} else if name != c.CurrentProfile && name != DefaultProfileName {
		return Effective{}, fmt.Errorf("profile %q not found in %s (profiles: %s)", name, c.path, c.profileList())
	}

	switch {
	case o.APIBase != "":
		e.BaseURL, e.BaseURLSource = o.APIBase, SourceFlag
	case getenv(c.env, EnvAPIBase) != "":
		e.BaseURL, e.BaseURLSource = getenv(c.env, EnvAPIBase), SourceEnv
	case e.Profile.BaseURL != "":
		e.BaseURL, e.BaseURLSource = e.Profile.BaseURL, SourceProfile
	default:
		e.BaseURL, e.BaseURLSource = DefaultBaseURL, SourceDefault
	}
	e.BaseURL = strings.TrimRight(strings.TrimSpace(e.BaseURL), "/")
	if err := validateBaseURL(e.BaseURL, o.Insecure || e.Profile.Insecure); err != nil {
		return Effective{}, fmt.Errorf("base URL (from %s): %w", e.BaseURLSource, err)
	}

	switch {
	case strings.TrimSpace(getenv(c.env, EnvToken)) != "":
		e.Token, e.TokenSource = strings.TrimSpace(getenv(c.env, EnvToken)), SourceEnv
	case e.Profile.Token != "":
		e.Token, e.TokenSource = e.Profile.Token, SourceProfile
	}
	return e, nil
}

func (c *Config) profileList() string {
	names := c.ProfileNames()
	if len(names) == 0 {
		return "none"
	}
	return strings.Join(names, ", ")
}

// validateBaseURL accepts an absolute http(s) URL. Plain http is only allowed
// to loopback hosts, or with insecure (the --insecure flag or the profile's
// insecure setting): a token must never cross the network in clear text.
func validateBaseURL(raw string, insecure bool) error {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return fmt.Errorf("invalid URL %q: want e.g. %s", raw, DefaultBaseURL)
	}
	switch u.Scheme {
	case "https":
		return nil
	case "http":
		if insecure || IsLoopbackHost(u.Hostname()) {
			return nil
		}
		return fmt.Errorf("refusing plain http:// to %s: the token would travel unencrypted (use https://, or --insecure for testing)", u.Hostname())
	default:
		return fmt.Errorf("invalid URL %q: scheme must be https", raw)
	}
}

// IsLoopbackHost reports whether host is localhost or a loopback IP.
func IsLoopbackHost(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// MaskToken shows only the last four characters: "****ef90". Short tokens
// are fully masked, since four characters would be most of them.
func MaskToken(token string) string {
	if token == "" {
		return ""
	}
	if len(token) < 12 {
		return "****"
	}
	return "****" + token[len(token)-4:]
}
