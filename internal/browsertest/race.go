//go:build race

package browsertest

func init() { MinParallel = 4 }
