package output

import "io"

// StreamFilter wraps a sink so every byte written to it passes a filter (the
// factory installs the token scrubber). A filter with a Flush method gets it
// called by IOStreams.Flush.
type StreamFilter func(io.Writer) io.Writer

// SetStreamFilter routes Out and ErrOut (and later the pager's input) through
// wrap. The unwrapped writers stay known, so the pager and the terminal width
// still see the real terminal.
func (ios *IOStreams) SetStreamFilter(wrap StreamFilter) {
	if ios.filter == nil { // a second call replaces the filter, never stacks it
		ios.rawOut, ios.rawErrOut = ios.Out, ios.ErrOut
	}
	ios.filter = wrap
	ios.Out, ios.ErrOut = wrap(ios.rawOut), wrap(ios.rawErrOut)
}

// Flush flushes the stream filters (text they held back to see whether it
// continues into a secret). run() calls it before exiting.
func (ios *IOStreams) Flush() {
	for _, w := range []io.Writer{ios.Out, ios.ErrOut} {
		if f, ok := w.(interface{ Flush() error }); ok {
			_ = f.Flush()
		}
	}
}

// wrapFiltered applies the stream filter, if any, to w.
func (ios *IOStreams) wrapFiltered(w io.Writer) io.Writer {
	if ios.filter == nil {
		return w
	}
	return ios.filter(w)
}

// unfiltered returns the real writer under a filtered one.
func unfiltered(filtered, raw io.Writer) io.Writer {
	if raw != nil {
		return raw
	}
	return filtered
}
