//go:build unix

package threading

import (
	"syscall"
	"time"
)

// processCPU returns the user plus system CPU time of this process, for
// benchmarks that report a rate per CPU second next to the wall rate (on
// a shared machine the CPU figure is the steadier one).
func processCPU() (time.Duration, bool) {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0, false
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()), true
}
