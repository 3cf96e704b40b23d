// Package testparallel raises a test binary's default -parallel. Tests that mostly wait (on
// sandboxes, child processes, retries, timeouts) gain nothing from running only GOMAXPROCS
// at a time (2 on the CI machine); their TestMain calls Default(8) before m.Run. A
// -parallel given on the command line wins.
package testparallel

import (
	"flag"
	"runtime"
	"strconv"
)

// Default sets -test.parallel to max(n, GOMAXPROCS) unless the command line set it. It
// parses the flags (m.Run would): call it from TestMain, before m.Run.
func Default(n int) {
	if !flag.Parsed() {
		flag.Parse()
	}
	set := false
	flag.Visit(func(f *flag.Flag) { set = set || f.Name == "test.parallel" })
	if !set {
		_ = flag.Set("test.parallel", strconv.Itoa(max(n, runtime.GOMAXPROCS(0))))
	}
}
