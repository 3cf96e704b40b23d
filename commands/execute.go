package commands

import (
	"context"
	"errors"
	"fmt"
	"log"
	"os"
	"strings"

	"github.com/respondctl/respondctl/apiclient"
	"github.com/respondctl/respondctl/commands/cmdutil"
	"github.com/respondctl/respondctl/config"
	"github.com/respondctl/respondctl/output"
	"github.com/spf13/cobra"
)

// Main runs one command line of the respondctl binary and returns its exit code: Ctrl-C and
// SIGTERM cancel the command's context. cmd/respondctl calls it, and so do the tests that
// run respondctl in-process or re-executed (commands/cmdtest): there is one run path.
func Main(args []string, f *cmdutil.Factory) int {
	ctx, stop := cmdutil.SignalContext()
	defer stop()
	return Execute(ctx, f, args)
}

// Execute runs one command line under ctx and returns the exit code. Errors are printed
// here, as one line on stderr (tokens redacted, a usage hint for usage errors), and nowhere
// else; a panic becomes one "internal error" line; f.Close runs last.
func Execute(ctx context.Context, f *cmdutil.Factory, args []string) (code int) {
	// Go's own log lines (net/http: "Unsolicited response received on idle
	// HTTP channel…") go through the same scrubbed, sanitised stderr.
	log.SetOutput(output.NewSafeWriter(f.IOStreams.ErrOut))
	defer f.IOStreams.Flush()
	defer func() {
		if f.Close != nil {
			if err := f.Close(); err != nil && code == cmdutil.ExitOK {
				printError(f, nil, fmt.Errorf("closing the sandbox: %w", err))
				code = cmdutil.ExitError
			}
		}
	}()
	defer func() {
		// A panic is a bug, but users still get one line and no stack trace.
		if r := recover(); r != nil {
			printError(f, nil, fmt.Errorf("internal error: %v", r))
			code = cmdutil.ExitError
		}
	}()

	root := NewCmdRoot(f)
	root.SetArgs(args)
	cmd, err := root.ExecuteContextC(ctx)
	f.IOStreams.StopPager()
	if err == nil || errors.Is(err, output.ErrClosedPagerPipe) {
		return cmdutil.ExitOK // quitting the pager early is not an error
	}
	if ctx.Err() != nil && !errors.Is(err, context.Canceled) {
		err = fmt.Errorf("%w: %v", context.Canceled, err)
	}
	code = cmdutil.ExitCode(err)
	if code == cmdutil.ExitInterrupted {
		fmt.Fprintln(f.IOStreams.ErrOut, "interrupted")
		// A send cut off in flight still says that it may have happened.
		if !cmdutil.IsSilent(err) && (!errors.Is(err, context.Canceled) || errors.Is(err, apiclient.ErrOutcomeUnknown)) {
			printError(f, cmd, err)
		}
		return code
	}
	if !cmdutil.IsSilent(err) {
		printError(f, cmd, err)
	}
	return code
}

// printError writes "error: …" as one line, with the token scrubbed, plus a
// usage hint for usage errors.
func printError(f *cmdutil.Factory, cmd *cobra.Command, err error) {
	msg := strings.Join(strings.Fields(err.Error()), " ")
	msg = output.SafeLine(f.Secrets.String(redactTokens(msg)))
	fmt.Fprintln(f.IOStreams.ErrOut, "error: "+msg)
	var fe *cmdutil.FlagError
	if cmd != nil && errors.As(err, &fe) {
		fmt.Fprintf(f.IOStreams.ErrOut, "Run '%s --help' for usage.\n", cmd.CommandPath())
	}
}

// redactTokens removes the environment token from a message; tokens from the
// configuration are redacted by the API client before errors get here.
func redactTokens(msg string) string {
	if tok := strings.TrimSpace(os.Getenv(config.EnvToken)); len(tok) >= 4 {
		msg = strings.ReplaceAll(msg, tok, "****")
	}
	return msg
}
