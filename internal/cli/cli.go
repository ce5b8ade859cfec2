// Package cli holds what the helpgen command shares with the packages it
// calls: the kind of error that is a wrong way of calling it, which the
// command prints with its usage and exits 2 for.
package cli

// UsageError is a problem with how helpgen was called (a flag, a folder, a
// region code), not with the content.
type UsageError struct{ Err error }

func (e *UsageError) Error() string { return e.Err.Error() }
func (e *UsageError) Unwrap() error { return e.Err }
