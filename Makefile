# verbatim: build, test, demo, eval and bench.
#
#   make            library, CLI and the Neovim binding
#   make demo       run verbatim on the bundled example story
#   make test       every test under prove
#   make SAN=1 test the C and CLI tests built with address/undefined sanitizers
#   make eval       the accuracy scorers in ../shared/eval (when present)
#   make bench      speed and memory figures
#   make fuzz       each libFuzzer target for FUZZ_SECONDS (default 60)
#   make test-valgrind  the C tests and the CLI tests under valgrind

CC      ?= cc
SAN     ?=
B       := $(if $(SAN),build-asan,build)
PKGS    := libpcre2-8 libutf8proc

DEPS_OK := $(shell tools/deps.sh build >&2 && echo yes)
ifneq ($(DEPS_OK),yes)
$(error missing dependencies: see the message above)
endif

PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS))
PKG_LIBS   := $(shell pkg-config --libs $(PKGS))
# the archive: Debian's liblmdb-dev may ship no lmdb.pc
PKG_LIBS   += $(shell pkg-config --libs lmdb 2>/dev/null || echo -llmdb) \
              $(shell pkg-config --libs libzstd 2>/dev/null || echo -lzstd) -lm
# the language server's JSON (cJSON): only the CLI links it
CJSON_CFLAGS := $(shell pkg-config --cflags libcjson)
CJSON_LIBS   := $(shell pkg-config --libs libcjson)
LUAJIT_CFLAGS := $(shell pkg-config --cflags luajit)
LUA54_CFLAGS  := $(shell pkg-config --cflags lua5.4)

SANFLAGS := -fsanitize=address,undefined -fno-sanitize-recover=undefined
OPT      := $(if $(SAN),-O1 -fno-omit-frame-pointer $(SANFLAGS),-O3)
CFLAGS   ?= -g
CFLAGS   += -std=c11 -D_POSIX_C_SOURCE=200809L -Wall -Wextra -Wshadow -Wno-unused-parameter \
            -fPIC -fvisibility=hidden $(OPT) -Iinclude -Isrc $(PKG_CFLAGS)
LDFLAGS  += $(if $(SAN),$(SANFLAGS))

