# opsagg: PGXS build. `make && make install`, then `make installcheck` against a
# running server. The same sources build with CMake (CMakeLists.txt) for unit tests.
EXTENSION = opsagg
MODULE_big = opsagg
OBJS = src/opsagg.o src/heartbeat.o src/heartbeat_glue.o src/labels.o src/labels_glue.o src/sketch.o src/sketch_glue.o
DATA = opsagg--1.0.sql
PGFILEDESC = "opsagg - operations data toolkit"

REGRESS = heartbeat_basic heartbeat_accessors heartbeat_boundaries heartbeat_errors \
	heartbeat_io heartbeat_rollup heartbeat_parallel labels labels_series \
	sketch_basic sketch_guarantee sketch_rollup sketch_io sketch_errors sketch_size sketch_edge
REGRESS_OPTS = --load-extension=$(EXTENSION)
ISOLATION = labels_series_concurrent
ISOLATION_OPTS = --load-extension=$(EXTENSION)

PG_CONFIG ?= /usr/lib/postgresql/15/bin/pg_config
PG_CXXFLAGS = -std=c++17 -O2 -Wall -Wextra -Wno-register -Wno-unused-parameter
SHLIB_LINK += -lstdc++

PGXS := $(shell $(PG_CONFIG) --pgxs)
include $(PGXS)

# PGXS compiles C++ to LLVM bitcode with clang without PG_CXXFLAGS.
COMPILE.cxx.bc += $(PG_CXXFLAGS)
