// SPDX-License-Identifier: GPL-2.0
//
// Copyright (C) 2026 The kgo developers.
//
// The anchor of `make bench`'s userspace channel table: Go's own
// unbuffered channel ping-pong between two goroutines, in the same VM
// boot as kgo's channel fds, pipes and eventfds. Prints one line:
//
//	kgo-bench-go: pingpong round_trips=N runs=R median_ns_per_round_trip=X spread_pct=Y
package main

import (
	"flag"
	"fmt"
	"sort"
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
	per := make([]float64, *runs)
	for i := range per {
		per[i] = float64(pingpong(*n).Nanoseconds()) / float64(*n)
	}
	sort.Float64s(per)
	median := per[len(per)/2]
	spread := 100 * (per[len(per)-1] - per[0]) / median
	fmt.Printf("kgo-bench-go: pingpong round_trips=%d runs=%d median_ns_per_round_trip=%.0f spread_pct=%.0f\n",
		*n, *runs, median, spread)
}
