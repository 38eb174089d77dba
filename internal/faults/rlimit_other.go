//go:build !linux

package faults

import "syscall"

// setFileSizeLimit needs prlimit(2), which only Linux has.
func setFileSizeLimit(pid int, cur uint64) (syscall.Rlimit, error) {
	return syscall.Rlimit{}, errNotLinux
}
