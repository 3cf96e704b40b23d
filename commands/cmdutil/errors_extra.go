package cmdutil

// SilentWithCode keeps err's exit code but marks it as already reported (the
// command printed its output and the failure in it).
func SilentWithCode(err error) error {
	if err == nil {
		return nil
	}
	return &ExitCodeError{Code: ExitCode(err), Err: err, Silent: true}
}
