package config

import (
	"fmt"
	"strconv"
	"strings"
)

// Keys are the settings `respondctl config get|set|list` know, in list order.
var Keys = []string{"current_profile", "base_url", "token", "me", "default_channel", "insecure"}

// KeyError is an unknown key or a bad value; commands map it to a usage error.
type KeyError struct{ Msg string }

func (e *KeyError) Error() string { return e.Msg }

func keyErrorf(format string, a ...any) error { return &KeyError{Msg: fmt.Sprintf(format, a...)} }

func checkKey(key string) error {
	if !contains(Keys, key) {
		return keyErrorf("unknown key %q (keys: %s)", key, strings.Join(Keys, ", "))
	}
	return nil
}

// Get returns a setting of profile (current_profile is file-wide). The token is
// masked: configuration output must never reveal it.
func (c *Config) Get(profile, key string) (string, error) {
	if err := checkKey(key); err != nil {
		return "", err
	}
	if key == "current_profile" {
		return c.CurrentProfile, nil
	}
	p := c.Profiles[profile]
	if p == nil {
		p = &Profile{}
	}
	switch key {
	case "base_url":
		return p.BaseURL, nil
	case "token":
		return MaskToken(p.Token), nil
	case "me":
		return p.Me, nil
	case "default_channel":
		return p.DefaultChannel, nil
	case "insecure":
		return strconv.FormatBool(p.Insecure), nil
	}
	return "", nil
}

// Set validates and stores a setting; the caller saves the file.
func (c *Config) Set(profile, key, value string) error {
	if err := checkKey(key); err != nil {
		return err
	}
	value = strings.TrimSpace(value)
	if key == "current_profile" {
		if err := ValidateProfileName(value); err != nil {
			return &KeyError{Msg: err.Error()}
		}
		c.CurrentProfile = value
		return nil
	}
	p, err := c.EnsureProfile(profile)
	if err != nil {
		return &KeyError{Msg: err.Error()}
	}
	switch key {
	case "base_url":
		value = strings.TrimRight(value, "/")
		if value != "" {
			if err := validateBaseURL(value, p.Insecure); err != nil {
				return &KeyError{Msg: "base_url: " + err.Error()}
			}
		}
		p.BaseURL = value
	case "token":
		p.Token = value
	case "me":
		if value != "" && !isUserID(value) && !looksLikeEmail(value) {
			return keyErrorf("me: %q is neither a user id nor an email", value)
		}
		p.Me = value
	case "default_channel":
		p.DefaultChannel = value
	case "insecure":
		b, err := strconv.ParseBool(value)
		if err != nil {
			return keyErrorf("insecure: %q is not true or false", value)
		}
		p.Insecure = b
	}
	return nil
}

// Setting is one row of `config list`.
type Setting struct {
	Profile string `json:"profile,omitempty"`
	Key     string `json:"key"`
	Value   string `json:"value"`
}

// Setting returns one setting as a row (token masked); current_profile
// belongs to no profile.
func (c *Config) Setting(profile, key string) (Setting, error) {
	v, err := c.Get(profile, key)
	if err != nil {
		return Setting{}, err
	}
	s := Setting{Key: key, Value: v}
	if key != "current_profile" {
		s.Profile = profile
	}
	return s, nil
}

// List returns every setting of profile plus current_profile (token masked).
func (c *Config) List(profile string) []Setting {
	out := make([]Setting, 0, len(Keys))
	for _, k := range Keys {
		s, _ := c.Setting(profile, k)
		out = append(out, s)
	}
	return out
}
