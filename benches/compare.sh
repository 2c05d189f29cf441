#!/usr/bin/env bash
# trustlint side by side with the least possible work (parse-floor --verify) and with the peer
# (DigiCert's pkilint), on the same files, in one run. Prints the ratios against the targets of
# docs/performance.md.
#
#   benches/compare.sh                    20,000 leaves, 5 alternating pairs, pkilint included
#   benches/compare.sh -n 2000 -p 9       a quick look
#   benches/compare.sh --scale 200000     also 200,000 leaves: linearity of time and memory
#   benches/compare.sh --no-pkilint       skip the peer (it takes about a minute per 20,000)
#   benches/compare.sh --python           corpora from ../shared/bench/gen_corpus.py instead of
#                                         gen-corpus (the same shape; needs the pkilint venv)
#   benches/compare.sh --warm             also warm runs (the scan cache filled by one run): the
#                                         corpus unchanged, then with one certificate edited
#   benches/compare.sh --changed-only     also the pre-commit case: --changed-only with one
#                                         changed file, warm
#   benches/compare.sh --stress           only the hostile inputs of benches/stress (issue 14's
#                                         table) at full and quarter size: time, growth, memory,
#                                         output size (STRESS_SCALE=0.02 for a smoke run)
#
# Needs: cargo, /usr/bin/time (GNU), python3 (with venv for pkilint; it also times the founding
# scenario when hyperfine is not installed). The yardsticks come from ../shared/bench (or
# $BENCH_DIR); corpora and builds go under target/bench/. Nothing outside the repository's
# target/ is written.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
bench_dir=${BENCH_DIR:-$repo/../shared/bench}
work=$repo/target/bench
leaves=20000
pairs=5
scale=""
pkilint=1
stress=0
warm=0
changed_only=0
generator=rust
now=2026-06-01T00:00:00Z

while [ $# -gt 0 ]; do
    case $1 in
        -n) leaves=$2; shift 2 ;;
        -p) pairs=$2; shift 2 ;;
        --scale) scale=$2; shift 2 ;;
        --no-pkilint) pkilint=0; shift ;;
        --python) generator=python; shift ;;
        --stress) stress=1; shift ;;
        --warm) warm=1; shift ;;
        --changed-only) changed_only=1; shift ;;
        -h|--help) sed -n '2,24p' "$0"; exit 0 ;;
        *) echo "compare.sh: unknown argument $1" >&2; exit 2 ;;
    esac
done

[ -d "$bench_dir/floor" ] || { echo "compare.sh: no yardsticks at $bench_dir (set BENCH_DIR)" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "compare.sh: needs GNU time at /usr/bin/time (apt install time)" >&2; exit 2; }
mkdir -p "$work"

echo "== building (release)" >&2
cargo build --release --quiet --manifest-path "$repo/Cargo.toml" --bin trustlint --example gen-corpus
cargo build --release --quiet --manifest-path "$bench_dir/floor/Cargo.toml" --target-dir "$work/floor-target"
trustlint=$repo/target/release/trustlint
gen=$repo/target/release/examples/gen-corpus
floor=$work/floor-target/release/parse-floor

venv=$work/venv
python_env() {
    if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c 'import pkilint, cryptography' 2>/dev/null; then
        echo "== installing pkilint and cryptography into $venv" >&2
        python3 -m venv "$venv" && "$venv/bin/pip" install --quiet pkilint cryptography >&2
    fi
}

# A corpus of N leaves plus the bundled healthy deployment (NPS .reg snapshots, ProfileXML,
# Intune exports and their certificates), generated once and kept.
corpus() {
    local n=$1 dir=$work/corpus-$generator-$1
    if [ ! -f "$dir/.complete" ]; then
        echo "== generating $n leaves in $dir ($generator generator)" >&2
        rm -rf "$dir"
        if [ "$generator" = python ]; then
            python_env
            "$venv/bin/python" "$bench_dir/gen_corpus.py" "$dir" "$n" >&2
        else
            "$gen" "$dir" "$n" >&2
        fi
        mkdir -p "$dir/extras"
        cp -r "$repo/testdata/scenarios/healthy-deployment" "$dir/extras/"
        touch "$dir/.complete"
    fi
    echo "$dir"
}

# Runs a command once; prints "seconds max_rss_kib". Output goes to $out_file.
measure() {
    local out_file=$1; shift
    local start end
    start=$EPOCHREALTIME
    /usr/bin/time -f %M -o "$work/rss" "$@" >"$out_file" 2>/dev/null || true
    end=$EPOCHREALTIME
    echo "$(echo "$end - $start" | bc -l) $(tail -n1 "$work/rss")"
}

median() { sort -g | awk '{v[NR]=$1} END {print (NR%2 ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2)}'; }

