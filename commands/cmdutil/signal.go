package cmdutil

import (
	"context"
	"os"
	"os/signal"
	"syscall"
)

// SignalContext is the context of one respondctl run: Ctrl-C (SIGINT) and SIGTERM cancel it.
func SignalContext() (context.Context, context.CancelFunc) {
	return signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
}
