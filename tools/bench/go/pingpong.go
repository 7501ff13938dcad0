// SPDX-License-Identifier: GPL-2.0
//
// Copyright (C) 2026 The kgo developers.
//
// The anchor of `make bench`'s userspace channel table: Go's own
// unbuffered channel ping-pong between two goroutines, in the same VM
// boot as kgo's channel fds, pipes and eventfds. Prints one line per run,
// in the form kgoctl bench --raw uses:
//
//	kgo-bench: uchan test=roundtrip impl=go rep=R value=NS_PER_ROUND_TRIP
package main

import (
	"flag"
	"fmt"
	"time"
)

func pingpong(n int) time.Duration {
	ping := make(chan uint64)
	pong := make(chan uint64)
	go func() {
		for v := range ping {
			pong <- v + 1
		}
		close(pong)
	}()
	start := time.Now()
	var v uint64
	for i := 0; i < n; i++ {
		ping <- v
		v = <-pong
	}
	elapsed := time.Since(start)
	close(ping)
	<-pong
	if v != uint64(n) {
		panic("lost a value")
	}
	return elapsed
}

func main() {
	n := flag.Int("n", 100000, "round trips per run")
	runs := flag.Int("runs", 5, "runs")
	flag.Parse()

	pingpong(*n / 10) // warm up
	for r := 1; r <= *runs; r++ {
		ns := float64(pingpong(*n).Nanoseconds()) / float64(*n)
		fmt.Printf("kgo-bench: uchan test=roundtrip impl=go rep=%d value=%.1f\n", r, ns)
	}
}