verdict() { if [ "$(echo "$1" | bc -l)" = 1 ]; then echo "met"; else echo "NOT MET"; fi; }

# The hostile inputs: each case at its full size and at a quarter of it, median of 3 runs each.
if [ "$stress" = 1 ]; then
    cargo build --release --quiet --manifest-path "$repo/Cargo.toml" --example gen-stress
    big=${STRESS_SCALE:-1}
    small=$(echo "$big / 4" | bc -l | sed 's/0*$//; s/\.$//')
    # Generated again whenever the generators change.
    version=$(sha256sum "$repo/benches/stress/mod.rs" | cut -c1-12)
    for size in "$big" "$small"; do
        if [ ! -f "$work/stress-$size/.complete-$version" ]; then
            echo "== generating the hostile inputs at scale $size in $work/stress-$size" >&2
            rm -rf "$work/stress-$size"
            "$repo/target/release/examples/gen-stress" "$work/stress-$size" "$size" >"$work/stress-$size.cases"
            touch "$work/stress-$size/.complete-$version"
        fi
    done
    stress_run() { # dir -> "seconds kib output_bytes", median of 3
        local i
        : >"$work/stress.times"
        for i in 1 2 3; do
            measure "$work/stress.json" "$trustlint" check "$1" --format json -j 2 --now $now >>"$work/stress.times"
        done
        echo "$(cut -d' ' -f1 "$work/stress.times" | median) $(cut -d' ' -f2 "$work/stress.times" | median) $(stat -c %s "$work/stress.json")"
    }
    printf '\nmachine: %s, %s cores; trustlint check --format json -j 2, median of 3\n\n' "$(uname -m)" "$(nproc)"
    printf '%-22s %8s %9s %9s %10s %10s %11s %9s  %s\n' case n "input MB" "time (s)" "RSS (MiB)" "RSS/input" "output MB" "4x n: time" "verdicts (time <= 1 s; growth <= 6x; RSS <= 16 MiB + 30x input)"
    while IFS=$'\t' read -r name n _; do
        read -r t kib out < <(stress_run "$work/stress-$big/$name")
        read -r tq _ _ < <(stress_run "$work/stress-$small/$name")
        input=$(du -sb "$work/stress-$big/$name" | cut -f1)
        growth=$(echo "$t/$tq" | bc -l)
        printf '%-22s %8s %9.1f %9.3f %10.1f %9.1fx %11.2f %8.2fx  %s; %s; %s\n' "$name" "$n" \
            "$(echo "$input/1000000" | bc -l)" "$t" "$(echo "$kib/1024" | bc -l)" \
            "$(echo "$kib*1024/$input" | bc -l)" "$(echo "$out/1000000" | bc -l)" "$growth" \
            "$(verdict "$t <= 1")" "$(verdict "$growth <= 6")" "$(verdict "$kib*1024 <= 16*1048576 + 30*$input")"
        if [ "$name" = cross-product ]; then
            cross="output $(echo "$out/1000000" | bc -l | cut -c1-5) MB (target <= 5): $(verdict "$out <= 5000000"); peak RSS $(echo "$kib/1024" | bc -l | cut -c1-5) MiB (target <= 100): $(verdict "$kib <= 102400")"
        fi
    done <"$work/stress-$big.cases"
    printf '\ncross-product (leaves x as many NPS snapshots; 1,000 at full size): %s\n' "${cross:-not run}"
    exit 0
fi

# The scan cache of the benchmark runs: its own folder, emptied for every cold run.
export TRUSTLINT_CACHE_DIR=$work/cache

# Alternating pairs floor/trustlint on corpus $1, trustlint cold: an empty cache (which the run
# fills, as a first run does). Sets floor_s floor_kib lint_s lint_kib.
pairs_on() {
    local dir=$1 i
    : >"$work/floor.times"; : >"$work/lint.times"
    "$floor" --verify "$dir" >/dev/null; "$trustlint" check "$dir" --format json --now $now >/dev/null || true
    for i in $(seq "$pairs"); do
        measure "$work/floor.out" "$floor" --verify "$dir" >>"$work/floor.times"
        rm -rf "$TRUSTLINT_CACHE_DIR"
        measure "$work/lint.json" "$trustlint" check "$dir" --format json --now $now >>"$work/lint.times"
    done
    floor_s=$(cut -d' ' -f1 "$work/floor.times" | median)
    floor_kib=$(cut -d' ' -f2 "$work/floor.times" | median)
    lint_s=$(cut -d' ' -f1 "$work/lint.times" | median)
    lint_kib=$(cut -d' ' -f2 "$work/lint.times" | median)
}


