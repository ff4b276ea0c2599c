//go:build !unix

package main

import (
	"os"
	"time"
)

func openFile(path string) (*os.File, error) { return os.Open(path) }

// cpuTime is not measured on this platform.
func cpuTime() (time.Duration, bool) { return 0, false }
