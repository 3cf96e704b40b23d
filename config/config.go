// Package config reads and writes respondctl's profiles
// ($XDG_CONFIG_HOME/respondctl/config.yaml), resolves the effective base URL,
// token and profile from flags > environment > file, and knows the XDG state
// and cache directories. It never uses viper's global instance: every load
// builds its own, so commands stay testable.
package config

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"regexp"
	"sort"
	"strings"

	"github.com/spf13/viper"
	"gopkg.in/yaml.v3"
)

// DefaultProfileName is used when the file names no current profile.
const DefaultProfileName = "default"

// Profile is one named connection: a workspace, its token and preferences.
type Profile struct {
	BaseURL        string `yaml:"base_url,omitempty" mapstructure:"base_url"`
	Token          string `yaml:"token,omitempty" mapstructure:"token"`
	Me             string `yaml:"me,omitempty" mapstructure:"me"` // user id or email
	DefaultChannel string `yaml:"default_channel,omitempty" mapstructure:"default_channel"`
	Insecure       bool   `yaml:"insecure,omitempty" mapstructure:"insecure"`
	Views          []View `yaml:"views,omitempty" mapstructure:"views"`
	// WebhookSigningKeys are the keys `listen` accepts (one per webhook); never printed.
	WebhookSigningKeys []string `yaml:"webhook_signing_keys,omitempty" mapstructure:"webhook_signing_keys"`
}

// Config is the whole configuration file plus where it came from.
type Config struct {
	CurrentProfile string              `yaml:"current_profile,omitempty" mapstructure:"current_profile"`
	Profiles       map[string]*Profile `yaml:"profiles,omitempty" mapstructure:"profiles"`

	path string
	env  LookupEnv
	// currentProfileLine is where the file sets current_profile (0: it does not).
	currentProfileLine int

	// exposedMode is the mode the file had when others could read it (0: they could not).
	exposedMode fs.FileMode
}

// ExposedTokenWarning says, when the file was readable by other users and holds a token,
// what happened and what to do; "" otherwise. Load makes such a file 0600 when it can.
func (c *Config) ExposedTokenWarning() string {
	if c.exposedMode == 0 {
		return ""
	}
	hasToken := false
	for _, p := range c.Profiles {
		if p != nil && p.Token != "" {
			hasToken = true
		}
	}
	if !hasToken {
		return ""
	}
	return fmt.Sprintf("%s is readable by other users (mode %04o) and holds an API token: run chmod 600 %s, and rotate the token", c.path, c.exposedMode, c.path)
}

// Path is the file this configuration is read from and saved to.
func (c *Config) Path() string { return c.path }

// Env is the environment lookup the configuration was loaded with.
func (c *Config) Env() LookupEnv {
	if c.env == nil {
		return OSEnv
	}
	return c.env
}

var profileNameRE = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]{0,63}$`)

// ValidateProfileName accepts lower-case letters, digits, '-' and '_'.
// Profile names are lower-case because the YAML reader folds keys.
func ValidateProfileName(name string) error {
	if !profileNameRE.MatchString(name) {
		return fmt.Errorf("invalid profile name %q: use lower-case letters, digits, '-' and '_'", name)
	}
	return nil
}

// Load reads the configuration at DefaultPath(env). A missing file is an
// empty configuration, not an error.
func Load(env LookupEnv) (*Config, error) {
	if env == nil {
		env = OSEnv
	}
	return LoadFile(DefaultPath(env), env)
}

// LoadFile reads the configuration at path.
func LoadFile(path string, env LookupEnv) (*Config, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		c := &Config{path: path, env: env}
		c.normalize()
		return c, nil
	}
	if err != nil {
		return nil, fmt.Errorf("config %s: %w", path, err)
	}
	mode := exposedMode(path)
	c, err := Parse(path, data)
	if err != nil {
		return nil, err
	}
	c.env = env
	c.exposedMode = mode
	return c, nil
}

// Parse decodes configuration bytes; path only labels errors and Save.
// Errors are one line and name the file (and the line for YAML syntax errors).
func Parse(path string, data []byte) (*Config, error) {
	c := &Config{path: path}
	if len(bytes.TrimSpace(data)) > 0 {
		// Own viper instance; "\x00" as key delimiter so dots in profile or
		// view names are not split into nested keys.
		v := viper.NewWithOptions(viper.KeyDelimiter("\x00"))
		v.SetConfigType("yaml")
		if err := v.ReadConfig(bytes.NewReader(data)); err != nil {
			return nil, &FileError{Err: fmt.Errorf("config %s: %s", path, yamlErrorText(err, data))}
		}
		if err := v.UnmarshalExact(c); err != nil {
			return nil, &FileError{Err: fmt.Errorf("config %s: %s", path, decodeErrorText(err))}
		}
		c.addEmptyProfiles(data)
		if c.CurrentProfile != "" {
			c.currentProfileLine = keyLine(data, currentProfileLineRE)
		}
	}
	if err := c.validate(); err != nil {
		return nil, &FileError{Err: fmt.Errorf("config %s: %w", path, err)}
	}
	c.normalize()
	return c, nil
}

// addEmptyProfiles restores profiles written as "name: {}": viper flattens the
// file into leaf keys, so a profile without settings would vanish.
func (c *Config) addEmptyProfiles(data []byte) {
	var names struct {
		Profiles map[string]yaml.Node `yaml:"profiles"`
	}
	if err := yaml.Unmarshal(data, &names); err != nil {
		return // viper accepted the file; shape errors were reported there
	}
	if c.Profiles == nil && len(names.Profiles) > 0 {
		c.Profiles = map[string]*Profile{}
	}
	for name := range names.Profiles {
		lower := strings.ToLower(name) // viper folds keys; do the same
		if _, ok := c.Profiles[lower]; !ok {
			c.Profiles[lower] = &Profile{}
		}
	}
}

func (c *Config) normalize() {
	if c.Profiles == nil {
		c.Profiles = map[string]*Profile{}
	}
	for name, p := range c.Profiles {
		if p == nil {
			c.Profiles[name] = &Profile{}
		}
	}
	if c.CurrentProfile == "" {
		c.CurrentProfile = DefaultProfileName
	}
}

func (c *Config) validate() error {
	if c.CurrentProfile != "" {
		if err := ValidateProfileName(c.CurrentProfile); err != nil {
			return fmt.Errorf("current_profile: %w", err)
		}
	}
	for _, name := range c.ProfileNames() {
		if err := ValidateProfileName(name); err != nil {
			return err
		}
		p := c.Profiles[name]
		if p == nil {
			continue
		}
		if p.BaseURL != "" {
			if err := validateBaseURL(p.BaseURL, p.Insecure); err != nil {
				return fmt.Errorf("profile %q: base_url: %w", name, err)
			}
		}
		if err := validateViews(p.Views); err != nil {
			return fmt.Errorf("profile %q: %w", name, err)
		}
	}
	return nil
}

// exposedMode is the mode of a configuration file that other users may read (0: they
// cannot). Reading never changes the file's mode (the user did not ask for it): the
// warning says what to do.
func exposedMode(path string) fs.FileMode {
	if st, err := os.Stat(path); err == nil && st.Mode().IsRegular() && st.Mode().Perm()&0o077 != 0 {
		return st.Mode().Perm()
	}
	return 0
}

// parseValueRE matches mapstructure's report of a scalar it could not convert.
var parseValueRE = regexp.MustCompile(`cannot parse value as '([^']*)': strconv\.\w+: [a-z ]+`)