dir=$(corpus "$leaves")
files=$(find "$dir" -type f ! -name .complete | wc -l)
certs=$("$floor" "$dir" | awk '{print $4}')
echo "== $pairs alternating pairs on $dir ($files files, $certs certificates)" >&2
pairs_on "$dir"
t_ratio=$(echo "$lint_s / $floor_s" | bc -l)
m_ratio=$(echo "$lint_kib / $floor_kib" | bc -l)
lint_rate=$(echo "$certs / $lint_s" | bc -l)

printf '\nmachine: %s, %s cores\n' "$(uname -m)" "$(nproc)"
printf 'corpus (%s generator): %s leaves + extras: %s files, %s certificates\n\n' "$generator" "$leaves" "$files" "$certs"
printf '%-34s %12s %12s\n' "median of $pairs pairs" "wall (s)" "peak RSS (MiB)"
printf '%-34s %12.3f %12.1f\n' "parse-floor --verify" "$floor_s" "$(echo "$floor_kib/1024" | bc -l)"
printf '%-34s %12.3f %12.1f\n' "trustlint check --format json" "$lint_s" "$(echo "$lint_kib/1024" | bc -l)"
printf '%-34s %11.2fx %11.2fx\n' "ratio (targets <= 1.25x, <= 1.0x)" "$t_ratio" "$m_ratio"
printf '  wall time: %s; peak memory: %s\n' "$(verdict "$t_ratio <= 1.25")" "$(verdict "$m_ratio <= 1.0")"

# Warm pairs: floor, then trustlint with the cache one run has filled ($1: a command run before
# each trustlint run, e.g. an edit; $2: one after it, e.g. the undo). Prints "seconds ratio".
warm_pairs() {
    local before=$1 after=$2 i
    : >"$work/floor.times"; : >"$work/warm.times"
    "$trustlint" check "$dir" --format json --now $now >/dev/null || true
    for i in $(seq "$pairs"); do
        measure "$work/floor.out" "$floor" --verify "$dir" >>"$work/floor.times"
        eval "$before"
        measure "$work/warm.json" "$trustlint" check "$dir" --format json --now $now >>"$work/warm.times"
        eval "$after"
        "$trustlint" check "$dir" --format json --now $now >/dev/null || true
    done
    local f w
    f=$(cut -d' ' -f1 "$work/floor.times" | median)
    w=$(cut -d' ' -f1 "$work/warm.times" | median)
    echo "$w $(echo "$w / $f" | bc -l) $f"
}

if [ "$warm" = 1 ]; then
    echo "== warm: $pairs alternating pairs, unchanged, then one certificate edited" >&2
    read -r w_s w_ratio w_floor < <(warm_pairs : :)
    # The edit: one leaf's bytes replaced by another leaf's (a different certificate), undone after.
    victim=$(find "$dir" -name '*.cer' -o -name '*.der' | sort | sed -n 1p)
    donor=$(find "$dir" -name '*.cer' -o -name '*.der' | sort | sed -n 2p)
    cp "$victim" "$work/victim.orig"
    read -r e_s e_ratio e_floor < <(warm_pairs "cp '$donor' '$victim'" "cp '$work/victim.orig' '$victim'")
    printf '
%-34s %12s %12s %12s
' "warm (median of $pairs pairs)" "wall (s)" "floor (s)" "ratio"
    printf '%-34s %12.3f %12.3f %11.2fx  (target <= 0.2x): %s
' "unchanged" "$w_s" "$w_floor" "$w_ratio" "$(verdict "$w_ratio <= 0.2")"
    printf '%-34s %12.3f %12.3f %11.2fx  (target <= 0.25x): %s
' "one certificate edited" "$e_s" "$e_floor" "$e_ratio" "$(verdict "$e_ratio <= 0.25")"
    printf '%-34s %12.3f
' "no cache (--no-cache)" "$(measure "$work/nc.json" "$trustlint" check "$dir" --format json --now $now --no-cache | cut -d' ' -f1)"
fi

if [ "$changed_only" = 1 ]; then
    echo "== --changed-only with one changed file, warm ($pairs runs)" >&2
    [ -f "$dir/trustlint.yaml" ] || (cd "$dir" && "$trustlint" init >/dev/null)
    changed=$(find "$dir" -name '*.cer' | sort | sed -n 1p)
    (cd "$dir" && "$trustlint" check --changed-only "$changed" --now $now >/dev/null) || true
    : >"$work/changed.times"
    for i in $(seq "$pairs"); do
        touch "$changed"
        (cd "$dir" && measure "$work/changed.out" "$trustlint" check --changed-only "$changed" --now $now) >>"$work/changed.times"
    done
    c_s=$(cut -d' ' -f1 "$work/changed.times" | median)
    printf '
--changed-only, one changed file, warm (median of %s): %.3f s (target <= 0.3 s): %s
' \
        "$pairs" "$c_s" "$(verdict "$c_s <= 0.3")"
