package conversationstatus_test

import (
	"strings"
	"testing"

	"github.com/respondctl/respondctl/commands/cmdtest"
	"github.com/respondctl/respondctl/commands/cmdutil"
	"github.com/respondctl/respondctl/commands/conversationstatus"
	"github.com/spf13/cobra"
)

const resumeTargets = "--resume takes the contacts from the journal"

func TestDoneFlagCombinations(t *testing.T) {
	build := func(f *cmdutil.Factory, reached *bool) *cobra.Command {
		return conversationstatus.NewCmdDone(f, func(*conversationstatus.DoneOptions) error { *reached = true; return nil })
	}
	const resume = "--resume takes the category and summary from the journal"
	cmdtest.CheckFlags(t, build, []cmdtest.FlagCase{
		{Args: []string{"--resume", "j.jsonl", "5"}, Want: resumeTargets},
		{Args: []string{"--resume", "j.jsonl", "--view", "Mine"}, Want: resumeTargets},
		{Args: []string{"--resume", "j.jsonl", "--category", "Resolved"}, Want: resume},
		{Args: []string{"--resume", "j.jsonl", "--summary", "done"}, Want: resume},
		{Args: []string{"--resume", "j.jsonl", "--if-no-new-incoming"}, Want: resume},
		{Args: []string{"5", "--category", strings.Repeat("c", 10_000)}, Want: "--category is longer than"},
		{Args: []string{"5", "--summary", strings.Repeat("s", 100_000)}, Want: "--summary is longer than"},
		{Args: []string{"5", "--category", "Resolved", "--summary", "Refunded"}},
		{Args: []string{"--resume", "j.jsonl"}},
	})
}

func TestSnoozeFlagCombinations(t *testing.T) {
	build := func(f *cmdutil.Factory, reached *bool) *cobra.Command {
		return conversationstatus.NewCmdSnooze(f, func(*conversationstatus.SnoozeOptions) error { *reached = true; return nil })
	}
	cmdtest.CheckFlags(t, build, []cmdtest.FlagCase{
		{Args: []string{"--resume", "j.jsonl", "5"}, Want: resumeTargets},
		{Args: []string{"--resume", "j.jsonl", "--until", "2h"}, Want: "--resume takes the snooze time from the journal"},
		{Args: []string{"5"}, Want: "--until is required"},
		{Args: []string{"5", "--until", "2h"}},
		{Args: []string{"--resume", "j.jsonl"}},
	})
}

func TestStatusVerbsFlagCombinations(t *testing.T) {
	for name, newCmd := range map[string]func(*cmdutil.Factory, func(*conversationstatus.StatusOptions) error) *cobra.Command{
		"reopen": conversationstatus.NewCmdReopen, "pending": conversationstatus.NewCmdPending, "unsnooze": conversationstatus.NewCmdUnsnooze,
	} {
		t.Run(name, func(t *testing.T) {
			build := func(f *cmdutil.Factory, reached *bool) *cobra.Command {
				return newCmd(f, func(*conversationstatus.StatusOptions) error { *reached = true; return nil })
			}
			cmdtest.CheckFlags(t, build, []cmdtest.FlagCase{
				{Args: []string{"--resume", "j.jsonl", "5"}, Want: resumeTargets},
				{Args: []string{"--resume", "j.jsonl", "--input", "-"}, Want: resumeTargets},
				{Args: []string{"5", "6"}},
				{Args: []string{"--resume", "j.jsonl"}},
			})
		})
	}
}
