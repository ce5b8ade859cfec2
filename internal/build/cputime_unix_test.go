//go:build unix

package build

import (
	"syscall"
	"time"
)

// cpuTime is the CPU time the process has used (user and system): on a
// busy machine it varies less than the wall time a benchmark reports.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
