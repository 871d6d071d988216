# Thin wrapper over meson/ninja for the common verbs.  The first use of any
# verb installs missing Debian packages (as root) and configures build/.
#   make            build
#   make check      build and run the whole test suite (unit, guest, functional)
#   make run        boot the default guest to an interactive console
#   make bench      run the benchmarks under bench/
#   make install    install under the configured prefix
#   make check-sanitizers   ASan+UBSan build (build-asan/) and its unit tests
BUILD ?= build
ASAN_BUILD ?= build-asan
CONFIGURE_FLAGS ?=
PYTHON ?= python3

.PHONY: all build check run bench install check-sanitizers clean distclean deps deps-test

all: build

deps:
	@scripts/install-deps.sh build

# Test-only packages are best effort: without them the tests that need them skip.
deps-test:
	-@scripts/install-deps.sh test

$(BUILD)/build.ninja:
	@scripts/install-deps.sh build
	./configure --builddir=$(BUILD) $(CONFIGURE_FLAGS)

build: $(BUILD)/build.ninja
	ninja -C $(BUILD)

check: deps-test build
	$(PYTHON) tests/run.py --build $(BUILD)

run: build
	@scripts/run-default-guest.sh $(BUILD)

bench: deps-test build
	$(PYTHON) bench/run.py --build $(BUILD)

install: build
	meson install -C $(BUILD)

$(ASAN_BUILD)/build.ninja:
	@scripts/install-deps.sh build
	./configure --builddir=$(ASAN_BUILD) --enable-sanitizers $(CONFIGURE_FLAGS)

# Unit tests, and the hostile-guest device test (bad DMA, descriptors and
# register accesses from a bare-metal guest) against the sanitized emulator.
check-sanitizers: $(ASAN_BUILD)/build.ninja
	ninja -C $(ASAN_BUILD)
	$(PYTHON) tests/run.py --build $(ASAN_BUILD) --suite unit
	$(PYTHON) tests/run.py --build $(ASAN_BUILD) --suite functional -k test_virtio_hostile

clean:
	-ninja -C $(BUILD) clean

distclean:
	rm -rf $(BUILD) $(ASAN_BUILD)
