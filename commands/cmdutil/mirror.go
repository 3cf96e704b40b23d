package cmdutil

import (
	"path/filepath"

	"github.com/respondctl/respondctl/config"
	"github.com/respondctl/respondctl/mirror"
)

// MirrorPath is the inbox mirror of the selected profile, under the state directory.
func (f *Factory) MirrorPath() (string, error) {
	dir := ""
	if f.StateDir != nil {
		d, err := f.StateDir()
		if err != nil {
			return "", err
		}
		dir = d
	} else {
		dir = config.StateDir(nil)
	}
	profile := "default"
	if f.Connection != nil {
		if conn, err := f.Connection(); err == nil && conn.ProfileName != "" {
			profile = conn.ProfileName
		}
	}
	return filepath.Clean(mirror.Path(dir, profile)), nil
}
