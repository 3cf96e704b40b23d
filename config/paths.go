package config

import (
	"os"
	"path/filepath"
)

// AppName names the per-application directories under the XDG base dirs.
const AppName = "respondctl"

// LookupEnv has the signature of os.LookupEnv; tests inject a fake so no test
// touches the real home directory.
type LookupEnv func(key string) (string, bool)

// OSEnv is the process environment.
var OSEnv LookupEnv = os.LookupEnv

func getenv(env LookupEnv, key string) string {
	if env == nil {
		env = OSEnv
	}
	v, _ := env(key)
	return v
}

// xdgDir returns $xdgVar/respondctl, or $HOME/fallback/respondctl. The XDG spec
// says relative paths in XDG_* are invalid and must be ignored.
func xdgDir(env LookupEnv, xdgVar, fallback string) string {
	if dir := getenv(env, xdgVar); dir != "" && filepath.IsAbs(dir) {
		return filepath.Join(dir, AppName)
	}
	home := getenv(env, "HOME")
	if home == "" {
		if h, err := os.UserHomeDir(); err == nil {
			home = h
		}
	}
	return filepath.Join(home, fallback, AppName)
}

// ConfigDir is $XDG_CONFIG_HOME/respondctl (fallback ~/.config/respondctl).
func ConfigDir(env LookupEnv) string { return xdgDir(env, "XDG_CONFIG_HOME", ".config") }

// StateDir is $XDG_STATE_HOME/respondctl (fallback ~/.local/state/respondctl):
// the sandbox database and bulk journals live here.
func StateDir(env LookupEnv) string {
	return xdgDir(env, "XDG_STATE_HOME", filepath.Join(".local", "state"))
}

// CacheDir is $XDG_CACHE_HOME/respondctl (fallback ~/.cache/respondctl).
func CacheDir(env LookupEnv) string { return xdgDir(env, "XDG_CACHE_HOME", ".cache") }

// DefaultPath is the configuration file: ConfigDir/config.yaml.
func DefaultPath(env LookupEnv) string { return filepath.Join(ConfigDir(env), "config.yaml") }

// EnsurePrivateDir creates dir (and parents) with mode 0700 and returns it.
func EnsurePrivateDir(dir string) (string, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", err
	}
	return dir, nil
}
