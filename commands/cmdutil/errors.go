package cmdutil

import (
	"context"
	"errors"
	"fmt"

	"github.com/respondctl/respondctl/apiclient"
	"github.com/respondctl/respondctl/config"
	"github.com/respondctl/respondctl/users"
)

// Exit codes: one table, documented in `respondctl help exit-codes` and the README.
const (
	ExitOK            = 0
	ExitError         = 1
	ExitUsage         = 2
	ExitPartial       = 3
	ExitAuth          = 4
	ExitNotFound      = 5
	ExitGaveUp        = 6
	ExitUnknown       = 7
	ExitAlert         = 8
	ExitInterrupted   = 130
	exitCodesHelpText = `Exit codes:
  0    success
  1    error: host unreachable or connection broken (even after retries), invalid
       response, server error, anything not listed below
  2    usage error: bad flag, argument, identifier, duration or config value, a malformed
       config file or a current_profile naming no profile (with file and line), a --resume
       journal that is damaged, in use by another run or of another workspace (no request was made)
  3    partial failure of a bulk run: some items failed or have an unknown outcome
  4    not authenticated: no token, or the server rejected it (HTTP 401)
  5    not found: contact, message, user, view or channel does not exist (HTTP 404)
  6    gave up: the server still answered 429/449/5xx (rate limited, overloaded) after
       all retries; try again later
  7    outcome unknown: a send or comment may or may not have been applied (never resent blindly)
  8    alert: views --alert crossed a threshold (the counts were read; not an error)
  130  interrupted (Ctrl-C); bulk runs print the command that resumes them
`
)

// ExitCodesHelp is the text of `respondctl help exit-codes`.
func ExitCodesHelp() string { return exitCodesHelpText }

// FlagError is a usage error: bad flags, arguments or input detected before any request.
type FlagError struct{ Err error }

func (e *FlagError) Error() string { return e.Err.Error() }
func (e *FlagError) Unwrap() error { return e.Err }

// FlagErrorf builds a usage error (exit 2).
func FlagErrorf(format string, args ...any) error {
	return &FlagError{Err: fmt.Errorf(format, args...)}
}

// UsageError wraps err as a usage error (exit 2); nil stays nil.
func UsageError(err error) error {
	if err == nil {
		return nil
	}
	return &FlagError{Err: err}
}

// NotFoundError is a lookup that found nothing locally (a view, a user by name...): exit 5.
type NotFoundError struct{ Err error }

func (e *NotFoundError) Error() string { return e.Err.Error() }
func (e *NotFoundError) Unwrap() error { return e.Err }

// NotFoundf builds a not-found error (exit 5).
func NotFoundf(format string, args ...any) error {
	return &NotFoundError{Err: fmt.Errorf(format, args...)}
}

// ErrNotAuthenticated is returned when no token is configured.
var ErrNotAuthenticated = errors.New("not logged in: run `respondctl auth login`, set RESPOND_TOKEN, or use --sandbox")

// ExitCodeError carries an explicit exit code with an optional message already printed (Silent).
type ExitCodeError struct {
	Code   int
	Err    error
	Silent bool // the command already printed what happened
}

func (e *ExitCodeError) Error() string {
	if e.Err == nil {
		return fmt.Sprintf("exit status %d", e.Code)
	}
	return e.Err.Error()
}
func (e *ExitCodeError) Unwrap() error { return e.Err }

// PartialError reports a bulk run with failed or unknown items (exit 3). The summary was printed.
func PartialError(summary string) error {
	return &ExitCodeError{Code: ExitPartial, Err: errors.New(summary), Silent: true}
}

// ExitCode maps an error returned by a command to the process exit code.
func ExitCode(err error) int {
	if err == nil {
		return ExitOK
	}
	var ec *ExitCodeError
	if errors.As(err, &ec) {
		return ec.Code
	}
	var fe *FlagError
	if errors.As(err, &fe) || config.IsFileError(err) {
		return ExitUsage
	}
	if errors.Is(err, context.Canceled) {
		return ExitInterrupted
	}
	if errors.Is(err, ErrNotAuthenticated) {
		return ExitAuth
	}
	var nf *NotFoundError
	var unknownUser *users.UnknownUserError
	if errors.As(err, &nf) || errors.As(err, &unknownUser) {
		return ExitNotFound
	}
	var ue interface{ IsUsageError() bool } // usage errors of packages below commands/
	if errors.As(err, &ue) && ue.IsUsageError() {
		return ExitUsage
	}
	var ambiguousUser *users.AmbiguousUserError
	if errors.As(err, &ambiguousUser) {
		return ExitUsage
	}
	if errors.Is(err, apiclient.ErrOutcomeUnknown) {
		return ExitUnknown
	}
	// A host that cannot be reached (or keeps dropping the connection) is a
	// plain error even after retries: exit 6 promises a server that answered
	// and asked us to back off, which is a different thing to fix.
	var te *apiclient.TransportError
	if errors.As(err, &te) {
		return ExitError
	}
	var gu *apiclient.GaveUpError
	if errors.As(err, &gu) {
		return ExitGaveUp
	}
	if apiclient.IsUnauthorized(err) {
		return ExitAuth
	}
	if apiclient.IsNotFound(err) {
		return ExitNotFound
	}
	return ExitError
}

// IsSilent reports whether the error was already shown to the user.
func IsSilent(err error) bool {
	var ec *ExitCodeError
	return errors.As(err, &ec) && ec.Silent
}

// MeUnknownError: the profile does not say who the current user is, so "me" (the Mine
// view, --assignee me) cannot be resolved. Not a failure of a command that merely lists
// Mine among other views: it says how to fix it and goes on.
type MeUnknownError struct{ Profile string }

func (e *MeUnknownError) Error() string {
	return fmt.Sprintf("profile %q does not say who you are: run `respondctl auth login --user EMAIL` or `respondctl config set me EMAIL`", e.Profile)
}
