#!/bin/bash
# The whole quiet-machine protocol of issue 16 in one command: the PyTorch reference
# (shared/bench/pytorch-reference) and `cvr bench` side by side, interleaved, then the table-size
# runs and the 10M-row scan against a raw read; a JSON-lines results file and a markdown table.
#
# usage: cvr-backend-djl/bench/side-by-side.sh [--quick] [--out DIR] [--app DIR]... [--pairs N]
#            [--models "dr esmm ipw"] [--parts "pairs tables scan"] [--tables "1e5 1e7 1e8"]
#            [--max-load X] [--repeats N] [--settle S]
#
#   --quick   shorter runs and 2 pairs per model: about 8 minutes on a quiet machine (the full
#             protocol: about 17); both estimated from run lengths, not yet timed on a quiet machine
#   --out     where results go (default target/side-by-side-<UTC time> under the repository)
#   --app     a folder holding cvr-examples.jar and lib/ (a copy of cvr-examples/target per build;
#             default cvr-examples/target); several --app compare builds, each run in every pair
#   --pairs   interleaved pairs per model (default 3; 2 with --quick)
#   --models  any of dr, esmm, ipw (default all three)
#   --parts   any of pairs (reference vs cvr bench, with and without clicked-row savings),
#             tables (Multi-DR with --tables' embedding rows, default 1e5 1e7 1e8, each in its own
#             process), scan (a 10M-row file, written once under target/bench-work, vs a raw read)
#   --max-load  before each pair the script waits up to --settle seconds (default 60; 30 with
#             --quick) for the 1-minute load average to fall to this (default 1.5; the previous
#             pair's own runs leave about 2 to 2.5, which takes about 30 s to decay); a pair that
#             still starts above it is run again, up to --repeats more times (default 2)
#
# Each pair is: the reference, `cvr bench` with every --app, and `cvr bench` with every --app and
# clicked-row-savings=false (the reference's exact work); odd pairs start with the reference,
# even pairs with cvr bench, so that neither always runs right after the other.
#
# The first run also writes the 1.1 GB scan file (about a minute). Build first, from the repository root: mvn -B -o -q -DskipTests package -pl cvr-examples -am
# The reference needs (once): apt-get install -y python3-torch python3-numpy libopenblas0-openmp
#
# Output in OUT: results.jsonl (one JSON object per run: kind, model, pair, load, and the run's own
# measurements), log (one line per run with the load), summary.md (the markdown tables, also
# printed), and each run's stderr in runs/.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
quick=0; out=""; apps=(); pairs=""; models="dr esmm ipw"; parts="pairs tables scan"
max_load=1.5; repeats=2; settle=""; table_sizes="1e5 1e7 1e8"
while [ $# -gt 0 ]; do
  case $1 in
    --quick) quick=1;;
    --out) out=$2; shift;;
    --app) apps+=("$(cd "$2" && pwd)"); shift;;
    --pairs) pairs=$2; shift;;
    --models) models=$2; shift;;
    --parts) parts=$2; shift;;
    --tables) table_sizes=$2; shift;;
    --max-load) max_load=$2; shift;;
    --repeats) repeats=$2; shift;;
    --settle) settle=$2; shift;;
    -h|--help) sed -n '2,34p' "$0"; exit 0;;
    *) echo "side-by-side.sh: unknown option '$1' (see --help)" >&2; exit 2;;
  esac
  shift
done
[ ${#apps[@]} -eq 0 ] && apps=("$root/cvr-examples/target")
for app in "${apps[@]}"; do
  if [ ! -f "$app/cvr-examples.jar" ]; then
    echo "side-by-side.sh: $app/cvr-examples.jar is missing; build with: mvn -B -o -q -DskipTests package -pl cvr-examples -am" >&2
    exit 2
  fi
done
REF=${REF:-$root/../shared/bench/pytorch-reference}
[ -d "$REF" ] || REF=/work/shared/bench/pytorch-reference
if [[ " $parts " == *" pairs "* ]] && ! /usr/bin/python3 -c 'import torch' 2>/dev/null; then
  echo "side-by-side.sh: /usr/bin/python3 has no torch; apt-get install -y python3-torch python3-numpy libopenblas0-openmp" >&2
  exit 2
fi
out=${out:-$root/target/side-by-side-$(date -u +%Y%m%dT%H%M%S)}
mkdir -p "$out/runs"; out=$(cd "$out" && pwd)
results=$out/results.jsonl

if [ $quick = 1 ]; then
  djl_steps="--steps 80 --warmup 15"; ref_samples=102400
  table_steps="--steps 50 --warmup 15"; pairs=${pairs:-2}; settle=${settle:-30}
else
  djl_steps="--steps 150 --warmup 30"; ref_samples=204800
  table_steps="--steps 100 --warmup 20"; pairs=${pairs:-3}; settle=${settle:-60}
fi

load() { cut -d' ' -f1 /proc/loadavg; }
above() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a > b) }'; }
log() { echo "$(date -u +%T) load $(load) $*" | tee -a "$out/log"; }
# Waits up to $settle seconds for the 1-minute load to fall to the threshold.
settle_load() {
  local waited=0
  while above "$(load)" "$max_load" && [ $waited -lt "$settle" ]; do sleep 5; waited=$((waited + 5)); done
}
# Appends a JSON line: the fields given as a JSON fragment, then the object read on stdin.
tag() { sed "s|^{|{$1, |" >> "$results"; }

