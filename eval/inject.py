#!/usr/bin/env python3
"""Injected-error check on PolNeAR articles.

For every article, writes copies to a temporary directory: some with one
known slip (a word changed inside a quotation, a speaker swapped, a number
changed, a name misspelt, an invented quotation, narrative put in quotation
marks, a closing mark removed) and some faithful (straight marks, a dropped
paragraph, hard-wrapped at 72 columns).  Each copy is checked against the
original article.  A slip counts as found when its rule reports a
diagnostic on the changed paragraph; a faithful copy must get no diagnostic.
"""
import argparse, json, os, re, subprocess, sys, tempfile, textwrap

OPEN, CLOSE = "\u201c", "\u201d"
QUOTE = re.compile(OPEN + r"([^" + OPEN + CLOSE + r"\n]{30,400})" + CLOSE)
SAID_AFTER = re.compile(CLOSE + r",? (?:said|says|added|told) ((?:[A-Z][a-z]+ )?[A-Z][a-z]{2,})\b(?!\. [A-Z])")
SAID_BEFORE = re.compile(r"\b([A-Z][a-z]{2,}) (?:said|says|added|told [a-z ]+)[,:]? " + OPEN)
NUMBER = re.compile(r"(?<![\w.,$])([1-9][0-9]{1,3})(?![\w.,])")
INVENTED = ("The committee will publish its full findings next spring and "
            "not one day before that.")
SLIPS = ["quote-altered", "speaker-mismatch", "number-mismatch", "name-variant",
         "quote-unsourced", "quote-from-paraphrase", "unbalanced-quote"]
FAITHFUL = ["straight-marks", "dropped-paragraph", "hard-wrapped"]


def paragraphs(text):
    """(start, end) of each paragraph (text between blank lines)."""
    spans, pos = [], 0
    for block in re.split(r"(\n\s*\n)", text):
        if block.strip() and not re.fullmatch(r"\n\s*\n", block):
            spans.append((pos, pos + len(block)))
        pos += len(block)
    return spans


def para_of(text, offset):
    for s, e in paragraphs(text):
        if s <= offset < e:
            return s, e
    return offset, offset + 1


