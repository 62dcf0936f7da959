#!/usr/bin/env bash
# The standard benchmark set behind `make bench`: prepares the databases, runs portalctl bench
# against portalctl echo-server and portald, and writes BENCHMARKS.md. Expects release builds of
# portald and portalctl in $BIN. Everything it makes lives under $BENCH_DIR (default var/bench):
# the databases are built once and copied for each server, so every run starts from the same data.
set -euo pipefail
cd "$(dirname "$0")/.."

BIN=${BIN:-.build-release/release}
BENCH_DIR=${BENCH_DIR:-var/bench}
RESULTS=$BENCH_DIR/results
# The standard load: the same connections and window against echo-server and portald.
LOAD=(--connections 4 --window 16 --duration 10 --warmup 2)
# Milliseconds added to every sync for the runs of group commit on slower disks.
SLOW_SYNC_DELAYS_MS=${SLOW_SYNC_DELAYS_MS-2 10}
for delay_ms in $SLOW_SYNC_DELAYS_MS; do
    [[ $delay_ms =~ ^[0-9]+$ ]] || { echo "bench: SLOW_SYNC_DELAYS_MS: '$delay_ms' is not a whole number of milliseconds" >&2; exit 2; }
done
# Rounds of the echo server against portald's ping and license.get (see below).
CEILING_ROUNDS=${CEILING_ROUNDS:-3}
[[ $CEILING_ROUNDS =~ ^[1-9][0-9]*$ ]] || { echo "bench: CEILING_ROUNDS: '$CEILING_ROUNDS' is not a number of rounds (1 or more)" >&2; exit 2; }
# Rounds of the fixed-rate runs on either database (see below).
RATE_ROUNDS=${RATE_ROUNDS:-5}
[[ $RATE_ROUNDS =~ ^[1-9][0-9]*$ ]] || { echo "bench: RATE_ROUNDS: '$RATE_ROUNDS' is not a number of rounds (1 or more)" >&2; exit 2; }

mkdir -p "$RESULTS"
rm -f "$RESULTS"/*
# Let the load of what ran before (the release build) settle, for at most 90 s, so that the load
# BENCHMARKS.md states is the machine's, not the build's.
for _ in $(seq 18); do
    awk -v cores="$(nproc)" '{ exit !($1 > cores / 2) }' /proc/loadavg || break
    sleep 5
done
cp /proc/loadavg "$RESULTS/loadavg.before"
# What a durable commit waits for on this disk: 200 writes of 4 KiB in the databases' folder,
# each synced before the next (O_DSYNC). Group commit can only win what these waits cost.
LC_ALL=C dd if=/dev/zero of="$BENCH_DIR/sync-probe" bs=4k count=200 oflag=dsync 2>&1 |
    awk '/ copied, / { sub(/.* copied, /, ""); sub(/ s,.*/, ""); printf "{\"writes\":200,\"seconds\":%s}\n", $0 }' \
    > "$RESULTS/disk-sync.json"
rm -f "$BENCH_DIR/sync-probe"

SERVER_PID=
ENDPOINT=
ECHO_PID=
# Variables for the next portald's environment (env's NAME=VALUE words); none by default.
PORTALD_ENV=()
stop_server() {
    if [ -n "$SERVER_PID" ]; then
        kill -TERM "$SERVER_PID" 2>/dev/null || true
        wait "$SERVER_PID" 2>/dev/null || true
        SERVER_PID=
    fi
}
stop_echo() {
    if [ -n "$ECHO_PID" ]; then
        kill -CONT "$SERVER_PID" 2>/dev/null || true
        kill -TERM "$ECHO_PID" 2>/dev/null || true
        wait "$ECHO_PID" 2>/dev/null || true
        ECHO_PID=
    fi
}
trap 'stop_echo; stop_server' EXIT

# wait_for_line FILE PATTERN [PID]: until a started process (default the server) has printed its listening line.
wait_for_line() {
    local tries=0
    local pid=${3:-$SERVER_PID}
    until grep -q "$2" "$1" 2>/dev/null; do
        kill -0 "$pid" 2>/dev/null || { echo "bench: the server exited; see $1 and ${1%.out}.err, if any" >&2; exit 1; }
        tries=$((tries + 1))
        [ $tries -lt 6000 ] || { echo "bench: no listening line in $1 within 60 s" >&2; exit 1; }
        sleep 0.01
    done
}

