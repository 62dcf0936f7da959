# Build, run and test the Enterprise Portal worker. `make help` lists the targets.
SWIFT ?= swift
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: help deps build release run test bench clean

help:
	@echo "make run      install what is missing, build (release), create demo data and a signing key on first start, start portald"
	@echo "make test     install what is missing and run the whole test suite"
	@echo "make build    debug build;  make release: release build"
	@echo "make bench    release build, benchmark databases under var/bench (once), the standard load tests; writes BENCHMARKS.md"
	@echo "make clean    remove build products (not the database)"

# The system libraries the build needs: libzmq (4.3.x) and libsodium (Argon2id, SHA-256, Ed25519).
SYSTEM_PACKAGES := libzmq3-dev libsodium-dev
deps:
	@dpkg -s $(SYSTEM_PACKAGES) >/dev/null 2>&1 || { $(SUDO) apt-get update && $(SUDO) apt-get install -y $(SYSTEM_PACKAGES); }

build: deps
	$(SWIFT) build

# SwiftPM's incremental build can skip a module after a type it uses from another module gained
# a stored property (swiftlang/swift-package-manager#10502); in a release build that module keeps
# the old size of the type inlined, and the binary corrupts its memory. So when a source changed
# since the last release build, the project's own modules are compiled afresh (about two minutes).
# `release-built` marks the sources a release build last succeeded with. The cached build plan
# goes too: SwiftPM writes each module's output file map only when it plans, and a build that
# reuses the plan fails on the removed folders.
fresh_own_modules = if [ ! -e $(1)/release-built ] || [ -n "$$(find Sources Package.swift -newer $(1)/release-built -print -quit)" ]; then \
	rm -rf $(foreach module,$(notdir $(wildcard Sources/*)),$(1)/*/release/$(module).build) $(1)/*/release/description.json; fi

release: deps
	@$(call fresh_own_modules,.build)
	$(SWIFT) build -c release
	@touch .build/release-built

# The first start fills the database with the demo portal (accounts printed, password portal-demo)
# and creates a signing key.
run: release
	@[ -f var/portal.sqlite ] || .build/release/portald demo-data
	@ls var/keys/*.json >/dev/null 2>&1 || .build/release/portald keys generate
	.build/release/portald serve

test: deps
	$(SWIFT) test

# The load tests: bench/suite.sh says what runs. Figures are only as good as the machine is quiet.
bench: deps
	@$(call fresh_own_modules,.build-release)
	$(SWIFT) build -c release --scratch-path .build-release
	@touch .build-release/release-built
	BIN=.build-release/release bench/suite.sh

clean:
	rm -rf .build