// goTypeRE matches the Go type names mapstructure puts in its messages.
var goTypeRE = regexp.MustCompile(`type '([^']*)'`)

// decodeErrorText folds mapstructure's multi-line report into one line and
// speaks YAML ("a mapping") rather than Go ("map[string]*config.Profile").
func decodeErrorText(err error) string {
	s := err.Error()
	s = strings.TrimPrefix(s, "decoding failed due to the following error(s):")
	s = goTypeRE.ReplaceAllStringFunc(s, func(m string) string {
		return yamlKind(goTypeRE.FindStringSubmatch(m)[1])
	})
	s = strings.ReplaceAll(s, "got unconvertible ", "got ")
	// "'x' cannot parse value as 'bool': strconv.ParseBool: invalid syntax": say what is
	// wanted, not which Go function refused.
	s = parseValueRE.ReplaceAllStringFunc(s, func(m string) string {
		return "is not " + yamlKind(parseValueRE.FindStringSubmatch(m)[1])
	})
	return oneLine(s)
}

// yamlKind names a Go type the way a YAML author thinks of it.
func yamlKind(goType string) string {
	t := strings.TrimLeft(goType, "*")
	switch {
	case strings.HasPrefix(t, "map["), strings.HasPrefix(t, "config."), strings.HasPrefix(t, "struct"):
		return "a mapping"
	case strings.HasPrefix(t, "[]"):
		return "a list"
	case t == "string":
		return "text"
	case t == "bool":
		return "true or false"
	case strings.HasPrefix(t, "int"), strings.HasPrefix(t, "uint"), strings.HasPrefix(t, "float"):
		return "a number"
	}
	return "type '" + goType + "'"
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// ProfileNames lists the profiles in the file, sorted.
func (c *Config) ProfileNames() []string {
	names := make([]string, 0, len(c.Profiles))
	for n := range c.Profiles {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// Profile returns the named profile, or nil.
func (c *Config) Profile(name string) *Profile {
	return c.Profiles[name]
}

// EnsureProfile returns the named profile, creating an empty one.
func (c *Config) EnsureProfile(name string) (*Profile, error) {
	if err := ValidateProfileName(name); err != nil {
		return nil, err
	}
	if c.Profiles == nil {
		c.Profiles = map[string]*Profile{}
	}
	p := c.Profiles[name]
	if p == nil {
		p = &Profile{}
		c.Profiles[name] = p
	}
	return p, nil
}

// Marshal renders the configuration as YAML.
func (c *Config) Marshal() ([]byte, error) {
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(c); err != nil {
		return nil, err
	}
	if err := enc.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// Save writes the file atomically with mode 0600 (tokens live in it); a
// symlinked file is written through (see writeTarget). Reading never changes
// the file's mode: only a command that changes the configuration writes it.
// Commands use Update, which also keeps concurrent changes.
func (c *Config) Save() error {
	if err := c.validate(); err != nil {
		return fmt.Errorf("config %s: %w", c.path, err)
	}
	data, err := c.Marshal()
	if err != nil {
		return fmt.Errorf("config %s: %w", c.path, err)
	}
	target, err := writeTarget(c.path)
	if err != nil {
		return err
	}
	if err := WriteFileAtomic(target, data); err != nil {
		return fmt.Errorf("config %s: %w", c.path, err)
	}
	return nil
}
