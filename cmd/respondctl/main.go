// Command respondctl works a messaging inbox from the terminal and scripts.
package main

import (
	"os"

	"github.com/respondctl/respondctl/commands"
	"github.com/respondctl/respondctl/commands/factory"
)

// version is set at build time with -ldflags "-X main.version=…".
var version = "dev"

func main() {
	os.Exit(commands.Main(os.Args[1:], factory.New(version)))
}
