// SPDX-License-Identifier: GPL-2.0
//
// Copyright (C) 2026 The kgo developers.
//
// Go's side of `make bench`'s parked-G table (Documentation/bench.rst),
// run in the same VM boot as kgo_bench.ko's mode=parked and the psieve
// sample. Each mode prints lines in the form the kernel side uses:
//
//	-mode memory:  N goroutines blocked on one unbuffered channel; the
//	               drop of free memory (MemFree in /proc/meminfo and the
//	               per-CPU free lists of /proc/zoneinfo, the gauge kgo's
//	               "total" uses) and the growth of runtime.MemStats.Sys
//	               while they are blocked, per goroutine
//	  kgo-bench: goparked-mem n=N free_bytes_per_g=B sys_bytes_per_g=B stack_bytes_per_g=B
//	-mode release: N goroutines receiving on one unbuffered channel,
//	               released by one sender, each value checked (every
//	               value 0..N-1 received exactly once), -runs times
//	  kgo-bench: goparked-release n=N rep=R park_ns=NS release_ns=NS errors=E
//	-mode sieve:   the classic concurrent prime sieve (go.dev/doc/play/sieve.go),
//	               the first -primes primes, -runs times (numbered from
//	               -rep), in the form of the kgo psieve sample's record
//	  kgo-bench: sieve impl=go primes=P rep=R ms=MS last=L
//
// The exit status is 1 when a release run lost, duplicated or invented a
// value.
package main

import (
	"bufio"
	"flag"
	"fmt"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// pcpPages is the sum of /proc/zoneinfo's "count:" lines: pages on the
// per-CPU free lists, which MemFree leaves out (as kgo_bench counts them).
func pcpPages() int64 {
	f, err := os.Open("/proc/zoneinfo")
	if err != nil {
		return 0
	}
	defer f.Close()
	var sum int64
	s := bufio.NewScanner(f)
	for s.Scan() {
		fields := strings.Fields(s.Text())
		if len(fields) >= 2 && fields[0] == "count:" {
			v, err := strconv.ParseInt(fields[1], 10, 64)
			if err == nil {
				sum += v
			}
		}
	}
	return sum
}

// freeBytes is MemFree and the per-CPU free lists, in bytes.
func freeBytes() int64 {
	return memFree() + pcpPages()*int64(os.Getpagesize())
}

// memFree is MemFree from /proc/meminfo in bytes, or -1.
func memFree() int64 {
	f, err := os.Open("/proc/meminfo")
	if err != nil {
		return -1
	}
	defer f.Close()
	s := bufio.NewScanner(f)
	for s.Scan() {
		fields := strings.Fields(s.Text())
		if len(fields) >= 2 && fields[0] == "MemFree:" {
			kb, err := strconv.ParseInt(fields[1], 10, 64)
			if err != nil {
				return -1
			}
			return kb * 1024
		}
	}
	return -1
}

// waitCount polls until *v reaches n, as kgo_bench does for its Gs.
func waitCount(v *int64, n int64) {
	for atomic.LoadInt64(v) < n {
		time.Sleep(time.Millisecond)
	}
}

func memory(n int) {
	ch := make(chan uint64)
	var started int64
	var wg sync.WaitGroup
	var ms0, ms1 runtime.MemStats

	runtime.GC()
	runtime.ReadMemStats(&ms0)
	free0 := freeBytes()
	wg.Add(n)
	for i := 0; i < n; i++ {
		go func() {
			atomic.AddInt64(&started, 1)
			<-ch
			wg.Done()
		}()
	}
	waitCount(&started, int64(n))
	time.Sleep(100 * time.Millisecond) // the last ones reach <-ch
	free1 := freeBytes()
	runtime.ReadMemStats(&ms1)
	fmt.Printf("kgo-bench: goparked-mem n=%d free_bytes_per_g=%d sys_bytes_per_g=%d stack_bytes_per_g=%d\n",
		n, (free0-free1)/int64(n), int64(ms1.Sys-ms0.Sys)/int64(n),
		int64(ms1.StackSys-ms0.StackSys)/int64(n))
	close(ch)
	wg.Wait()
}

func release(n int, rep int) int64 {
	ch := make(chan uint64)
	seen := make([]uint32, n)
	var started, errors int64
	var wg sync.WaitGroup

	t0 := time.Now()
	wg.Add(n)
	for i := 0; i < n; i++ {
		go func() {
			atomic.AddInt64(&started, 1)
			v := <-ch
			if v >= uint64(n) || atomic.AddUint32(&seen[v], 1) != 1 {
				atomic.AddInt64(&errors, 1)
			}
			wg.Done()
		}()
	}
	waitCount(&started, int64(n))
	t1 := time.Now()
	for v := uint64(0); v < uint64(n); v++ {
		ch <- v
	}
	wg.Wait()
	t2 := time.Now()
	for _, s := range seen {
		if s != 1 {
			errors++
		}
	}
	fmt.Printf("kgo-bench: goparked-release n=%d rep=%d park_ns=%d release_ns=%d errors=%d\n",
		n, rep, t1.Sub(t0).Nanoseconds(), t2.Sub(t1).Nanoseconds(), errors)
	return errors
}

// The sieve as in Go's playground, with its goroutines left blocked when
// main has its primes; they end with the process.
func generate(ch chan<- int) {
	for i := 2; ; i++ {
		ch <- i
	}
}

func filter(in <-chan int, out chan<- int, prime int) {
	for {
		i := <-in
		if i%prime != 0 {
			out <- i
		}
	}
}

func sieve(nprimes int, rep int) {
	t0 := time.Now()
	ch := make(chan int)
	go generate(ch)
	prime := 0
	for i := 0; i < nprimes; i++ {
		prime = <-ch
		ch1 := make(chan int)
		go filter(ch, ch1, prime)
		ch = ch1
	}
	fmt.Printf("kgo-bench: sieve impl=go primes=%d rep=%d ms=%d last=%d\n",
		nprimes, rep, time.Since(t0).Milliseconds(), prime)
}

func main() {
	mode := flag.String("mode", "release", "memory, release or sieve")
	n := flag.Int("n", 1000000, "memory, release: goroutines")
	primes := flag.Int("primes", 10000, "sieve: primes to find")
	runs := flag.Int("runs", 1, "release, sieve: runs")
	rep := flag.Int("rep", 1, "sieve: the first run's number")
	flag.Parse()

	switch *mode {
	case "memory":
		memory(*n)
	case "release":
		var errors int64
		for r := 1; r <= *runs; r++ {
			errors += release(*n, r)
			runtime.GC()
		}
		if errors != 0 {
			os.Exit(1)
		}
	case "sieve":
		for r := 1; r <= *runs; r++ {
			sieve(*primes, *rep+r-1)
		}
	default:
		fmt.Fprintf(os.Stderr, "unknown mode %q\n", *mode)
		os.Exit(2)
	}
}