# start_portald DATABASE [FLAGS...]: portald on ephemeral ports; sets ENDPOINT and STARTUP_MS.
start_portald() {
    local database=$1
    shift
    local started
    started=$(date +%s%N)
    # Emptied here, not by the background job's redirection, which may come after wait_for_line
    # has read the previous server's line.
    : > "$BENCH_DIR/portald.out"
    env "${PORTALD_ENV[@]}" "$BIN/portald" serve --database "$database" --keys-dir "$BENCH_DIR/keys" --log-level warning \
        --command-endpoint 'tcp://127.0.0.1:*' --event-endpoint 'tcp://127.0.0.1:*' "$@" \
        > "$BENCH_DIR/portald.out" 2> "$BENCH_DIR/portald.err" &
    SERVER_PID=$!
    wait_for_line "$BENCH_DIR/portald.out" listening
    STARTUP_MS=$((($(date +%s%N) - started) / 1000000))
    ENDPOINT=$(sed -n 's/.*commands=\([^ ]*\).*/\1/p' "$BENCH_DIR/portald.out")
}

system_info() {
    "$BIN/portalctl" send --endpoint "$ENDPOINT" '{"cmd":"system.info"}'
}

# rest DATABASE: starts portald on it and stops it once the published events stop moving: the
# start publishes what was not yet published and runs the scheduler's pass.
rest() {
    start_portald "$1"
    local published=-1 now
    while true; do
        sleep 1
        now=$(system_info | sed -n 's/.*"published_seq":\([0-9]*\).*/\1/p')
        [ "$now" = "$published" ] && break
        published=$now
    done
    stop_server
}

# prepare LICENSES: var/bench/portal-LICENSES.sqlite, built once and brought to rest, so that
# the measured servers start from a portal at rest rather than from a fresh import. Brought to
# rest again on each later day (UTC; the day is kept in portal-LICENSES.rested): licenses expire
# and services run out as the days pass, and every copy's server would otherwise announce them
# at its start (on 1,000,000 licenses one day later: 1,826 licenses, 2,739 events, and its idle
# memory twice as large).
prepare() {
    local database=$BENCH_DIR/portal-$1.sqlite stamp=$BENCH_DIR/portal-$1.rested today
    today=$(date -u +%F)
    if [ ! -f "$database" ]; then
        echo "bench: preparing a database of $1 licenses" >&2
        rm -f "$database.tmp"*
        "$BIN/portalctl" bench-data --licenses "$1" > "$BENCH_DIR/bench-$1.jsonl"
        # No server uses the database yet: large transactions import it fastest.
        "$BIN/portald" import "$BENCH_DIR/bench-$1.jsonl" --database "$database.tmp" --batch-rows 50000 >&2
        rm "$BENCH_DIR/bench-$1.jsonl"
        rest "$database.tmp"
        for suffix in "" -wal -shm; do [ -f "$database.tmp$suffix" ] && mv "$database.tmp$suffix" "$database$suffix"; done
        echo "$today" > "$stamp"
    fi
    [ "$(cat "$stamp" 2>/dev/null)" = "$today" ] && return
    echo "bench: bringing the database of $1 licenses to rest on $today" >&2
    rest "$database"
    echo "$today" > "$stamp"
}

# fresh COPY_NAME LICENSES: a working copy of a prepared database.
fresh() {
    local source=$BENCH_DIR/portal-$2.sqlite copy=$BENCH_DIR/$1.sqlite
    rm -f "$copy" "$copy-wal" "$copy-shm"
    for suffix in "" -wal; do [ -f "$source$suffix" ] && cp "$source$suffix" "$copy$suffix"; done
    # Written to disk now: otherwise the kernel writes the copy's dirty pages back about 30 s
    # later, in the middle of a run, and every fsync waits about a second behind them.
    sync "$copy"*
    echo "$copy"
}

# bench NAME [ARGS...]: one run, its JSON report kept as NAME.json.
bench() {
    local name=$1
    shift
    echo "bench: $name" >&2
    "$BIN/portalctl" bench --endpoint "$ENDPOINT" --json "$@" > "$RESULTS/$name.json" || true
}

