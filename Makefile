# The two commands: `make run` and `make test` (see README.md).
BUILD ?= build
CMAKE_FLAGS ?=
JOBS ?= $(shell nproc)
BIN = $(BUILD)/terrarium
PYTEST = python3 tests/run_pytest.py
# CI builds warning-free or not at all.
ifeq ($(CI),true)
CMAKE_FLAGS += -DTERRARIUM_WERROR=ON
endif

.PHONY: run test deps build unit conformance e2e fuzz bench coverage clean

run: deps build
	$(BIN) serve

deps:
	./tools/install_deps.sh

build:
	cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo $(CMAKE_FLAGS)
	cmake --build $(BUILD) -j $(JOBS)

test: deps build unit conformance e2e fuzz

unit:
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

conformance:
	python3 tests/protocol/run_conformance.py $(BUILD)/protocol_conformance -v

e2e:
	TERRARIUM_BIN=$(abspath $(BIN)) $(PYTEST) -q -x tests/e2e

fuzz:
	./tests/fuzz/run_fuzzers.sh $(BUILD)-fuzz

bench: deps build
	python3 bench/run.py --terrarium $(BIN)

coverage: build
	$(BIN) coverage > docs/coverage.md

clean:
	rm -rf $(BUILD) $(BUILD)-fuzz