fi

if [ "$pkilint" = 1 ]; then
    python_env
    echo "== pkilint_batch.py on the same $certs certificates (one run)" >&2
    read -r pk_s _ < <(measure "$work/pkilint.out" "$venv/bin/python" "$bench_dir/pkilint_batch.py" "$dir")
    pk_certs=$(awk '{print $2}' "$work/pkilint.out")
    pk_rate=$(echo "$pk_certs / $pk_s" | bc -l)
    speedup=$(echo "$lint_rate / $pk_rate" | bc -l)
    printf '\n%-34s %12.1f s  %10.0f certificates/s\n' "pkilint_batch.py" "$pk_s" "$pk_rate"
    printf '%-34s %12.3f s  %10.0f certificates/s\n' "trustlint" "$lint_s" "$lint_rate"
    printf '  speed-up: %.0fx (target >= 150x): %s\n' "$speedup" "$(verdict "$speedup >= 150")"
fi

echo "== output across thread counts" >&2
same=yes
"$trustlint" check "$dir" --format json --now $now -j 1 >"$work/j1.json" || true
for j in 2 8; do
    "$trustlint" check "$dir" --format json --now $now -j $j >"$work/j$j.json" || true
    cmp -s "$work/j1.json" "$work/j$j.json" || same=no
done
printf '\noutput byte-identical for -j 1, 2, 8: %s\n' "$same"

# The founding scenario from process start to exit, with the scan cache as a user's machine has
# it (this run's corpus scans filled it). hyperfine when installed; else a Python loop timing
# each spawn, with the spawn of /bin/true beside it (what the loop itself costs).
founding=$repo/testdata/scenarios/cloud-pki-aovpn
founding_cmd=("$trustlint" check "$founding" --now 2026-12-01T00:00:00Z)
if command -v hyperfine >/dev/null; then
    hyperfine -N -i --warmup 20 --runs 200 --export-json "$work/founding.json" \
        "${founding_cmd[*]}" >/dev/null 2>&1 || true
    f_ms=$(grep -o '"median": *[0-9.e-]*' "$work/founding.json" | head -1 | awk '{print $2 * 1000}')
    how="hyperfine, median of 200"
elif command -v python3 >/dev/null; then
    read -r f_ms true_ms < <(python3 - "${founding_cmd[@]}" <<'PY'
import statistics, subprocess, sys, time
def median_ms(cmd, runs=200, warmup=20):
    times = []
    for i in range(warmup + runs):
        t = time.perf_counter()
        subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        if i >= warmup:
            times.append(time.perf_counter() - t)
    return statistics.median(times) * 1000
print(f"{median_ms(sys.argv[1:]):.2f} {median_ms(['/bin/true']):.2f}")
PY
)
    how="python3 spawn loop, median of 200; /bin/true the same way: $true_ms ms"
else
    f_ms=""
fi
if [ -n "$f_ms" ]; then
    printf 'founding scenario, process start to exit (%s): %.1f ms (target <= 5 ms): %s\n' \
        "$how" "$f_ms" "$(verdict "$f_ms <= 5")"
else
    echo "founding scenario: neither hyperfine nor python3 installed, skipped"
fi

if [ -n "$scale" ]; then
    small_s=$lint_s small_kib=$lint_kib small_floor_kib=$floor_kib
    big=$(corpus "$scale")
    echo "== $pairs alternating pairs on $big" >&2
    pairs_on "$big"
    growth=$(echo "$scale / $leaves" | bc -l)
    t_growth=$(echo "$lint_s / $small_s" | bc -l)
    m_growth=$(echo "$lint_kib / $small_kib" | bc -l)
    f_growth=$(echo "$floor_kib / $small_floor_kib" | bc -l)
    printf '\n%s leaves: trustlint %.3f s, %.1f MiB; parse-floor --verify %.3f s, %.1f MiB\n' \
        "$scale" "$lint_s" "$(echo "$lint_kib/1024" | bc -l)" "$floor_s" "$(echo "$floor_kib/1024" | bc -l)"
    printf '  %.0fx the leaves: time %.2fx (target <= %.1fx): %s; memory %.2fx (parse-floor: %.2fx): %s\n' \
        "$growth" "$t_growth" "$(echo "$growth * 1.05" | bc -l)" "$(verdict "$t_growth <= $growth * 1.05")" \
        "$m_growth" "$f_growth" "$(verdict "$m_growth <= $growth * 1.05")"
    printf '  at this size: wall %.2fx, memory %.2fx of parse-floor --verify\n' \
        "$(echo "$lint_s / $floor_s" | bc -l)" "$(echo "$lint_kib / $floor_kib" | bc -l)"
fi
