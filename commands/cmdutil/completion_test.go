package cmdutil

import (
	"reflect"
	"testing"

	"github.com/spf13/cobra"
)

func TestCompleteListCompletesTheLastItem(t *testing.T) {
	var asked string
	users := func(_ *cobra.Command, _ []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
		asked = toComplete
		return filterPrefix([]string{"lee@example.com", "nadia@example.com", "mei@example.com"}, toComplete), cobra.ShellCompDirectiveNoFileComp
	}
	got, dir := CompleteList(users)(nil, nil, "lee@example.com,n")
	if asked != "n" {
		t.Errorf("item completion asked for %q, want %q", asked, "n")
	}
	if want := []cobra.Completion{"lee@example.com,nadia@example.com"}; !reflect.DeepEqual(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
	if dir&cobra.ShellCompDirectiveNoSpace == 0 {
		t.Error("a list completion must not add a space (the user may type another comma)")
	}
}

func TestRegisterDynamicCompletionsKeepsCommandsOwn(t *testing.T) {
	own := func(*cobra.Command, []string, string) ([]cobra.Completion, cobra.ShellCompDirective) {
		return []cobra.Completion{"mine"}, cobra.ShellCompDirectiveNoFileComp
	}
	root := &cobra.Command{Use: "r"}
	a := &cobra.Command{Use: "a", Run: func(*cobra.Command, []string) {}}
	a.Flags().String("view", "", "")
	a.Flags().Int64("channel", 0, "")
	a.Flags().String("to", "", "")
	_ = a.RegisterFlagCompletionFunc("to", own)
	root.AddCommand(a)
	RegisterDynamicCompletions(root, &Factory{})
	for _, name := range []string{"view", "channel", "to"} {
		if _, ok := a.GetFlagCompletionFunc(name); !ok {
			t.Errorf("--%s: no completion", name)
		}
	}
	fn, _ := a.GetFlagCompletionFunc("to")
	if got, _ := fn(a, nil, ""); len(got) != 1 || got[0] != "mine" {
		t.Errorf("the command's own --to completion was replaced: %v", got)
	}
}