cvr_bench() { # app, name of the run, extra options...
  local app=$1 name=$2; shift 2
  DJL_OFFLINE=true OPT_OUT_TRACKING=true java --add-opens=java.base/java.nio=ALL-UNNAMED \
      -Dai.djl.offline=true -Djava.awt.headless=true \
      -cp "$app/cvr-examples.jar:$app/lib/*" org.causalcvr.cli.Cvr bench --json "$@" \
      2> "$out/runs/$name.err" | grep '"measure"' || { echo "cvr bench failed, see $out/runs/$name.err" >&2; return 1; }
}

run_reference() { # model, pair, attempt, load
  local m=$1 p=$2 a=$3 l=$4 tmp="$out/runs/ref_${1}_pair${2}_try${3}"
  log "reference $m pair $p"
  (cd "$REF" && OMP_WAIT_POLICY=PASSIVE /usr/bin/python3 train_ref.py --model "$m" --emb sparse \
      --batch 1024 --threads 2 --samples $ref_samples --eval-rows 20000 --peak \
      --tag "pair$p" --json "$tmp.json" > "$tmp.log" 2>&1) || { echo "reference failed, see $tmp.log" >&2; return 1; }
  tail -n 1 "$tmp.json" | tag "\"kind\": \"reference\", \"pair\": $p, \"try\": $a, \"pairLoad\": $l, \"load\": $(load)"
}

run_djl() { # model, pair, attempt, load, savings (true|false)
  local m=$1 p=$2 a=$3 l=$4 s=$5 est i=0
  case $m in esmm) est=esmm;; ipw) est=multi-ipw;; dr) est=multi-dr;; *) echo "bad model $m" >&2; return 2;; esac
  for app in "${apps[@]}"; do
    log "cvr bench $m pair $p savings=$s app $app"
    local l0; l0=$(load)
    cvr_bench "$app" "djl_${m}_pair${p}_try${a}_s${s}_app$i" --match-reference --estimator $est \
        --batch 1024 $djl_steps --set clicked-row-savings=$s \
      | tag "\"kind\": \"djl\", \"model\": \"$m\", \"savings\": $s, \"app\": \"$app\", \"appIndex\": $i, \"pair\": $p, \"try\": $a, \"pairLoad\": $l, \"load\": $l0"
    i=$((i + 1))
  done
}

log "start: protocol $([ $quick = 1 ] && echo quick || echo full), out $out, apps ${apps[*]}"
nproc_=$(nproc); echo "{\"kind\": \"machine\", \"nproc\": $nproc_, \"memTotalKiB\": $(awk '/MemTotal/ {print $2}' /proc/meminfo), \"start\": \"$(date -u +%FT%TZ)\", \"quick\": $quick, \"maxLoad\": $max_load}" >> "$results"

if [[ " $parts " == *" pairs "* ]]; then
  for p in $(seq 1 "$pairs"); do
    for m in $models; do
      a=0
      while true; do
        settle_load
        l=$(load)
        if [ $((p % 2)) = 1 ]; then
          run_reference "$m" "$p" "$a" "$l"; run_djl "$m" "$p" "$a" "$l" true; run_djl "$m" "$p" "$a" "$l" false
        else
          run_djl "$m" "$p" "$a" "$l" true; run_djl "$m" "$p" "$a" "$l" false; run_reference "$m" "$p" "$a" "$l"
        fi
        if above "$l" "$max_load" && [ $a -lt "$repeats" ]; then
          log "pair $p of $m started at load $l > $max_load: running it again"
          a=$((a + 1))
        else
          break
        fi
      done
    done
  done
fi

if [[ " $parts " == *" tables "* ]]; then
  # Memory: the store holds only touched rows (about 1.4 GiB of process RSS at 1e8 rows), so all
  # three sizes fit in 24 GiB; each size runs in its own process.
  for r in $table_sizes; do
    settle_load
    l=$(load)
    log "cvr bench table rows $r"
    i=0
    for app in "${apps[@]}"; do
      cvr_bench "$app" "table_${r}_app$i" --match-reference --estimator multi-dr --batch 1024 \
          $table_steps --table-rows "$r" \
        | tag "\"kind\": \"table\", \"rows\": \"$r\", \"app\": \"$app\", \"appIndex\": $i, \"load\": $l"
      i=$((i + 1))
    done
  done
fi

if [[ " $parts " == *" scan "* ]]; then
  settle_load
  l=$(load)
  log "cvr bench scan 10M rows"
  i=0
  for app in "${apps[@]}"; do
    # The 10M-row file (1.1 GB) is written once into the work folder and reused.
    cvr_bench "$app" "scan_app$i" --estimator multi-dr --batch 1024 --steps 1 --warmup 1 \
        --scan-rows 10000000 --work "$root/target/bench-work" \
      | grep '"scan"' \
      | tag "\"kind\": \"scan\", \"app\": \"$app\", \"appIndex\": $i, \"load\": $l"
    i=$((i + 1))
  done
fi

log "done"
/usr/bin/python3 "$root/cvr-backend-djl/bench/summarise.py" "$results" | tee "$out/summary.md"
