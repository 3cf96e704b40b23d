// Package completions holds the generated shell completion scripts of
// respondctl (respondctl.bash, .zsh, .fish, .ps1). completions_test.go
// regenerates them and fails when a committed script is stale; refresh with
//
//	UPDATE_COMPLETIONS=1 go test ./completions/   (or: go test ./completions/ -update)
package completions
