#!/usr/bin/python3
"""Markdown tables from the results.jsonl of bench/side-by-side.sh (issue 16's protocol).

usage: summarise.py OUT/results.jsonl

Reference samples/s is "run": the samples of its timed windows over their time (the harmonic mean
of its window figures), comparable to cvr bench's samples over the time of all timed steps.
Ratios are cvr bench over the reference of the same pair (same attempt). A pair attempt whose
1-minute load at start was above the protocol's limit is marked with *; the medians use the last
attempt of each pair, and, separately, only attempts at or below the limit.
"""
import json
import statistics
import sys

QUIET_PEAK_GFLOPS = 202.0  # 4096^3 sgemm at 2 threads on the quiet machine (REPORT.md)
MODELS = {"dr": "Multi-DR", "esmm": "ESMM", "ipw": "Multi-IPW"}
TARGET = {"dr": 1.25, "esmm": 1.25, "ipw": 1.5}


def run_sps(ref):
    w = ref.get("sps_windows") or []
    return len(w) / sum(1.0 / x for x in w) if w else ref["sps_median"]


def fmt(x, digits=0):
    return "—" if x is None else f"{x:,.{digits}f}"


def med(xs):
    return statistics.median(xs) if xs else None


def main(path):
    rows = [json.loads(line) for line in open(path) if line.strip()]
    machine = next((r for r in rows if r.get("kind") == "machine"), {})
    max_load = float(machine.get("maxLoad", 1.5))
    refs = [r for r in rows if r.get("kind") == "reference"]
    djls = [r for r in rows if r.get("kind") == "djl"]
    apps = sorted({r["appIndex"] for r in djls})
    print(f"Protocol: {'quick' if machine.get('quick') else 'full'}, started {machine.get('start', '?')},"
          f" {machine.get('nproc', '?')} CPUs, load limit {max_load}; * = attempt started above it.\n")
    if refs:
        head = "| model | pair.try | load | reference run (median) | sgemm GFLOP/s |"
        sep = "|---|---|---|---|---|"
        for a in apps:
            tag = f" app{a}" if len(apps) > 1 else ""
            head += f" ours{tag} | ratio | ours{tag}, no savings | ratio |"
            sep += "---|---|---|---|"
        print("## Side by side at batch 1024, --match-reference\n")
        print(head)
        print(sep)
        medians = []
        for m in MODELS:
            mrefs = sorted((r for r in refs if r["tag"].startswith("pair") and model_of(r) == m),
                           key=lambda r: (r["pair"], r["try"]))
            if not mrefs:
                continue
            last = {}
            for r in mrefs:
                last[r["pair"]] = r["try"]
            ratios = {(a, s): ([], []) for a in apps for s in (True, False)}
            for r in mrefs:
                p, t = r["pair"], r["try"]
                loaded = float(r["pairLoad"]) > max_load
                ref_sps = run_sps(r)
                cells = (f"| {MODELS[m]} | {p}.{t}{'*' if loaded else ''} | {r['pairLoad']} |"
                         f" {fmt(ref_sps)} ({fmt(r['sps_median'])}) | {fmt(r.get('peak_sgemm_gflops'))} |")
                for a in apps:
                    for s in (True, False):
                        d = next((x for x in djls if x["model"] == m and x["pair"] == p
                                  and x["try"] == t and x["appIndex"] == a and x["savings"] == s), None)
                        sps = d["samplesPerSecond"] if d else None
                        ratio = sps / ref_sps if sps else None
                        cells += f" {fmt(sps)} | {fmt(ratio, 2)}x |"
                        if ratio is not None:
                            if t == last[p]:
                                ratios[(a, s)][0].append(ratio)
                            if not loaded:
                                ratios[(a, s)][1].append(ratio)
                print(cells)
            medians.append((m, ratios))
        print("\nMedian ratios (ours / reference): last attempt of each pair; in brackets, attempts at"
              " or below the load limit only (count).\n")
        print("| model | target | " + " | ".join(
            f"{'savings' if s else 'no savings'}{f' app{a}' if len(apps) > 1 else ''}"
            for a in apps for s in (True, False)) + " |")
        print("|---|---|" + "---|" * (2 * len(apps)))
        for m, ratios in medians:
            cells = f"| {MODELS[m]} | {TARGET[m]}x / 1.0x |"
            for a in apps:
                for s in (True, False):
                    allr, quiet = ratios[(a, s)]
                    cells += f" {fmt(med(allr), 2)}x [{fmt(med(quiet), 2)}x ({len(quiet)})] |"
            print(cells)
        dr = [x for x in djls if x["model"] == "dr" and x["savings"] and x["appIndex"] == apps[-1]]
        if dr:
            flops = next((r["train_flops_per_sample"] for r in refs if model_of(r) == "dr"), 6341184)
            floor = QUIET_PEAK_GFLOPS * 1e9 / flops
            best = max(x["samplesPerSecond"] for x in dr)
            print(f"\nMulti-DR compute floor at the quiet machine's {QUIET_PEAK_GFLOPS:.0f} GFLOP/s:"
                  f" {floor:,.0f} samples/s; ours: median {med([x['samplesPerSecond'] for x in dr]):,.0f}"
                  f" ({100 * med([x['samplesPerSecond'] for x in dr]) / floor:.0f}%), best {best:,.0f}"
                  f" ({100 * best / floor:.0f}%).")
    tables = [r for r in rows if r.get("kind") == "table"]
    if tables:
        print("\n## Step time against embedding rows (Multi-DR, batch 1024)\n")
        print("| app | rows | actual rows | load | ms/step | samples/s | peak RSS MiB |")
        print("|---|---|---|---|---|---|---|")
        for r in tables:
            print(f"| {r['appIndex']} | {r['rows']} | {r['tableRows']:,} | {r['load']} | {r['msPerStep']:.1f} |"
                  f" {fmt(r['samplesPerSecond'])} | {fmt(r['peakRssMiB'])} |")
        for a in sorted({r["appIndex"] for r in tables}):
            ms = [r["msPerStep"] for r in tables if r["appIndex"] == a]
            print(f"\napp {a}: max / min step time {max(ms) / min(ms):.2f} (target ≤ 1.2)")
    scans = [r for r in rows if r.get("kind") == "scan"]
    if scans:
        print("\n## 10M-row scan (labels and feature columns copied) against a raw read\n")
        print("| app | load | rows | GB | reader s | raw s | reader / raw |")
        print("|---|---|---|---|---|---|---|")
        for r in scans:
            print(f"| {r['appIndex']} | {r['load']} | {r['rows']:,} | {r['bytes'] / 1e9:.3f} |"
                  f" {r['readerSeconds']:.3f} | {r['rawSeconds']:.3f} | {r['readerOverRaw']:.2f}x |")
        print("\n(target ≤ 1.5x)")


def model_of(ref):
    return ref["model"]


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: summarise.py OUT/results.jsonl")
    main(sys.argv[1])
