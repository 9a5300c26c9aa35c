# SPDX-License-Identifier: GPL-2.0
#
# The Scalable-IOV mediated-device lab: a patched Linux 6.1 kernel, our
# modules, and a QEMU VM that runs the tests.  `make help` lists the targets.

# The Debian linux-source-6.1 version this series was tested on (the one place).
LINUX_SOURCE_VERSION := 6.1.192-3
LINUX_TARBALL := /usr/src/linux-source-6.1.tar.xz

B := build
KDIR := $(B)/linux
JOBS ?= $(shell nproc)
# Deferred: on a fresh machine ccache arrives with `make deps`, after this
# Makefile was read.
CCACHE = $(shell command -v ccache 2>/dev/null)
KMAKE = $(MAKE) -C $(KDIR) ARCH=x86_64 -j$(JOBS) $(if $(CCACHE),CC="ccache gcc")
TREE = scripts/kernel-tree.sh
TREE_ARGS = $(KDIR) $(LINUX_TARBALL) $(LINUX_SOURCE_VERSION) patches
CONFIGS := $(sort $(wildcard configs/*.config))
# Run a noisy step with its output in a log; on failure show the errors.
LOGGED = scripts/logged.sh

# In-guest test programs: every tests/<dir>/*_test.c, linked with the other
# .c files of its directory (that directory's shared code).  Test data that
# the lab VM's programs and the L2 guest share is in tests/vectors/.
TEST_DIRS := $(sort $(dir $(wildcard tests/*/*_test.c)))
TEST_BINS := $(foreach d,$(TEST_DIRS),$(patsubst $(d)%.c,$(B)/tests/bin/%,$(wildcard $(d)*_test.c)))

# ---- The L2 guest (make guest) -------------------------------------------
# A small stock-6.1 guest that QEMU in the lab VM boots with an mdev
# assigned (tests/l2guest): the unpatched source (tag base of $(KDIR)),
# unpacked into $(GUEST)/linux and built there, tinyconfig +
# configs/l2guest/kernel.config; and an initramfs whose /init is built from
# tests/l2guest/*.c (init.c and its suites).  (The lab kernel takes only configs/*.config.)
# make clean drops the images; the guest tree goes with make distclean.
GUEST := $(B)/guest
GUEST_CONFIG := configs/l2guest/kernel.config
GMAKE = $(MAKE) -C $(GUEST)/linux ARCH=x86_64 -j$(JOBS) $(if $(CCACHE),CC="ccache gcc")

.PHONY: guest clean-guest
guest: $(GUEST)/bzImage $(GUEST)/initramfs.cpio.gz

# A new linux-source tarball means a new base: the script then re-unpacks.
$(GUEST)/bzImage: $(GUEST_CONFIG) scripts/guest-image.sh scripts/kernel-config.sh \
		$(wildcard $(LINUX_TARBALL)) | tree
	@scripts/guest-image.sh tree $(KDIR) $(GUEST)/linux
	@echo "  CONFIG  guest: tinyconfig + $(notdir $(GUEST_CONFIG))"
	@scripts/kernel-config.sh $(GUEST)/linux $(GUEST_CONFIG)
	@echo "  GUEST   $@ (log: $(GUEST)/kernel.log)"
	@: > $(GUEST)/kernel.log
	@$(LOGGED) $(GUEST)/kernel.log $(GMAKE) bzImage
	@cp $(GUEST)/linux/arch/x86/boot/bzImage $@

