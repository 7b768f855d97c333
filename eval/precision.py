#!/usr/bin/env python3
"""Precision per warning rule on the judged METER diagnostics.

Re-runs `verbatim check` on every newspaper article of the data set against
its story's wire copy and matches the diagnostics to the judged ones in
eval/meter_judged.tsv (same file, same rule, overlapping byte span).
"""
import argparse, csv, os, sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import meter_run  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))


def load_judged(path):
    judged = {}
    with open(path, newline="") as f:
        for row in csv.DictReader(f, delimiter="\t"):
            key = (row["file"], row["rule"])
            judged.setdefault(key, []).append(
                (int(row["start"]), int(row["end"]), row["verdict"]))
    return judged


def overlaps(a0, a1, b0, b1):
    return a0 < b1 and b0 < a1 or (a0 == b0 and a1 == b1)


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--cli", default="build/verbatim")
    ap.add_argument("--data", default="../shared/data/meter/dev")
    ap.add_argument("--judged", default=os.path.join(HERE, "meter_judged.tsv"))
    args = ap.parse_args()

    judged = load_judged(args.judged)
    rules = meter_run.WARNING_RULES
    reported = {r: 0 for r in rules}
    unjudged = {r: 0 for r in rules}
    kept = {}                      # judged item -> still reported
    for key, items in judged.items():
        for it in items:
            kept[(key, it)] = False
    total_words = 0
    for rel, path, wire in meter_run.articles(args.data):
        total_words += meter_run.words(path)
        for d in meter_run.check(args.cli, path, wire):
            rule = d["rule"]
            if rule not in reported:
                reported[rule] = unjudged[rule] = 0
            reported[rule] += 1
            hit = False
            for it in judged.get((rel, rule), []):
                if overlaps(d["start"], d["end"], it[0], it[1]):
                    kept[((rel, rule), it)] = True
                    hit = True
            if not hit:
                unjudged[rule] += 1

    per_k = 1000.0 / max(total_words, 1)
    print("%-22s %6s %6s %6s %6s %9s %7s %8s" % (
        "rule", "real", "kept", "false", "still", "precision", "per1k", "unjudged"))
    worst_prec, worst_keep = 1.0, 1.0
    warn_total = 0
    for rule in sorted(reported, key=lambda r: (r not in rules, rules.index(r) if r in rules else 0)):
        real = [k for (key, it), k in kept.items() if key[1] == rule and it[2] == "real"]
        false = [k for (key, it), k in kept.items() if key[1] == rule and it[2] == "false"]
        r_kept, f_kept = sum(real), sum(false)
        prec = r_kept / (r_kept + f_kept) if r_kept + f_kept else 1.0
        keep = r_kept / len(real) if real else 1.0
        if real or false:
            worst_prec, worst_keep = min(worst_prec, prec), min(worst_keep, keep)
        if rule != "entity-unsupported":
            warn_total += reported[rule]
        print("%-22s %6d %6d %6d %6d %9.3f %7.2f %8d" % (
            rule, len(real), r_kept, len(false), f_kept, prec,
            reported[rule] * per_k, unjudged[rule]))
    print("words=%d" % total_words)
    print("SCORE meter_precision min_precision=%.3f min_real_kept=%.3f "
          "warnings_per_1k=%.2f entity_notes_per_1k=%.2f judged=%d" % (
              worst_prec, worst_keep, warn_total * per_k,
              reported.get("entity-unsupported", 0) * per_k, len(kept)))


if __name__ == "__main__":
    main()
