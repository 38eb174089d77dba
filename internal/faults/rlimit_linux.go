package faults

import (
	"syscall"
	"unsafe"
)

// setFileSizeLimit sets the soft RLIMIT_FSIZE of process pid to cur bytes
// (prlimit(2); lowering it, and raising it again up to the hard limit, needs
// no privileges for one's own processes) and returns the limit it had.
func setFileSizeLimit(pid int, cur uint64) (syscall.Rlimit, error) {
	var old syscall.Rlimit
	if _, _, e := syscall.RawSyscall6(syscall.SYS_PRLIMIT64, uintptr(pid), syscall.RLIMIT_FSIZE, 0,
		uintptr(unsafe.Pointer(&old)), 0, 0); e != 0 {
		return old, e
	}
	lim := syscall.Rlimit{Cur: cur, Max: old.Max}
	if _, _, e := syscall.RawSyscall6(syscall.SYS_PRLIMIT64, uintptr(pid), syscall.RLIMIT_FSIZE,
		uintptr(unsafe.Pointer(&lim)), 0, 0, 0); e != 0 {
		return old, e
	}
	return old, nil
}
