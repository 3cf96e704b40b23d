//go:build !(linux || darwin || freebsd || netbsd || openbsd || dragonfly)

package bulk

import (
	"os"
)

// tryLock without an OS file lock: the lock file's content is the lock. An empty file is
// free; a file naming an owner is held (ownerAlive cannot check a pid portably, so a lock left
// by a crashed run is reported with its owner and the file to remove).
func tryLock(f *os.File) (bool, error) {
	return readOwner(f) == "", nil
}

func ownerAlive(string) bool { return true }
