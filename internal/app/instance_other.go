//go:build !unix

package app

import "os"

// lockFile cannot lock here: every process takes a one-off id.
func lockFile(*os.File) (bool, error) { return false, nil }
