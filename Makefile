# modrescue top-level build. See README.md for the two commands that matter:
# `make demo` and `make check`.
MAKEFLAGS += --no-print-directory

KVER ?= $(shell uname -r)
# The lab kernels, unpacked by scripts/lab-kernels (make setup).
LAB_KERNELS_DIR ?= /var/cache/modrescue/lab-kernels
export LAB_KERNELS_DIR
# The headers: a lab kernel's when KVER is one, else the machine's own.
KDIR ?= $(patsubst %/Makefile,%,$(or \
	$(wildcard $(LAB_KERNELS_DIR)/$(KVER)/lib/modules/$(KVER)/build/Makefile), \
	/lib/modules/$(KVER)/build/Makefile))
DESTDIR ?=
BUILD ?= build

CC ?= cc
PKG_CONFIG ?= pkg-config
WARN := -Wall -Wextra -Werror
CFLAGS ?= -O2 -g
# cli/lib is grouped by concern; its headers are included by file name.
LIB_DIRS := $(sort $(dir $(wildcard cli/lib/*/*.c)))
CPPFLAGS += -Iinclude $(addprefix -I,$(LIB_DIRS))
LIB_PKGS := libkmod json-c liblzma
PKG_CFLAGS = $(shell $(PKG_CONFIG) --cflags $(LIB_PKGS))
PKG_LIBS = $(shell $(PKG_CONFIG) --libs $(LIB_PKGS))

VERSION := $(shell cat VERSION)

LIB_SRCS := $(wildcard cli/lib/*/*.c)
CLI_SRCS := $(wildcard cli/*.c)
LIB_HDRS := $(wildcard cli/lib/*/*.h) include/uapi/modrescue.h

# Lab kernels: one build directory per release (modules are per kernel).
LAB_KERNELS ?= $(shell tests/vm/kernels)

.PHONY: all cli man modules patients install setup setup-demo unit lint disttest check lab demo bench clean \
	deb deb-check mutate

all: cli

cli: $(BUILD)/modrescue

$(BUILD)/modrescue: $(CLI_SRCS) $(LIB_SRCS) $(LIB_HDRS) VERSION | $(BUILD)
	$(CC) $(CPPFLAGS) $(PKG_CFLAGS) -DMODRESCUE_VERSION='"$(VERSION)"' \
		$(WARN) $(CFLAGS) $(LDFLAGS) -o $@ $(CLI_SRCS) $(LIB_SRCS) $(PKG_LIBS)

$(BUILD):
	mkdir -p $@

# The man page, modrescue(8), from its scdoc source.
man: $(BUILD)/modrescue.8

$(BUILD)/modrescue.8: dist/modrescue.8.scd | $(BUILD)
	scdoc <$< >$@.tmp && mv $@.tmp $@

# Kbuild writes into the source tree, so build from a per-kernel copy.
modules:
	scripts/kbuild-copy kernel $(BUILD)/kernel/$(KVER) include
	$(MAKE) -C $(KDIR) M=$(CURDIR)/$(BUILD)/kernel/$(KVER) modules

patients:
	scripts/kbuild-copy tests/patients $(BUILD)/patients/$(KVER)
	$(MAKE) -C $(KDIR) M=$(CURDIR)/$(BUILD)/patients/$(KVER) modules

install: cli modules
	install -D -m 0755 $(BUILD)/modrescue $(DESTDIR)/usr/sbin/modrescue
	install -D -m 0644 $(BUILD)/kernel/$(KVER)/modrescue.ko \
		$(DESTDIR)/lib/modules/$(KVER)/extra/modrescue.ko

# Set-up, as root (through sudo otherwise): `setup-demo` installs what the
# demo needs, `setup` everything `make check` needs (scripts/setup).
AS_ROOT = $(if $(filter 0,$(shell id -u)),,sudo) env LAB_KERNELS_DIR=$(LAB_KERNELS_DIR)
setup:
	@$(AS_ROOT) scripts/setup check

setup-demo:
	@$(AS_ROOT) scripts/setup demo

unit:
	$(MAKE) -C tests/unit run

# The man page is checked against the CLI's own --help (scripts/man-check).
# The helper is built for the first lab kernel, so that scripts/kernel-calls
# has its objects to read (the lab reuses that build).
lint: cli man
	$(if $(LAB_KERNELS),$(MAKE) modules KVER=$(firstword $(LAB_KERNELS)) >/dev/null)
	scripts/lint

# Debian packages (debian/), built by dpkg-buildpackage in a copy of the
# tree: build/deb/modrescue_VERSION_amd64.deb, modrescue-dkms_VERSION_all.deb.
deb:
	scripts/mkdeb $(CURDIR)/$(BUILD)/deb

# lintian clean, and each package holds what it must.
deb-check: deb
	scripts/deb-check $(CURDIR)/$(BUILD)/deb

# The shipped files' tests: bash completion, the metrics read by a real
# Prometheus parser, and their systemd units.
disttest: cli man
	tests/completion/run $(CURDIR)/$(BUILD)/modrescue
	tests/metrics/run $(CURDIR)/$(BUILD)
	tests/metrics/units $(CURDIR)/$(BUILD)

lab: cli
	tests/vm/run $(if $(KERNELS),--kernel "$(KERNELS)") $(SCENARIOS)

check: setup
	$(MAKE) unit
	$(MAKE) lint
	$(MAKE) disttest
	$(MAKE) deb-check
	$(MAKE) lab

demo: setup-demo cli
	tests/vm/run --demo --kernel 6.1

# Deliberate breaks, one at a time: each must make its scenarios fail
# (tests/mutate/run). KERNELS picks the one kernel (default 6.1).
mutate: cli
	tests/mutate/run --kernel "$(or $(KERNELS),6.1)" $(MUTATIONS)

# Benchmarks print ratios measured in one VM run; nothing is asserted.
# BENCHES picks some of tests/bench/*.sh (default: all of them).
BENCHES ?= status-bench unload lockwatch leftovers
bench: cli
	LAB_DIR=$(CURDIR)/$(BUILD)/lab-bench tests/vm/run --jobs 1 --dir tests/bench \
		--kernel "$(or $(KERNELS),6.1)" $(BENCHES)

clean:
	rm -rf $(BUILD)
	$(MAKE) -C tests/unit clean
