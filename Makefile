# SPDX-License-Identifier: MIT
# gongji - one non-recursive Makefile.
#
#   make            build build/gongji
#   make demo       install what is missing, build, run the main job on data/sample
#   make check      install what is missing, build, run the whole suite
#                   (plain build, then again under AddressSanitizer + UBSan,
#                   then the threaded commands under ThreadSanitizer, the
#                   kill soak, the fuzz targets over their corpus, the
#                   Debian package)
#   make unit T=money   one unit-test binary;  make e2e   the end-to-end tests
#   make bench      speed measurements (prints numbers, asserts nothing)
#   make fuzz       run each libFuzzer target for FUZZ_SECONDS (default 60)
#                   over tests/fuzz/corpus/<name>/, crashes saved into
#                   tests/fuzz/crashes/<name>/ (clang + libclang-rt-14-dev)
#   make format / format-check / check-layers / install / uninstall / clean
#   make check-offline  the plain suite only (no apt-get, no network)
#   make package    build/package/gongji_*.deb (dpkg-buildpackage on a copy)
#   make check-package  build the package, lintian, run it unpacked
#
# DEVELOPER=1 adds -Werror (CI sets it).  SAN=address,undefined builds with
# sanitizers into build/san/; make check-tsan builds SAN=thread into
# build/tsan/.  V=1 shows the commands.

PROG      = gongji
PREFIX   ?= /usr/local
DESTDIR  ?=
BINDIR    = $(PREFIX)/bin
DATADIR   = $(PREFIX)/share/$(PROG)
MANDIR    = $(PREFIX)/share/man/man1
LOCALEDIR = $(PREFIX)/share/locale

CC        ?= cc
PKG_CONFIG ?= pkg-config
CFLAGS    ?= -O2 -g

STD   = -std=c11
WARN  = -Wall -Wextra -Wpedantic -Wshadow -Wstrict-prototypes \
        -Wmissing-prototypes -Wold-style-definition -Wpointer-arith \
        -Wcast-qual -Wwrite-strings -Wvla -Wundef -Wformat=2 \
        -Wimplicit-fallthrough -Wnull-dereference -Wdouble-promotion \
        -Wconversion -Wsign-conversion -fno-common
ifeq ($(DEVELOPER),1)
WARN += -Werror
endif

ifneq ($(SAN),)
BUILD    ?= build/san
SANFLAGS  = -fsanitize=$(SAN) -fno-sanitize-recover=all -fno-omit-frame-pointer
CFLAGS    = -O1 -g
else
BUILD    ?= build
SANFLAGS  =
endif

Q = @
ifeq ($(V),1)
Q =
endif

