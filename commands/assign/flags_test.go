package assign_test

import (
	"testing"

	"github.com/respondctl/respondctl/commands/assign"
	"github.com/respondctl/respondctl/commands/cmdtest"
	"github.com/respondctl/respondctl/commands/cmdutil"
	"github.com/spf13/cobra"
)

func TestAssignFlagCombinations(t *testing.T) {
	build := func(f *cmdutil.Factory, reached *bool) *cobra.Command {
		return assign.NewCmdAssign(f, func(*assign.AssignOptions) error { *reached = true; return nil })
	}
	const resume = "--resume takes the contacts and assignees from the journal"
	const exactlyOne = "give exactly one of --to USER, --round-robin USERS or --balance USERS"
	cmdtest.CheckFlags(t, build, []cmdtest.FlagCase{
		{Args: []string{"--resume", "j.jsonl", "5"}, Want: resume},
		{Args: []string{"--resume", "j.jsonl", "--to", "me"}, Want: resume},
		{Args: []string{"--resume", "j.jsonl", "--round-robin", "a@x.com,b@x.com"}, Want: resume},
		{Args: []string{"--resume", "j.jsonl", "--balance", "a@x.com"}, Want: resume},
		{Args: []string{"--resume", "j.jsonl", "--view", "Mine", "--limit", "3"}, Want: resume},
		{Args: []string{"5"}, Want: exactlyOne},
		{Args: []string{"5", "--to", "me", "--round-robin", "a@x.com"}, Want: exactlyOne},
		{Args: []string{"5", "--to", "me", "--balance", "a@x.com"}, Want: exactlyOne},
		{Args: []string{"5", "--round-robin", "a@x.com", "--balance", "b@x.com"}, Want: exactlyOne},
		{Args: []string{"5", "--to", "me"}},
		{Args: []string{"--view", "Unassigned", "--round-robin", "a@x.com,b@x.com", "--dry-run"}},
		{Args: []string{"--resume", "j.jsonl"}},
	})
}

func TestUnassignFlagCombinations(t *testing.T) {
	build := func(f *cmdutil.Factory, reached *bool) *cobra.Command {
		return assign.NewCmdUnassign(f, func(*assign.UnassignOptions) error { *reached = true; return nil })
	}
	const resume = "--resume takes the contacts from the journal"
	cmdtest.CheckFlags(t, build, []cmdtest.FlagCase{
		{Args: []string{"--resume", "j.jsonl", "5"}, Want: resume},
		{Args: []string{"--resume", "j.jsonl", "--input", "ids.txt"}, Want: resume},
		{Args: []string{"--resume", "j.jsonl", "--view", "Mine"}, Want: resume},
		{Args: []string{"5", "6"}},
		{Args: []string{"--resume", "j.jsonl"}},
	})
}