L2_INIT_SRCS := $(wildcard tests/l2guest/*.c)
$(GUEST)/initramfs.cpio.gz: $(L2_INIT_SRCS) tests/l2guest/l2.h $(wildcard tests/vectors/*.h) \
		scripts/guest-image.sh $(GUEST)/bzImage
	@echo "  GUEST   $@"
	@scripts/guest-image.sh initramfs $(GUEST)/linux $@ $(L2_INIT_SRCS)

check run bench: guest
clean: clean-guest
clean-guest:
	rm -f $(GUEST)/bzImage $(GUEST)/initramfs.cpio.gz $(GUEST)/init $(GUEST)/initramfs.list
# ---- end of the L2 guest ----------------------------------------------------

.PHONY: all deps tree kernel modules tests check run shell bench clean distclean \
	kernel-config menuconfig export-patches kernel-reset check-faildemo check-fresh help
.DEFAULT_GOAL := all

all: kernel modules tests

help:
	@echo "make              build the patched kernel, our modules and the tests"
	@echo "make check        build what is stale, run every test tier, print the tally"
	@echo "make run          boot the lab VM with our modules loaded (a shell on a terminal)"
	@echo "make shell        boot the lab VM straight to a shell"
	@echo "make bench        run the benchmarks on the debug and the bench kernel, side by side"
	@echo "make check-fresh  make check inside a clean Debian 12 root (the dependency proof)"
	@echo "make kernel       the patched kernel only (build/linux, a git tree)"
	@echo "make modules      our modules only (W=1, warnings are errors)"
	@echo "make guest        the small L2 guest (build/guest: bzImage, initramfs) for nested tests"
	@echo "make menuconfig   look at the kernel config (configs/*.config are the source)"
	@echo "make export-patches  write build/linux's commits since 'base' to patches/"
	@echo "make kernel-reset    drop edits in build/linux and re-apply patches/"
	@echo "make check FAIL_DEMO=kunit|panic|oops|warn|lockdep|kasan|leak|hang"
	@echo "                  a deliberately failing run; make check-faildemo [MODES=...] runs them all"
	@echo "make clean        our build output; make distclean also drops build/"

deps:
	@scripts/deps.sh

tree: deps
	@$(TREE) prepare $(TREE_ARGS)

$(KDIR)/.config: $(CONFIGS) scripts/kernel-config.sh | tree
	@echo "  CONFIG  tinyconfig + $(notdir $(CONFIGS))"
	@scripts/kernel-config.sh $(KDIR) $(CONFIGS)

kernel-config: tree
	@rm -f $(KDIR)/.config
	@$(MAKE) --no-print-directory $(KDIR)/.config

# kbuild knows what is stale; its no-op run takes seconds.  modules_install
# and headers_install feed the VM (/lib/modules) and the test programs.
kernel: tree $(KDIR)/.config
	@echo "  KERNEL  $(KDIR) (log: $(B)/kernel.log)"
	@: > $(B)/kernel.log
	@$(LOGGED) $(B)/kernel.log $(KMAKE) bzImage modules
	@$(LOGGED) $(B)/kernel.log $(KMAKE) INSTALL_MOD_PATH=$(CURDIR)/$(B)/modroot modules_install
	@$(LOGGED) $(B)/kernel.log $(KMAKE) INSTALL_HDR_PATH=$(CURDIR)/$(B)/uapi headers_install

modules: kernel
	@echo "  MODULES Kbuild (W=1, -Werror; log: $(B)/modules.log)"
	@: > $(B)/modules.log
	@$(LOGGED) $(B)/modules.log $(KMAKE) M=$(CURDIR) W=1 KCFLAGS=-Werror modules

# Benchmark programs (tests/bench/*_bench.c) drive mdevs through VFIO with
# the helpers of tests/vfio.
BENCH_BINS := $(patsubst tests/bench/%.c,$(B)/tests/bin/%,$(wildcard tests/bench/*_bench.c))
VFIO_LIB := $(filter-out %_test.c,$(wildcard tests/vfio/*.c))

tests: $(TEST_BINS) $(BENCH_BINS) $(B)/vm-init

$(B)/tests/bin/%_bench: tests/bench/%_bench.c $(VFIO_LIB) $(wildcard tests/vfio/*.h) | kernel
	@mkdir -p $(dir $@)
	@echo "  CC      $@"
	@$(CC) $(TEST_CFLAGS) -I tests/vfio -o $@ $< $(VFIO_LIB)

# PID 1 of the lab VM, static so that it needs nothing from the shared root.
$(B)/vm-init: scripts/vm-init.c
	@mkdir -p $(B)
	@echo "  CC      $@"
	@$(CC) -static -O2 -Wall -Wextra -Werror -o $@ $<

TEST_CFLAGS := -O2 -g -Wall -Werror -isystem $(B)/uapi/include \
	-I $(KDIR)/tools/testing/selftests -I include

define test_rule
$(B)/tests/bin/%: $(1)%.c $(filter-out %_test.c,$(wildcard $(1)*.c)) $(wildcard $(1)*.h) \
		$(wildcard tests/vectors/*.h) | kernel
	@mkdir -p $$(dir $$@)
	@echo "  CC      $$@"
	@$$(CC) $$(TEST_CFLAGS) -I $(1) -o $$@ $$< $(filter-out %_test.c,$(wildcard $(1)*.c))
endef
$(foreach d,$(TEST_DIRS),$(eval $(call test_rule,$(d))))

# ---- The bench kernel (make bench) ------------------------------------------
# The same source and patches as $(KDIR), from a git worktree of it at its
# HEAD, configured from configs/*.config without debug.config, and with
# configs/bench/production.config (-O2, as distribution kernels): no KASAN,
# lockdep or kmemleak, which slow our in-kernel engines and leave a peer in
# QEMU's userspace untouched.  Our modules are built against it from a copy
# of their sources (an external kbuild tree builds in place).
BKDIR := $(B)/linux-bench
BENCH_CONFIGS := $(filter-out configs/debug.config,$(CONFIGS)) configs/bench/production.config
BENCH_EXT := $(B)/bench/ext
BKMAKE = $(MAKE) -C $(BKDIR) ARCH=x86_64 -j$(JOBS) $(if $(CCACHE),CC="ccache gcc")

.PHONY: bench-tree bench-kernel bench-modules
bench-tree: tree
	@$(TREE) worktree $(KDIR) $(BKDIR)

$(BKDIR)/.config: $(BENCH_CONFIGS) scripts/kernel-config.sh | bench-tree
	@echo "  CONFIG  bench kernel: tinyconfig + $(notdir $(BENCH_CONFIGS))"
	@scripts/kernel-config.sh $(BKDIR) $(BENCH_CONFIGS)

bench-kernel: bench-tree $(BKDIR)/.config
	@echo "  KERNEL  $(BKDIR) (log: $(B)/bench-kernel.log)"
	@: > $(B)/bench-kernel.log
	@$(LOGGED) $(B)/bench-kernel.log $(BKMAKE) bzImage modules
	@$(LOGGED) $(B)/bench-kernel.log $(BKMAKE) INSTALL_MOD_PATH=$(CURDIR)/$(B)/bench/modroot modules_install

bench-modules: bench-kernel
	@echo "  MODULES Kbuild for the bench kernel ($(BENCH_EXT); log: $(B)/bench-modules.log)"
	@mkdir -p $(BENCH_EXT)
	@git ls-files -co --exclude-standard -- Kbuild '*/Kbuild' '*.c' '*.h' \
		| grep -E '^(Kbuild|(drivers|samples|tests|include)/)' \
		| rsync -a --files-from=- ./ $(BENCH_EXT)/
	@: > $(B)/bench-modules.log
	@$(LOGGED) $(B)/bench-modules.log $(BKMAKE) M=$(CURDIR)/$(BENCH_EXT) W=1 KCFLAGS=-Werror modules
# ---- end of the bench kernel ------------------------------------------------

check: all
	@scripts/check.sh $(KDIR) $(LINUX_SOURCE_VERSION)

# Benchmarks report figures; they pass or fail nothing.  They run twice:
# on the debug kernel the tests use, and on the bench kernel, so every
# figure is seen on both.
bench: all bench-kernel bench-modules
	@scripts/vm.sh bench $(B)/bench/debug
	@LAB_KERNEL=$(BKDIR)/arch/x86/boot/bzImage LAB_MODROOT=$(B)/bench/modroot \
		LAB_KO_DIR=$(CURDIR)/$(BENCH_EXT) scripts/vm.sh bench $(B)/bench/production
	@python3 scripts/bench-compare.py $(B)/bench/debug/bench.txt $(B)/bench/production/bench.txt \
		| tee $(B)/bench/bench.txt

# make check in a clean Debian 12 root, from a clone of HEAD (commit first):
# the proof that scripts/deps.sh names everything.  Not part of make check.
check-fresh: deps
	@scripts/check-fresh.sh

check-faildemo: all
	@scripts/check-faildemo.sh $(KDIR) $(MODES)

run: all
	@scripts/vm.sh run $(B)/run

shell: all
	@scripts/vm.sh shell $(B)/shell

menuconfig: tree $(KDIR)/.config
	$(KMAKE) menuconfig
	@echo "note: configs/*.config are the source of the config; put lasting changes there"

export-patches:
	@$(TREE) export $(TREE_ARGS)

kernel-reset:
	@$(TREE) reset $(TREE_ARGS)

clean:
	@if [ -d $(KDIR) ]; then $(KMAKE) M=$(CURDIR) clean >/dev/null; fi
	rm -rf $(B)/tests $(B)/check $(B)/run $(B)/shell $(B)/bench $(B)/static-cache

distclean:
	rm -rf $(B)