PKGS      = sqlite3 xlsxwriter nettle libzip expat md4c-html libpng
PKG_CFLAGS = $(shell $(PKG_CONFIG) --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   = $(shell $(PKG_CONFIG) --libs $(PKGS) 2>/dev/null)
CMOCKA_CFLAGS = $(shell $(PKG_CONFIG) --cflags cmocka 2>/dev/null)
CMOCKA_LIBS   = $(shell $(PKG_CONFIG) --libs cmocka 2>/dev/null)

ALL_CPPFLAGS = -I. -D_POSIX_C_SOURCE=200809L \
               -DGONGJI_DATADIR='"$(DATADIR)"' \
               -DGONGJI_LOCALEDIR='"$(LOCALEDIR)"' $(CPPFLAGS)
ALL_CFLAGS   = $(STD) $(WARN) $(CFLAGS) $(SANFLAGS) $(PKG_CFLAGS) -pthread
ALL_LDFLAGS  = $(SANFLAGS) -pthread $(LDFLAGS)
LIBS         = $(PKG_LIBS) -lcsv -lm

LIB_SRC  = $(wildcard common/*.c ingest/*.c aggregate/*.c report/*.c)
CLI_SRC  = $(wildcard cli/*.c)
UNIT_SRC = $(wildcard tests/unit/test_*.c)
GEN_SRC  = $(wildcard tests/gen/*.c)

LIB_OBJ  = $(LIB_SRC:%.c=$(BUILD)/%.o)
CLI_OBJ  = $(CLI_SRC:%.c=$(BUILD)/%.o)
UNIT_BIN = $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)
GEN_BIN  = $(GEN_SRC:tests/gen/%.c=$(BUILD)/tests/%)
LIBA     = $(BUILD)/libgongji.a
MO       = build/locale/zh_CN/LC_MESSAGES/$(PROG).mo
DEPS     = $(LIB_OBJ:.o=.d) $(CLI_OBJ:.o=.d) \
           $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%.d) \
           $(GEN_SRC:tests/gen/%.c=$(BUILD)/tests/%.d)

.PHONY: all deps demo check check-plain check-san check-tsan check-valgrind \
        test unit \
        e2e bench sample fuzz fuzz-build check-fuzz check-soak \
        format format-check check-layers install uninstall clean tools \
        check-offline package check-package pot

all: $(BUILD)/$(PROG) $(MO)

# Flags file: objects depend on it, so a change of CFLAGS/SAN never mixes
# differently built objects.
$(BUILD)/.flags: FORCE
	@mkdir -p $(@D)
	@echo '$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) $(ALL_LDFLAGS) $(LIBS)' > $@.new
	@cmp -s $@.new $@ && rm -f $@.new || mv -f $@.new $@
FORCE:

$(BUILD)/%.o: %.c $(BUILD)/.flags
	@mkdir -p $(@D)
	@echo "  CC      $<"
	$(Q)$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) -MMD -MP -c -o $@ $<

$(LIBA): $(LIB_OBJ)
	@echo "  AR      $@"
	$(Q)rm -f $@ && ar rcs $@ $^

$(BUILD)/$(PROG): $(CLI_OBJ) $(LIBA)
	@echo "  LINK    $@"
	$(Q)$(CC) $(ALL_LDFLAGS) -o $@ $(CLI_OBJ) $(LIBA) $(LIBS)

$(BUILD)/tests/test_%: tests/unit/test_%.c $(LIBA) $(BUILD)/.flags
	@mkdir -p $(@D)
	@echo "  TEST    $@"
	$(Q)$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) $(CMOCKA_CFLAGS) -MMD -MP \
	    -MF $@.d -o $@ $< $(LIBA) $(CMOCKA_LIBS) $(LIBS) $(ALL_LDFLAGS)

$(BUILD)/tests/gen_%: tests/gen/gen_%.c $(LIBA) $(BUILD)/.flags
	@mkdir -p $(@D)
	@echo "  GEN     $@"
	$(Q)$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) -MMD -MP -MF $@.d -o $@ $< \
	    $(LIBA) $(LIBS) $(ALL_LDFLAGS)

tools: $(BUILD)/$(PROG) $(MO) $(UNIT_BIN) $(GEN_BIN)

# Messages in Chinese: po/zh_CN.po compiled into build/locale/ (whatever
# BUILD is: every binary of the tree finds it there, see cli/main.c); -c and
# --check-format make a translation whose %-directives differ from the
# English fail the build.  make pot re-extracts po/gongji.pot from the
# sources and merges it into the po file.
POT_SRC = $(sort $(LIB_SRC) $(CLI_SRC))
$(MO): po/zh_CN.po
	@mkdir -p $(@D)
	@echo "  MSGFMT  $<"
	$(Q)msgfmt -c --check-format -o $@.$$$$ $< && mv -f $@.$$$$ $@

pot:
	xgettext --keyword=_ --keyword=N_ --from-code=UTF-8 --language=C \
	    --add-comments=TRANSLATORS: --package-name=$(PROG) \
	    --msgid-bugs-address= -o po/gongji.pot $(POT_SRC)
	msgmerge -q --update --backup=none --no-fuzzy-matching \
	    po/zh_CN.po po/gongji.pot

deps:
	@sh scripts/setup-deps.sh

# Regenerate data/sample/ (deterministic; the committed files are its output).
sample: $(BUILD)/tests/gen_sample
	GONGJI_DATA=data $(BUILD)/tests/gen_sample data/sample

demo: deps
	@$(MAKE) --no-print-directory all
	@sh scripts/demo.sh $(BUILD)/$(PROG)

# The whole suite: a plain build, valgrind, then the same under ASan + UBSan,
# then the threaded commands under TSan, then the kill soak and the fuzz
# targets over their committed corpus and reproducers, then the Debian
# package (built without re-running the plain suite inside it).
check test: deps
	@$(MAKE) --no-print-directory check-plain
	@$(MAKE) --no-print-directory check-valgrind
	@$(MAKE) --no-print-directory check-san
	@$(MAKE) --no-print-directory check-tsan
	@$(MAKE) --no-print-directory check-soak
	@$(MAKE) --no-print-directory check-fuzz
	@$(MAKE) --no-print-directory check-package GONGJI_PACKAGE_NOCHECK=1

check-valgrind: tools
	@sh tests/valgrind.sh $(BUILD)

check-plain: tools
	@sh tests/run.sh $(BUILD) "$(T)"

check-san:
	@$(MAKE) --no-print-directory SAN=address,undefined tools
	@ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 \
	 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	 sh tests/run.sh build/san "$(T)"

# The threaded commands (bulletin charts, aggregate --threads) under
# ThreadSanitizer; tests/tsan.sh skips where TSan cannot run.
check-tsan:
	@$(MAKE) --no-print-directory SAN=thread BUILD=build/tsan tools
	@CC="$(CC)" sh tests/tsan.sh build/tsan

# SIGKILL at random moments of ingest, a correction and bulletin: the store
# is always exactly before or after (tests/soak.sh).
check-soak: tools
	@sh tests/soak.sh $(BUILD) > $(BUILD)/soak.log 2>&1; rc=$$?; \
	 grep -E '^-- (XFAIL|[0-9]+ kills|seed)|^FAIL|^SKIP' $(BUILD)/soak.log; \
	 case $$rc in 0) echo "  PASS  soak (log: $(BUILD)/soak.log)" ;; \
	 77) echo "  SKIP  soak" ;; *) echo "  FAIL  soak (log: $(BUILD)/soak.log)"; \
	 exit 1 ;; esac

# libFuzzer targets (tests/fuzz/fuzz_<name>.c).  The library is built again
# with clang and the sanitizers into build/fuzz/ (its own objects and flags
# file, so the gcc build is untouched), then each target is linked with
# -fsanitize=fuzzer.  clang 14 gives an enum with no negative value an
# unsigned type, so -Wsign-conversion flags int <-> enum conversions that gcc
# does not: that one warning is off for this build only.
FUZZ_CC      ?= clang
FUZZ_BUILD    = build/fuzz
FUZZ_SAN      = address,undefined
FUZZ_NAMES    = summary detail input xlsx
FUZZ_BIN      = $(FUZZ_NAMES:%=$(FUZZ_BUILD)/fuzz_%)
FUZZ_SECONDS ?= 60
FUZZ_CFLAGS   = -O1 -g -Wno-sign-conversion

ifneq ($(BUILD),$(FUZZ_BUILD))
$(FUZZ_BUILD)/libgongji.a: FORCE
	@$(MAKE) --no-print-directory CC=$(FUZZ_CC) BUILD=$(FUZZ_BUILD) \
	    SAN=fuzzer-no-link,$(FUZZ_SAN) CFLAGS="$(FUZZ_CFLAGS)" $@
endif

$(FUZZ_BUILD)/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/fuzz_common.c \
                      tests/fuzz/fuzz_common.h $(FUZZ_BUILD)/libgongji.a
	@echo "  FUZZ    $@"
	$(Q)$(FUZZ_CC) $(ALL_CPPFLAGS) $(STD) $(WARN) $(FUZZ_CFLAGS) \
	    -fsanitize=fuzzer,$(FUZZ_SAN) -fno-sanitize-recover=all \
	    -fno-omit-frame-pointer $(PKG_CFLAGS) -pthread -o $@ $< \
	    tests/fuzz/fuzz_common.c $(FUZZ_BUILD)/libgongji.a $(LIBS) -pthread

fuzz-build: $(FUZZ_BIN)

# Each target for FUZZ_SECONDS, one process each, from its corpus
# tests/fuzz/corpus/<name>/ (new inputs go to build/fuzz/corpus/<name>/:
# copy the interesting ones over); a crash is saved as
# tests/fuzz/crashes/<name>/crash-<sha1> and fails the run.
fuzz: fuzz-build
	@sh tests/fuzz/run.sh fuzz $(FUZZ_BUILD) $(FUZZ_SECONDS) $(FUZZ_NAMES)

# Each target once over its committed corpus and every reproducer; skipped
# with a message where clang's libFuzzer is missing.
check-fuzz:
	@if sh tests/fuzz/run.sh probe $(FUZZ_CC); then \
	  $(MAKE) --no-print-directory fuzz-build && \
	  sh tests/fuzz/run.sh check $(FUZZ_BUILD) 0 $(FUZZ_NAMES); \
	else echo "check-fuzz: SKIP: $(FUZZ_CC) cannot link -fsanitize=fuzzer (install clang and libclang-rt-14-dev)"; fi

unit: tools
	@sh tests/run.sh $(BUILD) "$(T)" unit

e2e: tools
	@sh tests/run.sh $(BUILD) "$(T)" e2e

bench: deps
	@$(MAKE) --no-print-directory CFLAGS="-O2 -g -DNDEBUG" tools
	@sh bench/run.sh $(BUILD)

C_FILES = $(wildcard */*.c */*.h tests/*/*.c tests/*/*.h)
format:
	clang-format -i $(C_FILES)
format-check:
	clang-format --dry-run -Werror $(C_FILES)

# Includes flow one way: common <- ingest <- aggregate <- report <- cli;
# only cli/ exits or reads the environment; no mutable statics below cli/.
check-layers:
	@bad=0; \
	for pair in "common:ingest/ aggregate/ report/ cli/" \
	            "ingest:aggregate/ report/ cli/" \
	            "aggregate:report/ cli/" "report:cli/"; do \
	  dir=$${pair%%:*}; \
	  for up in $${pair#*:}; do \
	    if grep -n "#include \"$$up" $$dir/*.[ch] 2>/dev/null; then bad=1; fi; \
	  done; \
	done; \
	if grep -ln 'exit(\|_Exit(' common/*.c ingest/*.c aggregate/*.c \
	     report/*.c \
	     | grep -v 'common/xalloc.c\|common/diag.c\|report/plotrun.c'; then \
	  echo "only cli/ may exit"; bad=1; fi; \
	if grep -n 'exit(' report/plotrun.c; then \
	  echo "report/plotrun.c: only its forked child may _Exit"; bad=1; fi; \
	if grep -n 'getenv(' common/*.c ingest/*.c aggregate/*.c report/*.c; then \
	  echo "only cli/ reads the environment"; bad=1; fi; \
	if grep -nE '^[[:space:]]*static[[:space:]]+[^(]*(;|=[^=])' \
	     ingest/*.c aggregate/*.c report/*.c \
	     | grep -v 'static const\|static inline'; then \
	  echo "no mutable static state in ingest/, aggregate/, report/"; \
	  bad=1; fi; \
	if [ $$bad = 0 ]; then echo "layers ok"; else exit 1; fi

# Everything an installed gongji reads: the binary finds DATADIR/data and
# DATADIR/templates as ../share/gongji beside itself (so an unpacked tree,
# dpkg -x, works too), else the compiled-in DATADIR.  data/README.md keeps
# the attribution areas.csv needs beside it.
install: all
	install -D -m 0755 $(BUILD)/$(PROG) $(DESTDIR)$(BINDIR)/$(PROG)
	install -D -m 0644 man/gongji.1 $(DESTDIR)$(MANDIR)/gongji.1
	install -D -m 0644 man/gongji.5 $(DESTDIR)$(PREFIX)/share/man/man5/gongji.5
	install -D -m 0644 man/zh_CN/man1/gongji.1 \
	    $(DESTDIR)$(PREFIX)/share/man/zh_CN/man1/gongji.1
	install -D -m 0644 contrib/gongji.bash-completion \
	    $(DESTDIR)$(PREFIX)/share/bash-completion/completions/gongji
	install -D -m 0644 $(MO) $(DESTDIR)$(LOCALEDIR)/zh_CN/LC_MESSAGES/$(PROG).mo
	for f in data/*.csv data/README.md templates/*.tmpl templates/*.conf templates/*.css templates/*.docx templates/*.lua \
	         templates/plot/*.gp; do \
	  install -D -m 0644 "$$f" "$(DESTDIR)$(DATADIR)/$$f" || exit 1; \
	done

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/$(PROG) $(DESTDIR)$(MANDIR)/gongji.1
	rm -f $(DESTDIR)$(PREFIX)/share/man/man5/gongji.5 \
	    $(DESTDIR)$(PREFIX)/share/man/zh_CN/man1/gongji.1 \
	    $(DESTDIR)$(PREFIX)/share/bash-completion/completions/gongji \
	    $(DESTDIR)$(LOCALEDIR)/zh_CN/LC_MESSAGES/$(PROG).mo
	rm -rf $(DESTDIR)$(DATADIR)

# The plain suite only: installs nothing and needs no network (the
# package build runs it; make check keeps installing what is missing).
check-offline: check-plain

# The Debian package: build/package/gongji_*.deb, built from a copy of the tree
# (scripts/package.sh OUT; installs debhelper and lintian when missing),
# and test it: lintian, then ingest and bulletin from the unpacked files
# (GONGJI_PACKAGE_NOCHECK=1: without the plain suite inside the build).
package:
	@sh scripts/package.sh build/package
check-package:
	@sh tests/package.sh build/package-test

clean:
	rm -rf build out

-include $(DEPS)
