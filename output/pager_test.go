package output

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A pager the user quits before reading everything: the next writes fail with
// ErrClosedPagerPipe (main treats it as a quiet success), never a raw EPIPE.
func TestPagerQuitEarlyIsErrClosedPagerPipe(t *testing.T) {
	pager := filepath.Join(t.TempDir(), "quit.sh")
	if err := os.WriteFile(pager, []byte("#!/bin/sh\nexit 0\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	ios, _, _, _ := Test()
	ios.SetStdoutTTY(true)
	ios.SetPager(pager)
	if err := ios.StartPager(); err != nil {
		t.Fatal(err)
	}
	defer ios.StopPager()
	line := strings.Repeat("x", 1023) + "\n"
	var err error
	for i := 0; i < 4096 && err == nil; i++ { // 4 MiB: far more than a pipe buffers
		_, err = ios.liveOut().Write([]byte(line))
	}
	if !errors.Is(err, ErrClosedPagerPipe) {
		t.Fatalf("writing past a quit pager: %v, want ErrClosedPagerPipe", err)
	}
}
