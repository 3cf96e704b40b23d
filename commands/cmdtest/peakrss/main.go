//go:build unix

// Command peakrss runs a command (stdin, stdout and stderr passed through) and writes the
// command's peak resident set in bytes, getrusage Maxrss, as one line to file descriptor 3.
// It exits with the command's exit code.
//
// cmdtest.Child runs the CLI through it because a parent cannot measure its child
// honestly when it is large itself: on Linux, exec records the replaced address space's
// high-water mark into the process's Maxrss, and Go starts children with vfork
// (CLONE_VM), so a child of a benchmark holding a 100,000-message in-memory sandbox
// "peaked" at the benchmark's ~80 MB. Started from this small process, the command's
// figure carries at most peakrss's own few megabytes.
package main

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"syscall"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: peakrss COMMAND [ARG...]  (peak RSS in bytes on fd 3)")
		os.Exit(2)
	}
	report := os.NewFile(3, "peak-rss")
	if report == nil {
		fmt.Fprintln(os.Stderr, "peakrss: file descriptor 3 is not open")
		os.Exit(2)
	}
	cmd := exec.Command(os.Args[1], os.Args[2:]...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	err := cmd.Run()
	var exitErr *exec.ExitError
	if err != nil && !errors.As(err, &exitErr) {
		fmt.Fprintln(os.Stderr, "peakrss:", err)
		os.Exit(2)
	}
	var rss int64
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		rss = int64(ru.Maxrss) * 1024 // kilobytes on Linux
	}
	fmt.Fprintln(report, rss)
	os.Exit(cmd.ProcessState.ExitCode())
}
