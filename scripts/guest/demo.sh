#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The guest side of `make demo`: load kgo, show the device answering.
set -e
show() { echo; echo "demo\$ $*"; "$@"; }
dmesg -n 1	# keep the kernel's own chatter out of the demo's output
show insmod /kgo/modules/kgo.ko
show sh -c 'dmesg | grep "kgo:"'
show ls -l /dev/kgo
show kgoctl version
show insmod /kgo/modules/kgo_sample_hello.ko
show sh -c 'dmesg | grep kgo_sample'
show rmmod kgo_sample_hello
show rmmod kgo
echo
echo "demo: kgo loaded, answered its version ioctl, served a client module and unloaded cleanly."
