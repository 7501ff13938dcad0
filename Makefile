# SPDX-License-Identifier: GPL-2.0
#
# kgo top-level Makefile.
#
#   make [KDIR=...]     kgo.ko, the KUnit module, the samples and the tools
#   make check          everything, on every supported kernel, in QEMU
#   make demo           boots a VM with kgo loaded and shows it working
#   make bench          scheduler and channel benchmark in QEMU (one boot)
#   make lint           checkpatch --strict, sparse and W=1 on every kernel,
#                       mandoc -Tlint on the man pages, the docs build
#   make docs           Documentation/ as HTML in build/docs/html (Sphinx)
#   make install        userspace library, headers and kgoctl (PREFIX, DESTDIR)
#   make modules_install  kgo.ko (+ kgo_test.ko) for KDIR's kernel, and the
#                       kit for client modules (INSTALL_MOD_PATH, DESTDIR)
#   make dkms-install   kgo.ko through DKMS, rebuilt for every new kernel
#   make dkms-remove    undo dkms-install

# The running kernel's build dir; on a host without one (a CI VM whose kernel
# is not Debian's), the newest installed Debian 6.12 headers.
KDIR ?= $(firstword $(wildcard /lib/modules/$(shell uname -r)/build) \
		    $(lastword $(sort $(wildcard /usr/src/linux-headers-6.12*-amd64))))

PREFIX ?= /usr/local
DESTDIR ?=

.PHONY: all modules tools clean check demo bench lint docs install help \
	modules_install dkms-install dkms-remove

all: modules tools

modules:
	@test -n "$(KDIR)" -a -d "$(KDIR)" || { \
		echo "kgo: no kernel build dir; pass KDIR=/path/to/linux-headers" >&2; exit 1; }
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules

tools:
	$(MAKE) -C tools

clean:
	@if [ -n "$(KDIR)" ] && [ -d "$(KDIR)" ]; then \
		$(MAKE) -C $(KDIR) M=$(CURDIR) clean; fi
	$(MAKE) -C tools clean
	rm -rf build

check:
	scripts/check.sh

demo:
	scripts/demo.sh

bench:
	scripts/bench.sh

lint:
	scripts/lint.sh

docs:
	scripts/docs.sh

install:
	$(MAKE) -C tools install PREFIX=$(PREFIX) DESTDIR=$(DESTDIR)

# See Documentation/kernel-api.rst, "Building a client module".
modules_install: modules
	INSTALL_MOD_PATH=$(INSTALL_MOD_PATH) DESTDIR=$(DESTDIR) \
		scripts/package.sh modules-install $(KDIR)

dkms-install:
	scripts/package.sh dkms-install $(KERNELS)

dkms-remove:
	scripts/package.sh dkms-remove

help:
	@sed -n '3,17s/^# \{0,1\}//p' Makefile
