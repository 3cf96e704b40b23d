// Package version implements `respondctl version`.
package version

import (
	"fmt"
	"runtime"
	"runtime/debug"

	"github.com/respondctl/respondctl/commands/cmdutil"
	"github.com/spf13/cobra"
)

// VersionOptions holds what `version` prints.
type VersionOptions struct {
	Factory   *cmdutil.Factory
	Version   string
	GoVersion string
	Commit    string // VCS revision from the build info, if any
	Modified  bool
}

// NewCmdVersion builds `respondctl version`. It reads only the binary's own
// build info: no configuration, no network.
func NewCmdVersion(f *cmdutil.Factory, runF func(*VersionOptions) error) *cobra.Command {
	opts := &VersionOptions{Factory: f}
	return &cobra.Command{
		Use:   "version",
		Short: "Print the version of respondctl",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Version = f.AppVersion
			opts.GoVersion = runtime.Version()
			opts.Commit, opts.Modified = buildCommit()
			if runF != nil {
				return runF(opts)
			}
			return versionRun(opts)
		},
	}
}

func buildCommit() (string, bool) {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "", false
	}
	var commit string
	var modified bool
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			commit = s.Value
		case "vcs.modified":
			modified = s.Value == "true"
		}
	}
	if len(commit) > 12 {
		commit = commit[:12]
	}
	return commit, modified
}

// versionInfo is the -o json shape.
type versionInfo struct {
	Version   string `json:"version"`
	GoVersion string `json:"goVersion"`
	Commit    string `json:"commit,omitempty"`
	Modified  bool   `json:"modified,omitempty"`
}

func versionRun(opts *VersionOptions) error {
	f := opts.Factory
	ios := f.IOStreams
	info := versionInfo{Version: opts.Version, GoVersion: opts.GoVersion, Commit: opts.Commit, Modified: opts.Modified}
	if f.WantsStructured() {
		return cmdutil.PrintStructured(f, info)
	}
	line := fmt.Sprintf("respondctl version %s (%s", info.Version, info.GoVersion)
	if info.Commit != "" {
		line += ", commit " + info.Commit
		if info.Modified {
			line += "-dirty"
		}
	}
	_, err := fmt.Fprintln(ios.Out, line+")")
	return err
}
