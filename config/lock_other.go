//go:build !unix

package config

import "sync"

var processLock sync.Mutex

// lockFile serialises writers within this process only on systems without flock.
func lockFile(string) (unlock func(), err error) {
	processLock.Lock()
	return processLock.Unlock, nil
}
