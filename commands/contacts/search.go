package contacts

import (
	"strings"

	"github.com/respondctl/respondctl/apiclient"
	"github.com/respondctl/respondctl/commands/cmdutil"
	"github.com/spf13/cobra"
)

// NewCmdSearch builds `contacts search QUERY`.
func NewCmdSearch(f *cmdutil.Factory, runF func(*ListOptions) error) *cobra.Command {
	opts := &ListOptions{}
	cmd := &cobra.Command{
		Use:   "search <query>",
		Short: "Search contacts by name, phone or email",
		Long: `Search contacts by name, phone or email. A phone number is normalised to E.164 first, so
"+60 12-345 6789" finds +60123456789.`,
		Example: `  respondctl contacts search aisha
  respondctl contacts search "+60 12-345 6789"`,
		Args: cmdutil.ExactArgs(1, "a search query is required"),
		RunE: func(cmd *cobra.Command, args []string) error {
			q := strings.TrimSpace(args[0])
			if q == "" {
				return cmdutil.FlagErrorf("the search query is empty")
			}
			opts.Shortcuts.Search = normaliseQuery(q)
			return prepare(cmd, f, opts, runF)
		},
	}
	addFilterFlags(cmd, opts)
	return cmd
}

// normaliseQuery turns a phone number typed with spaces or dashes into E.164.
func normaliseQuery(q string) string {
	if strings.HasPrefix(q, "+") {
		if id, err := apiclient.ParseContactIdentifier(q); err == nil && id.Kind() == apiclient.IdentifierPhone {
			return id.Value()
		}
	}
	return q
}
