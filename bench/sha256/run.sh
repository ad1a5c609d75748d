#!/bin/bash
# SHA-256 for the upload check: which is fastest on this machine, in one go, same file, same build.
#   crypto     swift-crypto's SHA256, the file streamed in 1 MB reads (release build)
#   sha256sum  coreutils, forked, as FileDigest did
#   hand       the hand-written SHA256Digest the journal used (from git history, release build)
# A 512 MB file of random bytes, read once first so that every run reads it from the page cache;
# RUNS runs of each, interleaved so that a busy moment falls on all three alike.
# Then the extra clean build time swift-crypto adds: a debug build from scratch of the project as it
# was before swift-crypto (HAND_REF), with and without swift-crypto as a dependency of ClusterEngine
# (the package resolved first: resolving is not timed), BUILD_RUNS times each.
#
# Environment: RUNS (3), BUILD_RUNS (3), SIZE_MB (512), HAND_REF (529b5f8), SKIP_BUILD=1.
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
RUNS=${RUNS:-3}
BUILD_RUNS=${BUILD_RUNS:-3}
SIZE_MB=${SIZE_MB:-512}
HAND_REF=${HAND_REF:-529b5f8}
WORK=$(mktemp -d /tmp/jc-sha-bench-XXXXXX)
trap 'rm -rf "$WORK"' EXIT

now_ms() { date +%s%3N; }
# min / median / max of a file of numbers, one per line.
spread() { sort -n "$1" | awk '{v[NR]=$1} END {printf "min %s  median %s  max %s", v[1], v[int((NR+1)/2)], v[NR]}'; }

echo "CPU: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//') ($(nproc) cores)"
echo "Load at start: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "swift: $(swift --version 2>&1 | head -1)"
echo "sha256sum: $(sha256sum --version | head -1)"

echo "== build (release) =="
cp -r "$HERE/pkg" "$WORK/pkg"
git -C "$REPO" show "$HAND_REF:Sources/ClusterEngine/JournalSHA256.swift" >"$WORK/pkg/Sources/ShaBench/HandWritten.swift"
(cd "$WORK/pkg" && swift build -c release >"$WORK/build.log" 2>&1) || { tail -20 "$WORK/build.log"; exit 1; }
BIN="$WORK/pkg/.build/release/ShaBench"

FILE="$WORK/data.bin"
head -c "$((SIZE_MB * 1024 * 1024))" /dev/urandom >"$FILE"
cat "$FILE" >/dev/null

echo "== hashing a $SIZE_MB MB file, $RUNS runs each (ms) =="
for run in $(seq "$RUNS"); do
    for method in crypto sha256sum hand; do
        start=$(now_ms)
        case $method in
            sha256sum) sum=$(sha256sum "$FILE" | cut -c1-64) ;;
            *) sum=$("$BIN" "$method" "$FILE") ;;
        esac
        end=$(now_ms)
        echo "$((end - start))" >>"$WORK/$method.ms"
        echo "$sum" >>"$WORK/sums"
        echo "run $run  $method  $((end - start)) ms"
    done
done
if [ "$(sort -u "$WORK/sums" | wc -l)" -ne 1 ]; then echo "the three disagree:"; sort -u "$WORK/sums"; exit 1; fi
echo "== summary: hashing $SIZE_MB MB (all three gave $(head -1 "$WORK/sums" | cut -c1-16)...) =="
for method in crypto sha256sum hand; do
    median=$(sort -n "$WORK/$method.ms" | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}')
    printf '%-10s %s ms   (%s MB/s at the median)\n' "$method" "$(spread "$WORK/$method.ms")" \
        "$(awk -v s="$SIZE_MB" -v m="$median" 'BEGIN {printf "%.0f", s * 1000 / m}')"
done

[ "${SKIP_BUILD:-}" = 1 ] && exit 0

echo "== clean debug build of the project at $HAND_REF, $BUILD_RUNS runs each (s) =="
mkdir -p "$WORK/without"
git -C "$REPO" archive "$HAND_REF" | tar -x -C "$WORK/without"
cp -r "$WORK/without" "$WORK/with"
# swift-crypto as a dependency of ClusterEngine: compiled and linked, as it is once the engine uses it.
sed -i -e 's|^\(        .package(url: "https://github.com/swiftlang/swift-subprocess".*\)$|\1\n        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),|' \
       -e 's|^\(            .product(name: "Subprocess", package: "swift-subprocess"),\)$|\1\n            .product(name: "Crypto", package: "swift-crypto"),|' \
       "$WORK/with/Package.swift"
grep -q 'name: "Crypto"' "$WORK/with/Package.swift" || { echo "could not add swift-crypto to Package.swift"; exit 1; }
for variant in without with; do (cd "$WORK/$variant" && swift package resolve >/dev/null 2>&1); done
for run in $(seq "$BUILD_RUNS"); do
    for variant in without with; do
        (cd "$WORK/$variant" && rm -rf .build/debug .build/x86_64-unknown-linux-gnu .build/plugins)
        start=$(now_ms)
        (cd "$WORK/$variant" && swift build >"$WORK/$variant.log" 2>&1) || { tail -20 "$WORK/$variant.log"; exit 1; }
        end=$(now_ms)
        awk -v ms="$((end - start))" 'BEGIN {printf "%.1f\n", ms / 1000}' >>"$WORK/$variant.s"
        echo "run $run  $variant swift-crypto  $(tail -1 "$WORK/$variant.s") s"
    done
done
echo "== summary: clean debug build (s) =="
for variant in without with; do printf '%-8s swift-crypto  %s s\n' "$variant" "$(spread "$WORK/$variant.s")"; done
paste "$WORK/without.s" "$WORK/with.s" | awk '{printf "%.1f\n", $2 - $1}' >"$WORK/extra.s"
printf 'extra    swift-crypto  %s s (each run: with minus without)\n' "$(spread "$WORK/extra.s")"
echo "Load at end: $(cut -d' ' -f1-3 /proc/loadavg)"
