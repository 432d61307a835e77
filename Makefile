# policygen — 運営方針 Markdown -> official PDF forms.
#   make        install missing Debian packages (as root), build bin/policygen,
#               render every content/<year>/*.md into out/<year>/*.pdf
#   make test   build and run the tests (also under ASan/UBSan)

SHELL   := /bin/bash
CC      ?= cc
PKGS    := libcmark freetype2 harfbuzz-subset harfbuzz yaml-0.1 libpcre2-8 libdeflate
# bin/policygen (and the benchmark) carry the three libraries whose Debian
# -dev packages ship an archive (.a) and that nothing else loads: each
# shared library costs a process time to map and relocate (a build is ~10
# ms; bench/README.md). HarfBuzz (with GLib, which loads PCRE2, and
# graphite2), FreeType and libharu stay shared: Debian ships no archive of
# them. Being built from source by `make`, the binary takes a library's
# fixes when it is rebuilt after `apt-get upgrade`.
STATIC_PKGS := libcmark yaml-0.1 libdeflate
SHARED_PKGS := libpcre2-8 freetype2 harfbuzz-subset harfbuzz
FAST_LIBS = -Wl,-Bstatic $$(pkg-config --libs $(STATIC_PKGS)) -Wl,-Bdynamic $$(pkg-config --libs $(SHARED_PKGS)) $(LDLIBS)
CFLAGS  ?= -O2 -g
CFLAGS  += -std=c11 -D_POSIX_C_SOURCE=200809L -Wall -Wextra -iquote generator
LDLIBS  := -lhpdf -lunibreak -lz -lm -pthread

# Debian packages the project needs (build, fonts, tests).
DEB_BUILD := gcc make pkg-config libhpdf-dev libcmark-dev libpcre2-dev libfreetype-dev \
             libyaml-dev libharfbuzz-dev libunibreak-dev zlib1g-dev libdeflate-dev \
             fonts-morisawa-bizud-mincho fonts-morisawa-bizud-gothic fonts-ipamj-mincho icc-profiles-free
DEB_TEST  := poppler-utils qpdf valgrind fonttools libxml2-utils python3 nodejs npm

