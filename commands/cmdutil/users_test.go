package cmdutil

import (
	"errors"
	"reflect"
	"testing"
)

func TestCloseMatches(t *testing.T) {
	emails := []string{"lee@example.com", "aisha@example.com", "carlos@example.com", "mei@example.com"}
	if got := CloseMatches("lee@exampel.com", emails, 3); !reflect.DeepEqual(got, []string{"lee@example.com"}) {
		t.Errorf("got %v", got)
	}
	if got := CloseMatches("zzz@nowhere.org", emails, 3); len(got) != 0 {
		t.Errorf("got %v", got)
	}
}

func TestSilentWithCodeKeepsExitCode(t *testing.T) {
	err := SilentWithCode(NotFoundf("x"))
	if ExitCode(err) != ExitNotFound || !IsSilent(err) {
		t.Fatalf("exit %d silent %v", ExitCode(err), IsSilent(err))
	}
	if SilentWithCode(nil) != nil {
		t.Fatal("nil must stay nil")
	}
	if !errors.Is(SilentWithCode(ErrNotAuthenticated), ErrNotAuthenticated) {
		t.Fatal("unwrap lost")
	}
}
