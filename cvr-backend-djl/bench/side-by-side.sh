#!/bin/bash
# Runs the PyTorch reference (shared/bench/pytorch-reference) and `cvr bench` side by side,
# interleaved, and appends one JSON line per run to OUT/ref.jsonl and OUT/djl.jsonl.
#
# usage: cvr-backend-djl/bench/side-by-side.sh OUT ROUNDS "CFG..." APP...
#   CFG  model:batch with model esmm|ipw|dr, e.g. "dr:1024 esmm:1024 ipw:1024 dr:4096"
#   APP  a folder holding cvr-examples.jar and lib/ (a copy of cvr-examples/target per build)
# env:   REF (reference folder, default ../shared/bench/pytorch-reference from the repository),
#        REF_WAIT (the reference's OMP_WAIT_POLICY, default PASSIVE as the backend's default),
#        DJL_SET (extra `--set key=value` options for cvr bench)
set -euo pipefail
out=$1; rounds=$2; cfgs=$3; shift 3
root=$(cd "$(dirname "$0")/../.." && pwd)
REF=${REF:-$root/../shared/bench/pytorch-reference}
mkdir -p "$out"; out=$(cd "$out" && pwd)
load() { cut -d' ' -f1 /proc/loadavg; }
for r in $(seq 1 "$rounds"); do
  for cfg in $cfgs; do
    m=${cfg%%:*}; b=${cfg##*:}
    case $m in esmm) est=esmm;; ipw) est=multi-ipw;; dr) est=multi-dr;; *) echo "bad model $m"; exit 2;; esac
    if [ "$b" -ge 4096 ]; then steps="--steps 60 --warmup 10"; samples=409600
    else steps="--steps 200 --warmup 30"; samples=307200; fi
    echo "$(date -u +%T) load $(load) reference $m $b" >> "$out/log"
    (cd "$REF" && OMP_WAIT_POLICY=${REF_WAIT:-PASSIVE} /usr/bin/python3 train_ref.py --model "$m" \
        --emb sparse --batch "$b" --threads 2 --samples $samples --eval-rows 20000 --peak \
        --tag "round$r" --json "$out/ref.jsonl" > "$out/ref_${m}_${b}_round$r.log" 2>&1)
    for app in "$@"; do
      l=$(load)
      echo "$(date -u +%T) load $l djl $app $m $b" >> "$out/log"
      DJL_OFFLINE=true java --add-opens=java.base/java.nio=ALL-UNNAMED -Dai.djl.offline=true \
          -cp "$app/cvr-examples.jar:$app/lib/*" org.causalcvr.cli.Cvr bench --json \
          --match-reference --estimator $est --batch "$b" $steps ${DJL_SET:-} 2>/dev/null \
        | grep '"train"' \
        | sed "s|^{|{\"app\": \"$app\", \"round\": $r, \"load\": \"$l\",|" >> "$out/djl.jsonl"
    done
  done
done
echo "$(date -u +%T) done load $(load)" >> "$out/log"
