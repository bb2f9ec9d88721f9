# extravasd — build, run, test, benchmark and fuzz.
# `make run` and `make test` work on a fresh Debian 12 machine with Swift installed:
# they install what is missing first (scripts/ensure-deps).

SWIFT        ?= swift
CONFIGURATION ?= debug
BIN          := .build/$(CONFIGURATION)
FUZZ_SECONDS ?= 60
FUZZ_DIR     := .build-fuzz

.PHONY: all deps build run replay test lint bench fuzz fuzz-reader fuzz-mllp fuzz-engine fuzz-config install uninstall format clean screenshot

all: build

deps:
	@scripts/ensure-deps

build: deps
	$(SWIFT) build -c $(CONFIGURATION)

## run: build, then run the daemon in the foreground on the bundled example feeds (state
## under ./var). The seed case raises a critical alert within seconds: journalctl -x
## SYSLOG_IDENTIFIER=extravasd (or stderr JSON lines when no journald runs). Ctrl-C stops.
run: build
	@scripts/ensure-journald || true
	@echo "extravasd: following examples/feeds/*.hl7; alerts: journalctl -f -x SYSLOG_IDENTIFIER=extravasd"
	$(BIN)/extravasd run --config config/extravasd.dev.yaml

## replay: the seed case through `extravasd replay` (no daemon, no state).
replay: build
	$(BIN)/extravasd replay --config config/extravasd.example.yaml examples/feeds/seed-case.hl7

## screenshot: the review report of the bundled example feeds (extravasd report --html, with a
## demo journal of acknowledgements) rendered by Debian's headless Chromium (installed when
## missing): build/screenshot/report.png, and the print layout in report-print.pdf. No PNG
## is committed (build/ is ignored).
screenshot: build
	scripts/screenshot $(BIN)/extravasd

## install / uninstall: binary, systemd unit, journal catalog, default configuration
## (DESTDIR and PREFIX are honoured; see scripts/install).
install:
	$(SWIFT) build -c release --product extravasd
	scripts/install

uninstall:
	scripts/uninstall

## test: the whole suite, against a real journald (started when none is running). The
## timing-sensitive suites (real `extravasd run` processes, the service run in process,
## the follower on real files and inotify) run one at a time after the rest, which runs
## in parallel: on 2 cores, long engine tests in parallel would hold Swift's 2 cooperative
## threads for minutes and starve their consumers.
SERIAL_SUITES := DaemonTests|DaemonInProcessTests|FeedFollowerTests
## Run a second time with the daemon's store on PostgreSQL (a fresh database per test).
POSTGRESQL_PASS := DaemonTests\.RotationTests/|DaemonTests\.ReloadAndWatchdogTests/|DaemonTests\.DaemonTests/killNine
test: deps lint
	@scripts/ensure-journald
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build --skip '$(SERIAL_SUITES)'
	$(SWIFT) test --skip-build --no-parallel --filter '$(SERIAL_SUITES)'
	@if [ -n "$$EXTRAVASD_TEST_POSTGRESQL_URL" ]; then \
	    echo "make test: the kill -9, rotation and reload tests again, against PostgreSQL"; \
	    EXTRAVASD_TEST_DAEMON_STORE=postgresql $(SWIFT) test --skip-build --no-parallel --filter '$(POSTGRESQL_PASS)'; \
	else \
	    echo "make test: the kill -9, rotation and reload tests against PostgreSQL skipped: EXTRAVASD_TEST_POSTGRESQL_URL is not set (.ci/run sets it)"; \
	fi

## bench: reader and replay throughput against a C memchr baseline, peak memory on a
## 1 GB file, then the daemon's alert latency (p50/p99 over 1,000 alerts) against the
## journal's own round trip, all measured in the same run, and the daemon's start-up
## time (launch to READY) with 100,000 more open episodes in its state, catch-up of a
## backlog with those 100,000 records, and replay's peak memory on 1M and 5M messages,
## and MLLP throughput with ACKs (1 and 8 connections, and 1 over TLS) beside the file path, ACK p50/p99.
## The live part (latency, start-up, catch-up) runs with the SQLite store, then with
## PostgreSQL when a server is given (scripts/bench-stores: both side by side).
bench: deps
	@scripts/ensure-journald
	$(SWIFT) build -c release --product extravasd-bench
	$(SWIFT) build -c release --product extravasd
	$(SWIFT) build -c release --product extravasd-latency
	.build/release/extravasd-bench
	scripts/bench-stores 100000
	scripts/bench-replay-memory
	scripts/bench-mllp

## fuzz: every fuzz target in turn, each for FUZZ_SECONDS (default 60): the reader, the
## MLLP framer, the engine and the configuration loader. Crashes are written to .build-fuzz/.
fuzz: fuzz-reader fuzz-mllp fuzz-engine fuzz-config

## fuzz-reader: libFuzzer on the HL7 reader, on a corpus seeded from ../shared/corpus and
## feedgen output.
fuzz-reader: deps
	@scripts/fuzz $(FUZZ_SECONDS)

## fuzz-mllp: libFuzzer on the MLLP frame decoder for FUZZ_SECONDS: any split, any limit;
## every byte accounted for and never more than the limit held. Crashes in .build-fuzz/.
fuzz-mllp: deps
	@scripts/fuzz-mllp $(FUZZ_SECONDS)

## fuzz-engine: libFuzzer on the surveillance engine, structure-aware (feedgen messages
## mutated field by field); two runs of the same messages must raise the same alerts.
fuzz-engine: deps
	@scripts/fuzz-engine $(FUZZ_SECONDS)

## fuzz-config: libFuzzer on the configuration loader: any bytes load or give errors that
## name a line of the text, never a trap.
fuzz-config: deps
	@scripts/fuzz-config $(FUZZ_SECONDS)

## format / lint: swift format with the repository's .swift-format (110 columns, doc
## comments on public API). `make test` lints first: run `make format` before committing.
format:
	$(SWIFT) format --in-place --recursive Sources Tests Benchmarks Fuzz Package.swift

lint:
	$(SWIFT) format lint --strict --recursive Sources Tests Benchmarks Fuzz Package.swift

clean:
	rm -rf .build $(FUZZ_DIR) var
