package config

import (
	"bytes"
	"errors"
	"fmt"
	"regexp"
)

// FileError is a configuration file that cannot be used as written: malformed YAML, an
// unknown key, an invalid value, a current_profile naming no profile. Commands exit 2
// (usage/config error) on it, not "not logged in". Its text names the file (and the line
// where known).
type FileError struct{ Err error }

func (e *FileError) Error() string { return e.Err.Error() }
func (e *FileError) Unwrap() error { return e.Err }

// IsFileError reports whether err is (or wraps) a *FileError.
func IsFileError(err error) bool {
	var fe *FileError
	return errors.As(err, &fe)
}

var currentProfileLineRE = regexp.MustCompile(`^current_profile\s*:`)

// keyLine is the 1-based line of a top-level key in data (0 when absent).
func keyLine(data []byte, re *regexp.Regexp) int {
	for i, line := range bytes.Split(data, []byte("\n")) {
		if re.Match(line) {
			return i + 1
		}
	}
	return 0
}

// missingCurrentProfile is the error for a current_profile that names no profile.
func (c *Config) missingCurrentProfile() error {
	where := c.path
	if c.currentProfileLine > 0 {
		where = fmt.Sprintf("%s: line %d", c.path, c.currentProfileLine)
	}
	return &FileError{Err: fmt.Errorf("config %s: current_profile %q names no profile (profiles: %s): run `respondctl config use PROFILE` or fix the file",
		where, c.CurrentProfile, c.profileList())}
}