# The value of a top-level number in a report, e.g. ok_per_s (0 when the run failed).
figure() {
    local value
    value=$(sed -n "s/.*\"$2\":\([0-9.]*\).*/\1/p" "$RESULTS/$1.json")
    echo "${value:-0}"
}

# scaled FACTOR RUN: the run's ok replies per second times FACTOR, in whole requests per second.
scaled() {
    awk -v c="$(figure "$2" ok_per_s)" -v f="$1" 'BEGIN { printf "%d", f * c }'
}

half() { scaled 0.5 "$1"; }

# median_round RUN: the round of RUN (RUN.1, RUN.2, …) with the median ok/s (the lower middle
# one of an even count, a failed run counting 0): the rate runs need one run's figure, where the
# targets take the mean of the middle two and leave failed runs out.
median_round() {
    local round
    for round in $(seq "$CEILING_ROUNDS"); do
        echo "$(figure "$1.$round" ok_per_s) $round"
    done | sort -n | awk '{ rounds[NR] = $2 } END { print rounds[int((NR + 1) / 2)] }'
}

[ -n "$(ls "$BENCH_DIR/keys" 2>/dev/null)" ] || "$BIN/portald" keys generate --keys-dir "$BENCH_DIR/keys" >&2
prepare 10000
prepare 1000000

# The standard set on 1,000,000 licenses; start-up time and idle memory first.
start_portald "$(fresh run-1m 1000000)"
printf '{"startup_ms":%d}\n' "$STARTUP_MS" > "$RESULTS/1m.startup.json"
sleep 2
system_info > "$RESULTS/1m.idle.json"
CUSTOMER=(--email customer@bench.example)
FLEET=(--email fleet@bench.example)

# The transport's ceiling: ping against the echo server, in rounds with portald's ping and
# license.get, each round's three runs seconds apart; the targets compare within each round and
# take the median. On this kind of machine the echo server's figure moved from 159,000/s at a
# suite's start to 252,000/s at its end, more than portald's own figures move. Both servers
# run throughout; portald is stopped (SIGSTOP) while the echo server is measured, as an idle
# portald still polls its database (the idle echo server only waits).
: > "$BENCH_DIR/echo.out"
"$BIN/portalctl" echo-server --endpoint 'tcp://127.0.0.1:*' > "$BENCH_DIR/echo.out" 2>&1 &
ECHO_PID=$!
wait_for_line "$BENCH_DIR/echo.out" listening "$ECHO_PID"
ECHO_ENDPOINT=$(sed -n 's/.*listening on //p' "$BENCH_DIR/echo.out")
for round in $(seq "$CEILING_ROUNDS"); do
    kill -STOP "$SERVER_PID" 2>/dev/null || { echo "bench: portald exited; see $BENCH_DIR/portald.err" >&2; exit 1; }
    ENDPOINT=$ECHO_ENDPOINT bench "echo.ping.$round" --scenario ping "${LOAD[@]}"
    kill -CONT "$SERVER_PID"
    bench "1m.ping.$round" --scenario ping "${LOAD[@]}"
    bench "1m.license.get.$round" --scenario license.get "${CUSTOMER[@]}" "${LOAD[@]}"
done
stop_echo
bench 1m.license.list --scenario license.list "${CUSTOMER[@]}" "${LOAD[@]}"
bench 1m.license.list.deep --scenario license.list.deep "${FLEET[@]}" "${LOAD[@]}"
bench 1m.software.list --scenario software.list "${CUSTOMER[@]}" "${LOAD[@]}"
bench 1m.ticket.create --scenario ticket.create "${CUSTOMER[@]}" "${LOAD[@]}"
bench 1m.offer.request --scenario offer.request "${CUSTOMER[@]}" "${LOAD[@]}"
bench 1m.mixed --scenario mixed "${CUSTOMER[@]}" "${LOAD[@]}"
bench 1m.activate --scenario activate "${FLEET[@]}" "${LOAD[@]}"
stop_server

