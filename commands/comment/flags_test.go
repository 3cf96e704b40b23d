package comment_test

import (
	"strings"
	"testing"

	"github.com/respondctl/respondctl/commands/cmdtest"
	"github.com/respondctl/respondctl/commands/cmdutil"
	"github.com/respondctl/respondctl/commands/comment"
	"github.com/spf13/cobra"
)

func TestCommentFlagCombinations(t *testing.T) {
	build := func(f *cmdutil.Factory, reached *bool) *cobra.Command {
		return comment.NewCmdComment(f, func(*comment.CommentOptions) error { *reached = true; return nil })
	}
	const resume = "--resume takes the contacts and text from the journal"
	cmdtest.CheckFlags(t, build, []cmdtest.FlagCase{
		{Args: []string{"--resume", "j.jsonl", "5"}, Want: resume},
		{Args: []string{"--resume", "j.jsonl", "--text", "note"}, Want: resume},
		{Args: []string{"--resume", "j.jsonl", "--view", "Mine"}, Want: resume},
		{Args: []string{"5"}, Want: "--text is required"},
		{Args: []string{"5", "--text", "   "}, Want: "--text is required"},
		{Args: []string{"5", "--text", strings.Repeat("x", 100_000)}, Want: "--text is longer than"},
		{Args: []string{"5", "6", "--text", "Called back"}},
		{Args: []string{"--resume", "j.jsonl"}},
	})
}