def change_word(text):
    for m in QUOTE.finditer(text):
        words = list(re.finditer(r"\b[a-z]{5,}\b", m.group(1)))
        if len(words) >= 3:
            w = words[len(words) // 2]
            new = "certainly" if w.group(0) != "certainly" else "probably"
            at = m.start(1) + w.start()
            return text[:at] + new + text[at + len(w.group(0)):], at
    return None


def swap_speaker(text):
    for pat in (SAID_AFTER, SAID_BEFORE):
        for m in pat.finditer(text):
            name = m.group(1)
            if name in ("The", "He", "She", "They", "It", "Trump", "Clinton") and pat is SAID_BEFORE:
                continue
            at = m.start(1)
            return text[:at] + "Ingrid Vollmar" + text[m.end(1):], at
    return None


def change_number(text):
    for m in NUMBER.finditer(text):
        n = int(m.group(1))
        if 1900 <= n <= 2030:
            continue
        at = m.start(1)
        return text[:at] + str(n + 7) + text[m.end(1):], at
    return None


def misspell_name(text, speakers):
    """Swap two inner letters of a later mention of an annotated speaker."""
    for name in speakers:
        where = [m.start() for m in re.finditer(r"\b%s\b" % re.escape(name), text)]
        if len(where) >= 2:
            at = where[-1]
            bad = name[:2] + name[3] + name[2] + name[4:]
            if bad != name:
                return text[:at] + bad + text[at + len(name):], at
    return None


def annotated_speakers(ann_dir, name):
    """Surnames of the sources annotated in PolNeAR (Source spans)."""
    stem = name[:-4]
    out = []
    if not ann_dir or not os.path.isdir(ann_dir):
        return out
    for ann in os.listdir(ann_dir):
        if ann.startswith(stem + "_") and ann.endswith(".ann"):
            with open(os.path.join(ann_dir, ann), encoding="utf-8") as f:
                for line in f:
                    parts = line.rstrip("\n").split("\t")
                    if len(parts) == 3 and parts[1].startswith("Source "):
                        words = re.findall(r"\b[A-Z][a-z]{4,}\b", parts[2])
                        if len(parts[2].split()) <= 3 and words and words[-1] not in out:
                            out.append(words[-1])
    return out


def invent_quote(text):
    spans = paragraphs(text)
    if len(spans) < 3:
        return None
    at = spans[len(spans) // 2][0]
    new = "An official said: " + OPEN + INVENTED + CLOSE + "\n\n"
    return text[:at] + new + text[at:], at


def mark_narrative(text):
    for s, e in paragraphs(text)[1:]:
        para = text[s:e]
        if OPEN in para or CLOSE in para or '"' in para or "\n" in para.strip():
            continue
        m = re.search(r"(?:^|[.] )([A-Z][^.?!]{60,200}[.])", para)
        if m:
            a, b = s + m.start(1), s + m.end(1)
            return text[:a] + "He said: " + OPEN + text[a:b] + CLOSE + text[b:], a
    return None


def drop_close(text):
    for m in QUOTE.finditer(text):
        para_s, para_e = para_of(text, m.start())
        # a quotation that runs to the paragraph end may leave its mark off
        # by convention when the next paragraph goes on quoting
        if text.count(OPEN, para_s, para_e) == 1 and text[m.end():para_e].strip():
            at = m.end() - 1
            return text[:at] + text[at + 1:], m.start()
    return None


def straight(text):
    t = text.replace(OPEN, '"').replace(CLOSE, '"')
    return t.replace("\u2018", "'").replace("\u2019", "'")


def drop_paragraph(text):
    spans = paragraphs(text)
    if len(spans) < 4:
        return None
    s, e = spans[len(spans) // 2]
    nxt = spans[len(spans) // 2 + 1][0]
    return text[:s] + text[nxt:]


def hard_wrap(text):
    out = []
    for block in re.split(r"\n\s*\n", text):
        out.append("\n".join(textwrap.wrap(block, 72, break_long_words=False,
                                           break_on_hyphens=False)))
    return "\n\n".join(out) + "\n"


MAKERS = dict(zip(SLIPS, [change_word, swap_speaker, change_number, None,
                          invent_quote, mark_narrative, drop_close]))
FAITHFUL_MAKERS = {"straight-marks": straight, "dropped-paragraph": drop_paragraph,
                   "hard-wrapped": hard_wrap}


def check(cli, source, draft):
    out = subprocess.run([cli, "check", "--format", "json", "--source", source, draft],
                         stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                         timeout=120).stdout
    try:
        diags = json.loads(out.decode("utf-8", "replace")).get("diagnostics", [])
    except ValueError:
        return []
    real = os.path.realpath(draft)
    return [d for d in diags if os.path.realpath(d.get("path", "")) == real]


def per_rule(diags):
    counts = {}
    for d in diags:
        counts[d["rule"]] = counts.get(d["rule"], 0) + 1
    return counts


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--cli", default="build/verbatim")
    ap.add_argument("--data", default="../shared/data/polnear/dev/text")
    ap.add_argument("--annotations", help="PolNeAR .ann folder (default: beside --data)")
    ap.add_argument("-v", "--verbose", action="store_true")
    args = ap.parse_args()
    names = sorted(n for n in os.listdir(args.data) if n.endswith(".txt"))
    found = {r: 0 for r in SLIPS}
    tried = {r: 0 for r in SLIPS}
    stray = {r: 0 for r in SLIPS}          # other diagnostics on slip copies
    faithful = {f: [0, 0] for f in FAITHFUL}  # copies, copies with a diagnostic
    ann_dir = args.annotations or os.path.join(os.path.dirname(
        os.path.abspath(args.data)), "attributions")
    with tempfile.TemporaryDirectory() as tmp:
        for name in names:
            src = os.path.join(args.data, name)
            with open(src, encoding="utf-8", errors="replace") as f:
                text = f.read()
            speakers = annotated_speakers(ann_dir, name)
            base = per_rule(check(args.cli, src, src))
            for rule, make in MAKERS.items():
                made = (misspell_name(text, speakers) if make is None else make(text))
                if not made:
                    continue
                draft_text, at = made
                draft = os.path.join(tmp, name)
                with open(draft, "w", encoding="utf-8") as f:
                    f.write(draft_text)
                ps, pe = para_of(draft_text, at)
                ps, pe = len(draft_text[:ps].encode()), len(draft_text[:pe].encode())
                diags = check(args.cli, src, draft)
                tried[rule] += 1
                hit = [d for d in diags if d["rule"] == rule
                       and d["start"] < pe and d["end"] > ps]
                if hit:
                    found[rule] += 1
                elif args.verbose:
                    print("missed %s %s" % (rule, name))
                stray[rule] += sum(1 for d in diags if d not in hit
                                   and d["rule"] != "entity-unsupported")
            for kind, make in FAITHFUL_MAKERS.items():
                draft_text = make(text)
                if draft_text is None:
                    continue
                draft = os.path.join(tmp, name)
                with open(draft, "w", encoding="utf-8") as f:
                    f.write(draft_text)
                diags = check(args.cli, src, draft)
                faithful[kind][0] += 1
                # what the article itself gets (an unbalanced mark in the
                # original) is no false alarm of the copy
                now = per_rule(diags)
                if any(n > base.get(r, 0) for r, n in now.items()):
                    faithful[kind][1] += 1
                    if args.verbose:
                        print("faithful %s %s: %s" % (kind, name, ", ".join(
                            sorted(set(d["rule"] for d in diags)))))
    print("%-22s %6s %6s %7s %6s" % ("slip", "copies", "found", "recall", "other"))
    worst = 1.0
    for r in SLIPS:
        rec = found[r] / tried[r] if tried[r] else 1.0
        worst = min(worst, rec)
        print("%-22s %6d %6d %7.3f %6d" % (r, tried[r], found[r], rec, stray[r]))
    print("%-22s %6s %6s" % ("faithful copy", "copies", "warned"))
    false_copies = 0
    for k in FAITHFUL:
        print("%-22s %6d %6d" % (k, faithful[k][0], faithful[k][1]))
        false_copies += faithful[k][1]
    total = sum(tried.values())
    print("SCORE inject recall=%.3f min_rule_recall=%.3f faithful_warned=%d "
          "faithful_copies=%d slip_copies=%d" % (
              sum(found.values()) / max(total, 1), worst, false_copies,
              sum(v[0] for v in faithful.values()), total))


if __name__ == "__main__":
    main()