# p99 is compared between database sizes at a rate both can serve: half the closed-loop
# throughput just measured, the same rate on both, each on a fresh server (the runs above wrote
# tens of thousands of tickets, offers and activations, which the 10,000-license server has not).
# On this kind of machine one stall of a few tens of milliseconds delays more than the 1 % of a
# 10 s run that p99 leaves out, and such stalls come and go with the machine, not with the
# database: one run per size gave ratios from 0.4 to 12 for the same binary. So the sizes take
# turns for RATE_ROUNDS rounds, the first size alternating, and the targets compare the median
# p99 of each size.
GET_RATE=$(half "1m.license.get.$(median_round 1m.license.get)")
LIST_RATE=$(half 1m.license.list)
for round in $(seq "$RATE_ROUNDS"); do
    sizes=(1m 10k)
    [ $((round % 2)) = 1 ] || sizes=(10k 1m)
    for size in "${sizes[@]}"; do
        start_portald "$(fresh "run-$size" "$([ "$size" = 1m ] && echo 1000000 || echo 10000)")"
        bench "$size.rate.license.get.$round" --scenario license.get "${CUSTOMER[@]}" --rate "$GET_RATE" --connections 2 --duration 10 --warmup 2
        bench "$size.rate.license.list.$round" --scenario license.list "${CUSTOMER[@]}" --rate "$LIST_RATE" --connections 2 --duration 10 --warmup 2
        stop_server
    done
done

# Group commit off, for comparison, where portald has the setting; then the same pair where
# syncs are slow. This machine's disk syncs in a fraction of a millisecond, less than an
# activation's own work, so grouping commits has little to save here. On disks whose syncs take
# milliseconds (spinning disks, network volumes) it is where the rate comes from: every fsync
# and fdatasync of portald made slower by bench/slow-sync.c (preloaded; it waits before the
# real sync, one sync at a time, as a slow device would).
if "$BIN/portald" serve --help | grep -q -- '--group-commit'; then
    start_portald "$(fresh run-1m 1000000)" --group-commit false
    bench 1m.activate.no-group-commit --scenario activate "${FLEET[@]}" "${LOAD[@]}"
    stop_server

    CC=${CC:-$(command -v clang || command -v cc || true)}
    SLOW_SYNC=$(cd "$BENCH_DIR" && pwd)/slow-sync.so
    if [ -n "$SLOW_SYNC_DELAYS_MS" ] && [ -z "$CC" ]; then
        echo "bench: no C compiler for bench/slow-sync.c; group commit is measured on this disk only" >&2
    elif [ -n "$SLOW_SYNC_DELAYS_MS" ] && $CC -shared -fPIC -O2 -o "$SLOW_SYNC" bench/slow-sync.c -ldl; then
        for delay_ms in $SLOW_SYNC_DELAYS_MS; do
            PORTALD_ENV=(LD_PRELOAD="$SLOW_SYNC" PORTAL_BENCH_SYNC_DELAY_US=$((delay_ms * 1000)))
            for group_commit in true false; do
                suffix=$([ "$group_commit" = true ] || echo .no-group-commit)
                start_portald "$(fresh run-1m 1000000)" --group-commit "$group_commit"
                bench "1m.activate.sync-plus-${delay_ms}ms$suffix" --scenario activate "${FLEET[@]}" "${LOAD[@]}"
                stop_server
            done
        done
        PORTALD_ENV=()
    fi
fi

# Overload: three times the measured capacity of the overview's first page (license.list) for
# 30 s, then half of it for 5 s, on a server of its own (so its peak RSS is this run's). The
# window lets the excess reach the server; the drain waits for what the server admitted during
# the burst. Not license.get: served from memory, three times its capacity comes to two thirds
# of what the echo server answers at most, and the bench client and ZeroMQ alone then take
# most of both cores: such a run measures the shared machine, not how the server sheds load.
BURST=$(scaled 3 1m.license.list)
CALM=$(half 1m.license.list)
start_portald "$(fresh run-1m 1000000)"
bench 1m.overload --scenario license.list "${CUSTOMER[@]}" --rate "$BURST:30,$CALM:5" --connections 4 --window 20000 --warmup 0 --drain 30
stop_server

rm -f "$BENCH_DIR"/run-*.sqlite*
cp /proc/loadavg "$RESULTS/loadavg.after"
COMMIT=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
git diff --quiet HEAD 2>/dev/null || COMMIT="$COMMIT (with uncommitted changes)"
"$BIN/portalctl" bench-summary "$RESULTS" --commit "$COMMIT" > BENCHMARKS.md
echo "bench: wrote BENCHMARKS.md" >&2