SRCS    := $(filter-out generator/main.c,$(wildcard generator/*.c))
OBJS    := $(SRCS:generator/%.c=build/obj/%.o)
ASAN_OBJS := $(SRCS:generator/%.c=build/asan/%.o)
# Every document whose name make and the shell can take as it is: ASCII
# letters, digits, - . _ and any non-ASCII character (部署名.md). Others
# (a space, ( ) ' : % $ # ...) are reported by name (UNMAKEABLE) and fail
# the build at its end, after the others are built.
ODD_NAME := LC_ALL=C grep -P '[^-A-Za-z0-9._/\x80-\xff]'
CONTENT := $(sort $(shell find content -mindepth 2 -maxdepth 2 -name '*.md' 2>/dev/null | $(ODD_NAME) -v))
UNMAKEABLE = find content -mindepth 2 -maxdepth 2 -name '*.md' 2>/dev/null | $(ODD_NAME) | LC_ALL=C sort | \
    sed 's/$$/: error: この名前のファイルは make では扱えません（空白や記号）。名前を英数字と - _ . と日本語だけにしてください/'
PDFS    := $(CONTENT:content/%.md=out/%.pdf)

.PHONY: all deps test clean pdfs check fuzz book books preview publish bench
all: pdfs

# ---- set-up --------------------------------------------------------------
build/deps.ok: Makefile
	@mkdir -p build
	@provided=$$(dpkg-query -W -f='$${db:Status-Abbrev} $${Provides}\n' 2>/dev/null | awk '/^ii/{$$1=""; print}' | \
	    tr ',' '\n' | awk '{print $$1}'); \
	missing=$$(for p in $(DEB_BUILD) $(DEB_TEST); do \
	    dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q 'ok installed' || \
	    printf '%s\n' $$provided | grep -qxF $$p || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	    if [ "$$(id -u)" = 0 ]; then \
	        echo "Installing: $$missing"; \
	        apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null || exit 1; \
	    else \
	        echo "Missing Debian packages. Run as root:"; \
	        echo "  apt-get install -y $$(echo $$missing)"; exit 1; \
	    fi; \
	fi
	@touch $@

# The fonts and the OutputIntent's ICC profile are pinned by SHA-256
# (fonts/fonts.yaml): checked again whenever the manifest or one of those
# files changes (the files are prerequisites), so a font or profile
# replaced or damaged after the first build is never used silently.
# (A role is one font or a list of them: "  file:" or "  - file:".)
FONT_FILES := $(foreach f,$(sort $(shell awk '/^  (- )?file:/{print $$NF}' fonts/fonts.yaml 2>/dev/null)),$(if $(filter /%,$(f)),$(f),fonts/$(f)))
build/fonts.ok: fonts/fonts.yaml build/deps.ok $(wildcard $(FONT_FILES))
	@awk '/^  (- )?file:/{file=$$NF; if (file !~ /^\//) file = "fonts/" file} /^  (  )?sha256:/{print $$NF "  " file}' fonts/fonts.yaml \
	    | sha256sum --quiet -c - || { echo "fonts/fonts.yaml: error: a font or an ICC profile does not match its pinned SHA-256"; exit 1; }
	@touch $@

deps: build/deps.ok build/fonts.ok

# ---- the generator -------------------------------------------------------
build/obj/%.o: generator/%.c build/deps.ok
	@mkdir -p $(@D)
	@echo "CC      $<"
	@$(CC) $(CFLAGS) $$(pkg-config --cflags $(PKGS)) -MMD -MP -c $< -o $@

bin/policygen: $(OBJS) build/obj/main.o
	@mkdir -p $(@D)
	@echo "LINK    $@"
	@$(CC) $(CFLAGS) -o $@ $^ $(FAST_LIBS)

# The same sources under AddressSanitizer and UndefinedBehaviorSanitizer.
SAN := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
build/asan/%.o: generator/%.c build/deps.ok
	@mkdir -p $(@D)
	@echo "CC      $< (ASan/UBSan)"
	@$(CC) $(CFLAGS) -O1 $(SAN) $$(pkg-config --cflags $(PKGS)) -MMD -MP -c $< -o $@

bin/policygen-asan: $(ASAN_OBJS) build/asan/main.o
	@mkdir -p $(@D)
	@echo "LINK    $@"
	@$(CC) $(CFLAGS) $(SAN) -o $@ $^ $$(pkg-config --libs $(PKGS)) $(LDLIBS)

-include $(wildcard build/obj/*.d build/asan/*.d)

# ---- documents -------------------------------------------------------------
# Every good document is rendered even when another one is broken, every
# broken one is reported, and make fails at the end.
# make decides which PDFs are out of date, each by its own prerequisites
# (its .d file: the document, layout, manifest, fonts); an inner make with
# STALE= only lists those documents, and they are then built by as few
# `policygen build A.md B.md ...` runs as make has jobs (-jN; -j: every
# core; none: one), which load the fonts and layouts once each: 100
# documents take about half the time of one process per document
# (bench/README.md). A single out-of-date document is one run, as before.
STALE_LIST := build/stale.list
JOBS = $(or $(patsubst -j%,%,$(filter -j%,$(MAKEFLAGS))),$(if $(filter -j,$(MAKEFLAGS)),$(shell nproc),1))
pdfs: bin/policygen build/fonts.ok
	@rm -f $(STALE_LIST)
	@$(MAKE) -s --no-print-directory -k STALE=$(STALE_LIST) $(PDFS)
	@bad=$$($(UNMAKEABLE)); failed=0; \
	if [ -s $(STALE_LIST) ]; then \
	    n=$$(wc -l < $(STALE_LIST)); j=$(JOBS); [ "$$j" -ge 1 ] 2>/dev/null || j=1; \
	    per=$$(( (n + j - 1) / j )); sed 's|^content/|out/|; s|\.md$$|.pdf|; s|^|PDF     |' $(STALE_LIST); \
	    xargs -P "$$j" -n "$$per" bin/policygen build --outdir out --depdir build/deps --layouts layouts \
	        --fonts fonts/fonts.yaml < $(STALE_LIST) || failed=1; \
	fi; \
	if [ -n "$$bad" ]; then echo "$$bad"; failed=1; fi; \
	if [ $$failed = 1 ]; then echo "make: 誤りのある原稿があります（上のメッセージ）。ほかの原稿の PDF は作りました"; exit 1; fi

# Every current error and warning of every document at once; writes nothing.
check: bin/policygen build/fonts.ok
	@bad=$$($(UNMAKEABLE)); bin/policygen check $(CONTENT) --layouts layouts --fonts fonts/fonts.yaml && \
	    { [ -z "$$bad" ] || { echo "$$bad"; exit 1; }; } && echo "check: $(words $(CONTENT)) 件の原稿に誤りはありません"

# Each PDF depends on exactly what the generator read (its .d file names the
# layout, font manifest and font files), so only what changed is re-rendered.
# Under `make pdfs` (STALE set) the document is listed, to be built with the
# others; `make out/Y/D.pdf` builds it at once.
out/%.pdf: content/%.md bin/policygen build/fonts.ok
	@$(if $(STALE),echo $< >> $(STALE),mkdir -p $(@D) build/deps/$(*D); echo "PDF     $@"; \
	    bin/policygen build $< -o $@ --layouts layouts --fonts fonts/fonts.yaml --depfile build/deps/$*.d)

-include $(wildcard build/deps/*/*.d)

# ---- the yearly book, previews, publishing -------------------------------------
YEARS := $(notdir $(wildcard content/*))
YEAR  ?= $(lastword $(sort $(YEARS)))
BOOK_LAYOUT := layouts/book/yearly.yaml

# make book YEAR=2024: every department of the year in one PDF.
book: bin/policygen build/fonts.ok
	@test -n "$(wildcard content/$(YEAR)/*.md)" || { echo "make: no content/$(YEAR)/*.md"; exit 1; }
	@echo "make book: $(YEAR) 年度の冊子です（ほかの年度は make book YEAR=年度。案の原稿があれば作りません）"
	@mkdir -p out/$(YEAR)
	bin/policygen book $(sort $(wildcard content/$(YEAR)/*.md)) -o out/$(YEAR)/book.pdf
books:
	@for y in $(YEARS); do $(MAKE) --no-print-directory book YEAR=$$y || exit 1; done

# PNG pages of every PDF, for review: out/preview/<year>/<name>-<page>.png
# (a document's old pages go first, so a shorter one leaves none behind)
preview: pdfs
	@for pdf in $(PDFS); do \
	    dir=out/preview/$$(dirname $${pdf#out/}); name=$$(basename $$pdf .pdf); mkdir -p $$dir; \
	    rm -f $$dir/$$name-*.png; pdftoppm -r 60 -png $$pdf $$dir/$$name || exit 1; \
	done; echo "previews in out/preview/"

# The CI job of the published documents: build everything (any error or
# warning from the generator fails it; a note, text set smaller than the
# form's size to fit, is shown and passes), check every PDF, write
# out/MANIFEST.sha256.
publish: bin/policygen build/fonts.ok
	@rm -f out/MANIFEST.sha256
	@bad=$$($(UNMAKEABLE)); [ -z "$$bad" ] || { echo "$$bad"; echo "publish: failed"; exit 1; }
	@for md in $(CONTENT); do \
	    pdf=out/$${md#content/}; pdf=$${pdf%.md}.pdf; mkdir -p $$(dirname $$pdf); \
	    msgs=$$(bin/policygen build $$md -o $$pdf --final 2>&1); rc=$$?; \
	    grep ': note: ' <<<"$$msgs" || true; \
	    [ $$rc = 0 ] && [ -z "$$(grep -v ': note: ' <<<"$$msgs")" ] || { echo "$$msgs" | grep -v ': note: '; echo "publish: $$md failed"; exit 1; }; \
	done
	@for y in $(YEARS); do \
	    msgs=$$(bin/policygen book $$(ls content/$$y/*.md | sort) -o out/$$y/book.pdf 2>&1); rc=$$?; \
	    [ $$rc = 0 ] && [ -z "$$(grep -v ': note: ' <<<"$$msgs")" ] || \
	        { echo "$$msgs" | grep -v ': note: '; echo "publish: book $$y failed"; exit 1; }; \
	done
	@stale=$$(find out -name '*.pdf' -not -path 'out/preview/*' | sort | \
	    grep -vxF -f <(printf '%s\n' $(PDFS) $(YEARS:%=out/%/book.pdf))); \
	if [ -n "$$stale" ]; then echo "publish: PDFs in out/ without a document in content/:"; \
	    echo "$$stale"; echo "publish: remove them (or restore their content/*.md)"; exit 1; fi
	@tests/check-pdf $(PDFS) $(YEARS:%=out/%/book.pdf)
	@cd out && printf '%s\n' $(patsubst out/%,%,$(PDFS) $(YEARS:%=out/%/book.pdf)) | sort | \
	    xargs sha256sum > MANIFEST.sha256
	@echo "publish: $$(wc -l < out/MANIFEST.sha256) PDFs checked; manifest in out/MANIFEST.sha256"

# ---- tests ---------------------------------------------------------------
# pdf.js (npm pdfjs-dist, the exact version in tests/pdf/package-lock.json):
# the reader the accessibility tests load every kind of PDF in, as Firefox does.
build/pdfjs.ok: tests/pdf/package.json tests/pdf/package-lock.json build/deps.ok
	@echo "NPM     tests/pdf (pdfjs-dist)"
	@npm ci --prefix tests/pdf --omit=optional --no-audit --no-fund --loglevel=error >/dev/null
	@node tests/pdf/structure.mjs --version >/dev/null
	@touch $@

UNIT_TESTS := $(patsubst tests/unit/%.c,build/tests/%,$(wildcard tests/unit/test_*.c))

build/tests/%: tests/unit/%.c $(ASAN_OBJS)
	@mkdir -p $(@D)
	@echo "LINK    $@"
	@$(CC) $(CFLAGS) -O1 $(SAN) $$(pkg-config --cflags $(PKGS)) -o $@ $< $(ASAN_OBJS) \
	    $$(pkg-config --libs $(PKGS)) $(LDLIBS)

test: bin/policygen bin/policygen-asan build/fonts.ok build/pdfjs.ok $(UNIT_TESTS) build/tests/fuzz_replay \
      build/tests/fuzz_replay_frontmatter build/tests/fuzz_replay_layout build/tests/fuzz_replay_spin
	@tests/run

clean:
	rm -rf build bin out tests/pdf/node_modules

# ---- fuzzing ---------------------------------------------------------------
# `make fuzz FUZZ_SECONDS=1800` runs libFuzzer (clang) over the whole pipeline;
# the corpus it grows is kept in tests/fuzz/corpus and replayed by `make test`.
# `make fuzz-frontmatter` and `make fuzz-layout` do the same with the input as
# a document's front matter or as a layout file (tests/fuzz/README.md).
FUZZ_SECONDS ?= 60
FUZZ_CC := clang -g -O1 -std=c11 -D_POSIX_C_SOURCE=200809L -iquote generator
build/fuzz/fuzz_pipeline: $(SRCS) tests/fuzz/fuzz_pipeline.c build/deps.ok
	@mkdir -p $(@D)
	$(FUZZ_CC) -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
	    $$(pkg-config --cflags $(PKGS)) -o $@ $(SRCS) tests/fuzz/fuzz_pipeline.c $$(pkg-config --libs $(PKGS)) $(LDLIBS)

fuzz: build/fuzz/fuzz_pipeline
	@mkdir -p build/fuzz/new
	build/fuzz/fuzz_pipeline -max_total_time=$(FUZZ_SECONDS) -max_len=65536 -timeout=10 \
	    -dict=tests/fuzz/markdown.dict build/fuzz/new tests/fuzz/corpus

# Front matter and layouts (issue 9): UBSan with float-cast-overflow, every
# finding fatal, and libFuzzer's budgets of 256 MB and 2 s, so a greedy or
# slow input is a finding too. By default a run goes on past a finding
# (-fork=1: one child process at a time); FUZZ_MODE= stops at the first.
# Findings go to build/fuzz/findings-NAME/, new inputs to build/fuzz/new-NAME/.
.PHONY: fuzz-frontmatter fuzz-layout fuzz-merge-frontmatter fuzz-merge-layout
FUZZ_NAMES  := frontmatter layout
FUZZ_MODE   ?= -fork=1 -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1
FUZZ_LIMITS := -rss_limit_mb=256 -timeout=2
# ASan keeps 256 MB of freed memory in quarantine by default, which alone
# would pass the RSS limit after a while: 32 MB keeps the limit for inputs.
# (Temporary files, fuzz_layout's folders included, go to build/fuzz/tmp.)
FUZZ_ENV    := ASAN_OPTIONS=quarantine_size_mb=32:$$ASAN_OPTIONS UBSAN_OPTIONS=print_stacktrace=1:$$UBSAN_OPTIONS
FUZZ_MAXLEN_frontmatter := 65536
FUZZ_MAXLEN_layout      := 65536
$(FUZZ_NAMES:%=build/fuzz/fuzz_%): build/fuzz/fuzz_%: $(SRCS) tests/fuzz/fuzz_%.c tests/fuzz/harness.h build/deps.ok
	@mkdir -p $(@D)
	$(FUZZ_CC) -fsanitize=fuzzer,address,undefined,float-cast-overflow -fno-sanitize-recover=all \
	    $$(pkg-config --cflags $(PKGS)) -o $@ $(SRCS) tests/fuzz/fuzz_$*.c $$(pkg-config --libs $(PKGS)) $(LDLIBS)

$(FUZZ_NAMES:%=fuzz-%): fuzz-%: build/fuzz/fuzz_%
	@mkdir -p build/fuzz/new-$* build/fuzz/findings-$* build/fuzz/tmp
	TMPDIR=$(CURDIR)/build/fuzz/tmp $(FUZZ_ENV) \
	build/fuzz/fuzz_$* -max_total_time=$(FUZZ_SECONDS) $(FUZZ_LIMITS) -max_len=$(FUZZ_MAXLEN_$*) $(FUZZ_MODE) \
	    -dict=tests/fuzz/yaml.dict -artifact_prefix=build/fuzz/findings-$*/ build/fuzz/new-$* tests/fuzz/corpus-$*
	@rm -rf build/fuzz/tmp

# Minimise tests/fuzz/corpus-NAME with what build/fuzz/new-NAME added
# (-merge=1; inputs that crash, time out or run out of memory are left out).
# The seeds (seed-*) and regressions (regress-*) stay as they are.
$(FUZZ_NAMES:%=fuzz-merge-%): fuzz-merge-%: build/fuzz/fuzz_%
	@rm -rf build/fuzz/merged-$* && mkdir -p build/fuzz/merged-$* build/fuzz/new-$* build/fuzz/tmp
	TMPDIR=$(CURDIR)/build/fuzz/tmp $(FUZZ_ENV) build/fuzz/fuzz_$* -merge=1 $(FUZZ_LIMITS) -max_len=$(FUZZ_MAXLEN_$*) \
	    build/fuzz/merged-$* tests/fuzz/corpus-$* build/fuzz/new-$*
	@rm -rf build/fuzz/tmp
	@cd tests/fuzz/corpus-$* && for f in seed-* regress-*; do [ -f "$$f" ] && rm -f ../../../build/fuzz/merged-$*/$$(sha1sum < $$f | cut -c1-40); done; true
	@find tests/fuzz/corpus-$* -type f ! -name 'seed-*' ! -name 'regress-*' -delete
	@cp build/fuzz/merged-$*/* tests/fuzz/corpus-$*/ 2>/dev/null || true
	@echo "tests/fuzz/corpus-$*: $$(ls tests/fuzz/corpus-$* | wc -l) inputs"

# The replays of the three corpora for `make test`: gcc's ASan/UBSan, with
# float-cast-overflow (which gcc's -fsanitize=undefined leaves out) over
# objects of their own. tests/fuzz/replay.c puts a time limit on every input.
REPLAY_SAN  := $(SAN) -fsanitize=float-cast-overflow -fno-sanitize-recover=all
REPLAY_OBJS := $(SRCS:generator/%.c=build/replay/%.o)
build/replay/%.o: generator/%.c build/deps.ok
	@mkdir -p $(@D)
	@echo "CC      $< (replay: ASan/UBSan)"
	@$(CC) $(CFLAGS) -O1 $(REPLAY_SAN) $$(pkg-config --cflags $(PKGS)) -MMD -MP -c $< -o $@

-include $(wildcard build/replay/*.d)

build/tests/fuzz_replay: tests/fuzz/replay.c tests/fuzz/fuzz_pipeline.c $(REPLAY_OBJS)
	@mkdir -p $(@D)
	@echo "LINK    $@"
	@$(CC) $(CFLAGS) -O1 $(REPLAY_SAN) $$(pkg-config --cflags $(PKGS)) -o $@ tests/fuzz/replay.c tests/fuzz/fuzz_pipeline.c \
	    $(REPLAY_OBJS) $$(pkg-config --libs $(PKGS)) $(LDLIBS)

# (A target that spins, to test the replay's time limit.)
build/tests/fuzz_replay_spin: tests/fuzz/replay.c tests/fuzz/spin.c
	@mkdir -p $(@D)
	@echo "LINK    $@"
	@$(CC) $(CFLAGS) -O1 -o $@ tests/fuzz/replay.c tests/fuzz/spin.c

$(FUZZ_NAMES:%=build/tests/fuzz_replay_%): build/tests/fuzz_replay_%: tests/fuzz/replay.c tests/fuzz/fuzz_%.c \
	    tests/fuzz/harness.h $(REPLAY_OBJS)
	@mkdir -p $(@D)
	@echo "LINK    $@"
	@$(CC) $(CFLAGS) -O1 $(REPLAY_SAN) $$(pkg-config --cflags $(PKGS)) -o $@ tests/fuzz/replay.c tests/fuzz/fuzz_$*.c \
	    $(REPLAY_OBJS) $$(pkg-config --libs $(PKGS)) $(LDLIBS)

# ---- benchmark ---------------------------------------------------------------
# `make bench`: per document in content/, the PDF's size beside the ideal
# (zlib -9 of exact font subsets), process and in-process times, peak
# memory, and 100 copies of the FY2024 document with make -j2 (bench/README.md).
BENCH_RUNS ?= 20
build/bench/bench: bench/bench.c $(OBJS)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $$(pkg-config --cflags $(PKGS)) -o $@ $< $(OBJS) $(FAST_LIBS)

# BENCH_AGAINST=OTHER/bin/policygen: its processes run in turn with ours.
bench: build/bench/bench bin/policygen build/fonts.ok
	build/bench/bench --runs $(BENCH_RUNS) $(if $(BENCH_AGAINST),--against $(BENCH_AGAINST)) $(CONTENT)
	bench/batch.sh 100
