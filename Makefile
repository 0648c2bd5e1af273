# opsagg: PGXS build. `make && make install`, then `make installcheck` against a
# running server. The same sources build with CMake (CMakeLists.txt) for unit tests.
EXTENSION = opsagg
MODULE_big = opsagg
# src/core: pure C++ cores (no PostgreSQL headers); src/pg: the C++/PostgreSQL boundary;
# src/*_glue.cpp: one glue file per SQL capability; src/worker.cpp: the background worker and GUCs.
CORE_OBJS = src/core/heartbeat.o src/core/labels.o src/core/metrics_plan.o src/core/rollup_plan.o src/core/sketch.o \
	src/core/track_set.o
PG_OBJS = src/pg/boundary.o src/pg/interrupt.o
GLUE_OBJS = src/heartbeat_glue.o src/labels_glue.o src/rollup_glue.o src/sketch_glue.o \
	src/track_glue.o src/worker.o
OBJS = $(CORE_OBJS) $(PG_OBJS) $(GLUE_OBJS)
DATA = opsagg--1.0.sql
PGFILEDESC = "opsagg - operations data toolkit"

REGRESS = heartbeat_basic heartbeat_accessors heartbeat_boundaries heartbeat_errors \
	heartbeat_io heartbeat_rollup heartbeat_parallel labels labels_series \
	sketch_basic sketch_guarantee sketch_rollup sketch_io sketch_errors sketch_size sketch_edge \
	labels_encoding labels_limits heartbeat_limits heartbeat_dst \
	opclasses corrupt_stored install_safety hostile_binary hostile_heartbeat hostile_labels \
	hostile_sketch cancel
REGRESS += aggregate_memory track_changes
REGRESS += ops_tables ops_sources ops_refresh ops_refresh_timezone ops_retention ops_worker_steps \
	ops_metrics ops_remote
REGRESS_OPTS = --load-extension=$(EXTENSION)
# t/*.pl: the background worker on live servers (PostgreSQL::Test::Cluster); run as the
# postgres OS user, skipped as root.
TAP_TESTS = 1
ISOLATION = labels_series_concurrent ops_refresh_concurrent
ISOLATION_OPTS = --load-extension=$(EXTENSION)

PG_CONFIG ?= /usr/lib/postgresql/15/bin/pg_config
PG_CPPFLAGS = -I$(srcdir)/src
PG_CXXFLAGS = -std=c++17 -O2 -Wall -Wextra -Wno-register -Wno-unused-parameter
SHLIB_LINK += -lstdc++

# No LLVM bitcode for JIT inlining: PostgreSQL 15's inliner aborts the server on the
# summaries of C++ bitcode (README, "JIT and C++ bitcode"). `override` wins over
# Makefile.global's with_llvm = yes.
override with_llvm = no

PGXS := $(shell $(PG_CONFIG) --pgxs)
include $(PGXS)

# An older opsagg installed bitcode; the server would still find and inline it.
install: remove-stale-bitcode
.PHONY: remove-stale-bitcode
remove-stale-bitcode:
	rm -rf '$(DESTDIR)$(pkglibdir)/bitcode/opsagg' '$(DESTDIR)$(pkglibdir)/bitcode/opsagg.index.bc'

# PGXS tracks no header dependencies here: rebuild every object when any header changes.
$(OBJS): $(wildcard $(srcdir)/src/*/*.hpp)
