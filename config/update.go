package config

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// Update changes the configuration without losing anyone else's change: under
// an exclusive lock it re-reads the file, applies mutate to what is on disk
// now, saves, and makes c that configuration. Ten concurrent `config set`
// calls keep all ten values; without it each would write back the file it
// read before the others saved.
func (c *Config) Update(mutate func(*Config) error) error {
	target, err := writeTarget(c.path)
	if err != nil {
		return err
	}
	if _, err := EnsurePrivateDir(filepath.Dir(target)); err != nil {
		return fmt.Errorf("config %s: %w", c.path, err)
	}
	unlock, err := lockFile(target + ".lock")
	if err != nil {
		return fmt.Errorf("config %s: locking: %w", c.path, err)
	}
	defer unlock()
	fresh, err := LoadFile(c.path, c.env)
	if err != nil {
		return err
	}
	if err := mutate(fresh); err != nil {
		return err
	}
	if err := fresh.Save(); err != nil {
		return err
	}
	*c = *fresh
	return nil
}

// writeTarget is the file a save replaces. A symlinked configuration (a
// dotfiles repository) is written through: the link's target is replaced and
// the link kept. A link to nowhere is refused rather than replaced by a file.
func writeTarget(path string) (string, error) {
	st, err := os.Lstat(path)
	if errors.Is(err, fs.ErrNotExist) || (err == nil && st.Mode()&fs.ModeSymlink == 0) {
		return path, nil
	}
	if err != nil {
		return "", fmt.Errorf("config %s: %w", path, err)
	}
	target, err := filepath.EvalSymlinks(path)
	if err != nil {
		return "", fmt.Errorf("config %s is a symbolic link to a missing or unreadable file; fix the link or remove it", path)
	}
	if st, err := os.Stat(target); err != nil || !st.Mode().IsRegular() {
		return "", fmt.Errorf("config %s is a symbolic link to %s, which is not a regular file", path, target)
	}
	return target, nil
}