LSP_SRCS  := $(sort $(wildcard src/lsp/*.c))
CLI_SRCS  := src/cli.c src/json.c src/emit.c src/cli_archive.c $(LSP_SRCS)
LUA_SRC   := src/lua_verbatim.c
LIB_SRCS  := $(filter-out $(CLI_SRCS) $(LUA_SRC),$(wildcard src/*.c))
DATA      := $(sort $(wildcard data/*.txt))
LIB_OBJS  := $(patsubst src/%.c,$(B)/obj/%.o,$(LIB_SRCS)) $(B)/obj/lexdata.o
CLI_OBJS  := $(patsubst src/%.c,$(B)/obj/%.o,$(CLI_SRCS))
# the CLI's output modules, free of CLI state: the C tests link them too
OUT_OBJS  := $(B)/obj/json.o $(B)/obj/emit.o
HEADERS   := include/verbatim.h $(wildcard src/*.h) $(wildcard src/lsp/*.h)

C_TESTS   := $(patsubst tests/c/%.c,$(B)/tests/%.t,$(wildcard tests/c/test_*.c))
LUA_MOD   := lua/verbatim/core.so
LUA54_MOD := $(B)/lua54/verbatim/core.so

.PHONY: all lib cli lua demo test check-deps test-deps eval bench clean fuzz fuzz-build test-valgrind

all: lib cli $(if $(SAN),,lua)

lib: $(B)/libverbatim.a $(B)/libverbatim.so
cli: $(B)/verbatim
lua: $(LUA_MOD) $(LUA54_MOD)

$(B)/obj/%.o: src/%.c $(HEADERS) | $(B)/obj
	$(CC) $(CFLAGS) -c -o $@ $<

$(B)/obj/lsp/%.o: src/lsp/%.c $(HEADERS) | $(B)/obj
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(CJSON_CFLAGS) -c -o $@ $<

$(B)/obj/cli.o: CFLAGS += $(CJSON_CFLAGS)

$(B)/obj/lexdata.c: $(DATA) tools/embed.c | $(B)/obj
	$(CC) -O1 -o $(B)/embed tools/embed.c
	$(B)/embed $@ $(DATA)

$(B)/obj/lexdata.o: $(B)/obj/lexdata.c src/internal.h
	$(CC) $(CFLAGS) -c -o $@ $<

$(B)/obj $(B)/tests $(B)/lua54/verbatim:
	mkdir -p $@

$(B)/libverbatim.a: $(LIB_OBJS)
	rm -f $@
	ar rcs $@ $^

$(B)/libverbatim.so: $(LIB_OBJS)
	$(CC) -shared -o $@ $^ $(LDFLAGS) $(PKG_LIBS)

$(B)/verbatim: $(CLI_OBJS) $(B)/libverbatim.a
	$(CC) -pthread -o $@ $(CLI_OBJS) $(B)/libverbatim.a $(LDFLAGS) $(PKG_LIBS) $(CJSON_LIBS)

# The Lua binding: one source, built for LuaJIT (what Neovim loads) and for
# Lua 5.4. No liblua is linked: the host provides the Lua C API. Only
# luaopen_* is exported (src/lua.map).
LUA_LDFLAGS := -shared -Wl,--version-script=src/lua.map -Wl,--exclude-libs,ALL

$(LUA_MOD): $(LUA_SRC) $(LIB_OBJS) $(HEADERS) src/lua.map
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LUAJIT_CFLAGS) -o $@ $(LUA_SRC) $(LIB_OBJS) $(LUA_LDFLAGS) $(PKG_LIBS)

$(LUA54_MOD): $(LUA_SRC) $(LIB_OBJS) $(HEADERS) src/lua.map | $(B)/lua54/verbatim
	$(CC) $(CFLAGS) $(LUA54_CFLAGS) -o $@ $(LUA_SRC) $(LIB_OBJS) $(LUA_LDFLAGS) $(PKG_LIBS)

# Each fuzz target linked with a plain main() that replays files: the seed
# corpus runs in every `make test` (tests/cli/fuzz-seeds.t).
REPLAY_BINS := $(patsubst tests/fuzz/fuzz_%.c,$(B)/replay/fuzz_%,$(wildcard tests/fuzz/fuzz_*.c))

$(B)/replay:
	mkdir -p $@

$(B)/replay/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/fuzz.h tests/fuzz/replay.c $(B)/libverbatim.a | $(B)/replay
	$(CC) $(CFLAGS) -o $@ $< tests/fuzz/replay.c $(B)/libverbatim.a $(LDFLAGS) $(PKG_LIBS)

$(B)/tests/%.t: tests/c/%.c tests/c/tap.h $(B)/libverbatim.a $(OUT_OBJS) | $(B)/tests
	$(CC) $(CFLAGS) -Itests/c -o $@ $< $(OUT_OBJS) $(B)/libverbatim.a $(LDFLAGS) $(PKG_LIBS)

# ------------------------------------------------------------------ running

STORY := examples/story

demo: all
	@echo "== verbatim analyze $(STORY)/*.txt"
	@$(B)/verbatim analyze $(STORY)/original.txt $(STORY)/copy.txt $(STORY)/rewrite.txt
	@echo
	@echo "== verbatim check --source $(STORY)/original.txt $(STORY)/copy.txt $(STORY)/rewrite.txt"
	@$(B)/verbatim check --source $(STORY)/original.txt $(STORY)/copy.txt $(STORY)/rewrite.txt || true

test-deps:
	@tools/deps.sh test

TEST_ENV := VERBATIM=$(abspath $(B)/verbatim) VB_ROOT=$(CURDIR) VB_BUILD=$(abspath $(B)) VB_SAN=$(SAN)
TEST_FILES = $(C_TESTS) $(sort $(wildcard tests/cli/*.t)) $(sort $(wildcard tests/lsp/*.t)) $(if $(SAN),,$(sort $(wildcard tests/nvim/*.t)) $(sort $(wildcard tests/vim/*.t)))

# A current Neovim (Debian trixie's, unpacked privately) for running the
# editor specs a second time; skipped visibly when it cannot be had.
NVIM_NEW = $(if $(SAN),,$${VB_NVIM_NEW:-$$(tools/nvim-newer.sh $(B))})

test: test-deps all $(C_TESTS) $(REPLAY_BINS)
	VB_NVIM_NEW=$(NVIM_NEW) $(TEST_ENV) prove --exec '' $(TEST_FILES)

EVAL := ../shared/eval
SHARED_DATA := ../shared/data
eval: cli
	@if [ -d $(EVAL) ]; then \
	  for s in story quotes ner reuse; do \
	    echo "== score_$$s"; \
	    python3 $(EVAL)/score_$$s.py --cli $(B)/verbatim $$( [ $$s = story ] || echo --split dev ) \
	      | grep -E '^SCORE' || echo "score_$$s failed"; \
	  done; \
	else echo "no $(EVAL): nothing to score"; fi
	@if [ -d $(SHARED_DATA)/meter/dev ]; then \
	  echo "== meter_precision"; \
	  python3 eval/precision.py --cli $(B)/verbatim --data $(SHARED_DATA)/meter/dev \
	    | grep -E '^SCORE' || echo "meter_precision failed"; \
	fi
	@if [ -d $(SHARED_DATA)/polnear/dev/text ]; then \
	  echo "== inject"; \
	  python3 eval/inject.py --cli $(B)/verbatim --data $(SHARED_DATA)/polnear/dev/text \
	    | grep -E '^SCORE' || echo "inject failed"; \
	fi

# ---------------------------------------------------------------- benchmarks
# bench/bench_*.c each build into $(B)/bench/; bench/run.sh runs them all,
# and bench/archive_bench.sh (ARCHIVE_DOCS=100000,300000 for the large runs).

BENCH_BINS := $(patsubst bench/%.c,$(B)/bench/%,$(wildcard bench/bench_*.c))

bench: all $(BENCH_BINS) $(B)/bench/archive_gen
	@bench/run.sh $(B)

$(B)/bench:
	mkdir -p $@

$(B)/bench/%: bench/%.c $(B)/libverbatim.a | $(B)/bench
	$(CC) $(CFLAGS) -o $@ $< $(B)/libverbatim.a $(LDFLAGS) $(PKG_LIBS)

# ------------------------------------------------------------------ fuzzing
# libFuzzer targets in tests/fuzz/, built with clang into build-fuzz/.
# Seeds come from tests/fuzz/seeds/TARGET/; new inputs go to
# build-fuzz/corpus/TARGET/ and crashes to build-fuzz/crashes/.

FUZZ_CC      ?= clang
FUZZ_SECONDS ?= 60
FUZZ_JOBS    ?= 1
FB           := build-fuzz
FUZZ_TARGETS := $(patsubst tests/fuzz/fuzz_%.c,%,$(wildcard tests/fuzz/fuzz_*.c))
FUZZ_BINS    := $(addprefix $(FB)/fuzz_,$(FUZZ_TARGETS))
# the .verbatim reader is Lua: fuzzed by tests/fuzz/fuzz_sources.lua in Neovim
FUZZ_LUA     := $(if $(shell command -v nvim),sources)
FUZZ_CFLAGS  := -g -O1 -fno-omit-frame-pointer -std=c11 -D_POSIX_C_SOURCE=200809L \
                -fsanitize=address,undefined -fno-sanitize-recover=undefined \
                -Iinclude -Isrc $(PKG_CFLAGS)
FUZZ_OBJS    := $(patsubst src/%.c,$(FB)/obj/%.o,$(LIB_SRCS)) $(FB)/obj/lexdata.o

$(FB)/obj:
	mkdir -p $@

$(FB)/obj/%.o: src/%.c $(HEADERS) | $(FB)/obj
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -c -o $@ $<

$(FB)/obj/lexdata.o: $(B)/obj/lexdata.c src/internal.h | $(FB)/obj
	$(FUZZ_CC) $(FUZZ_CFLAGS) -c -o $@ $<

$(FB)/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/fuzz.h $(FUZZ_OBJS)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer -o $@ $< $(FUZZ_OBJS) $(PKG_LIBS)

fuzz-build: $(FUZZ_BINS)

fuzz:
	@if tests/fuzz/have-libfuzzer.sh $(FUZZ_CC); then \
	  $(MAKE) --no-print-directory fuzz-build && \
	  FUZZ_JOBS=$(FUZZ_JOBS) tests/fuzz/run.sh $(FB) $(FUZZ_SECONDS) $(FUZZ_TARGETS) $(FUZZ_LUA); \
	else echo "fuzz: SKIPPED: $(FUZZ_CC) cannot build libFuzzer targets (apt-get install clang)"; fi

# ------------------------------------------------------------------ valgrind
# The C tests run under valgrind directly; the CLI tests call the CLI through
# a wrapper that runs it under valgrind. Any error fails the test.

VALGRIND := valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite,indirect

test-valgrind: test-deps all $(C_TESTS) $(REPLAY_BINS)
	@command -v valgrind >/dev/null || { echo "test-valgrind: valgrind is not installed"; exit 1; }
	@mkdir -p $(B)/valgrind
	@printf '#!/bin/sh\nexec %s %s "$$@"\n' '$(VALGRIND)' '$(abspath $(B)/verbatim)' > $(B)/valgrind/verbatim
	@chmod +x $(B)/valgrind/verbatim
	$(TEST_ENV) VB_VALGRIND=1 prove --exec '$(VALGRIND)' $(C_TESTS)
	$(TEST_ENV) VB_VALGRIND='$(VALGRIND)' VERBATIM=$(abspath $(B)/valgrind/verbatim) prove --exec '' $(sort $(wildcard tests/cli/*.t))

clean:
	rm -rf build build-asan build-fuzz $(LUA_MOD)
.SECONDARY: $(FUZZ_OBJS)
