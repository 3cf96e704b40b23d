package auth

import (
	"context"
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/creack/pty"
	"golang.org/x/term"
)

// TestReadPasswordGivesUpOnInterrupt: Ctrl-C at the token prompt ends the
// read at once (not at the next Enter) and leaves echo as it was.
func TestReadPasswordGivesUpOnInterrupt(t *testing.T) {
	ptmx, tty, err := pty.Open()
	if err != nil {
		t.Skipf("no pty: %v", err)
	}
	defer ptmx.Close()
	defer tty.Close()
	fd := int(tty.Fd())
	before, err := term.GetState(fd)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	errc := make(chan error, 1)
	go func() {
		_, err := readPassword(ctx, fd)
		errc <- err
	}()
	// Wait until the read has turned echo off, then interrupt.
	deadline := time.Now().Add(5 * time.Second)
	for {
		st, err := term.GetState(fd)
		if err == nil && !reflect.DeepEqual(st, before) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the read never turned echo off")
		}
		time.Sleep(5 * time.Millisecond)
	}
	cancel()
	select {
	case err := <-errc:
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("err = %v, want context.Canceled", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the read did not give up on cancel")
	}
	after, err := term.GetState(fd)
	if err != nil || !reflect.DeepEqual(after, before) {
		t.Fatalf("terminal state not restored: %v", err)
	}
	// Unblock the abandoned read so the goroutine ends with the test.
	_, _ = ptmx.Write([]byte("\n"))
}
