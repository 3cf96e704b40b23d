package cmdutil

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"syscall"
	"testing"

	"github.com/respondctl/respondctl/apiclient"
	"github.com/respondctl/respondctl/config"
)

// TestExitCodeTable pins every row of `respondctl help exit-codes` to the
// errors that produce it.
func TestExitCodeTable(t *testing.T) {
	refused := &apiclient.TransportError{Host: "https://api.test", Err: syscall.ECONNREFUSED, Dial: true}
	rateLimited := &apiclient.APIError{Status: 429, Message: "slow down"}
	for _, tc := range []struct {
		name string
		err  error
		want int
	}{
		{"nil", nil, ExitOK},
		{"plain", errors.New("boom"), ExitError},
		{"usage", FlagErrorf("bad --limit"), ExitUsage},
		{"partial", PartialError("2 failed"), ExitPartial},
		{"no token", ErrNotAuthenticated, ExitAuth},
		{"401", &apiclient.APIError{Status: 401}, ExitAuth},
		{"404", &apiclient.APIError{Status: 404}, ExitNotFound},
		{"local not found", NotFoundf("no view %q", "x"), ExitNotFound},
		{"gave up on 429", &apiclient.GaveUpError{Attempts: 5, Last: rateLimited}, ExitGaveUp},
		{"gave up on 503", &apiclient.GaveUpError{Attempts: 5, Last: &apiclient.APIError{Status: 503}}, ExitGaveUp},
		{"unreachable, after retries", &apiclient.GaveUpError{Attempts: 5, Last: refused}, ExitError},
		{"unreachable, no retry", &apiclient.TransportError{Host: "https://x", Err: errors.New("no such host"), Dial: true}, ExitError},
		{"outcome unknown", &apiclient.OutcomeUnknownError{Method: "POST", Path: "/contact/id:1/message", Cause: refused}, ExitUnknown},
		{"send interrupted in flight", &apiclient.OutcomeUnknownError{Method: "POST", Path: "/x", Cause: context.Canceled}, ExitInterrupted},
		{"interrupted", fmt.Errorf("GET /x: %w", context.Canceled), ExitInterrupted},
		{"explicit", &ExitCodeError{Code: 3}, 3},
		{"alert crossed", &ExitCodeError{Code: ExitAlert}, ExitAlert},
		{"config file", &config.FileError{Err: errors.New("config /c.yaml: line 3: bad")}, ExitUsage},
	} {
		if got := ExitCode(tc.err); got != tc.want {
			t.Errorf("%s: ExitCode(%v) = %d, want %d", tc.name, tc.err, got, tc.want)
		}
	}
}

func TestExitCodesHelpListsEveryCode(t *testing.T) {
	help := ExitCodesHelp()
	for _, code := range []int{ExitOK, ExitError, ExitUsage, ExitPartial, ExitAuth, ExitNotFound, ExitGaveUp, ExitUnknown, ExitAlert, ExitInterrupted} {
		if !strings.Contains(help, fmt.Sprintf("\n  %-4d ", code)) {
			t.Errorf("help exit-codes does not list %d:\n%s", code, help)
		}
	}
}
