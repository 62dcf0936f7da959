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

release: deps
	$(SWIFT) build -c release

# The first start fills the database with the demo portal (accounts printed, password portal-demo)
# and creates a signing key.
run: release
	@[ -f var/portal.sqlite ] || .build/release/portald demo-data
	@ls var/keys/*.json >/dev/null 2>&1 || .build/release/portald keys generate
	.build/release/portald serve

test: deps
	$(SWIFT) test

# The load tests: bench/suite.sh says what runs. Figures are only as good as the machine is quiet.
# The project's own modules are compiled afresh each time (about two minutes): SwiftPM's
# incremental build can skip a module after a type it uses from another module gained a stored
# property (swiftlang/swift-package-manager#10502), and in a release build that module keeps
# the old size of the type inlined, so the binary corrupts its memory and crashes mid-suite.
OWN_MODULES := CommandLineSupport ZeroMQ PortalProtocol PortalCore PortalStore PortalService PortalServer PortalBench portald portalctl
bench: deps
	rm -rf $(foreach module,$(OWN_MODULES),.build-release/*/release/$(module).build)
	$(SWIFT) build -c release --scratch-path .build-release
	BIN=.build-release/release bench/suite.sh

clean:
	rm -rf .build
