package completions

import (
	"bytes"
	"flag"
	"os"
	"testing"

	"github.com/respondctl/respondctl/commands"
	"github.com/respondctl/respondctl/commands/completion"
	"github.com/respondctl/respondctl/commands/factory"
	"github.com/respondctl/respondctl/output"
)

var update = flag.Bool("update", false, "rewrite the committed completion scripts")

var scripts = map[string]string{
	"bash":       "respondctl.bash",
	"zsh":        "respondctl.zsh",
	"fish":       "respondctl.fish",
	"powershell": "respondctl.ps1",
}

func TestCompletionScriptsAreCurrent(t *testing.T) {
	rewrite := *update || os.Getenv("UPDATE_COMPLETIONS") != ""
	ios, _, _, _ := output.Test()
	for shell, file := range scripts {
		t.Run(shell, func(t *testing.T) {
			f := factory.NewWithDeps("test", factory.Deps{IOStreams: ios})
			root := commands.NewCmdRoot(f)
			var buf bytes.Buffer
			if err := completion.Generate(root, shell, &buf); err != nil {
				t.Fatal(err)
			}
			if rewrite {
				if err := os.WriteFile(file, buf.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			committed, err := os.ReadFile(file)
			if err != nil {
				t.Fatalf("%v (generate with UPDATE_COMPLETIONS=1 go test ./completions/)", err)
			}
			if !bytes.Equal(committed, buf.Bytes()) {
				t.Errorf("completions/%s is stale: run UPDATE_COMPLETIONS=1 go test ./completions/", file)
			}
		})
	}
}
