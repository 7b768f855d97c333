"""Run `verbatim check` on every METER newspaper article against its story's
wire copy; shared by the judging and scoring scripts."""
import glob, json, os, subprocess

WARNING_RULES = ["quote-altered", "quote-unsourced", "quote-from-paraphrase",
                 "speaker-mismatch", "name-variant", "number-mismatch",
                 "unbalanced-quote", "entity-unsupported"]


def articles(data):
    """Yield (relative path, absolute path, wire files) per newspaper article."""
    pattern = os.path.join(data, "*", "*", "*", "newspapers-rawtexts", "*.txt")
    for path in sorted(glob.glob(pattern)):
        story = os.path.dirname(os.path.dirname(path))
        wire = sorted(glob.glob(os.path.join(story, "pa-rawtexts", "*")))
        if wire:
            yield os.path.relpath(path, data), path, wire


def check(cli, path, wire):
    """Diagnostics reported on the article itself (not on its sources)."""
    args = [cli, "check", "--format", "json"]
    for w in wire:
        args += ["--source", w]
    args.append(path)
    out = subprocess.run(args, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                         timeout=120).stdout
    try:
        diags = json.loads(out.decode("utf-8", "replace")).get("diagnostics", [])
    except ValueError:
        return []
    real = os.path.realpath(path)
    return [d for d in diags if os.path.realpath(d.get("path", "")) == real]


def words(path):
    with open(path, "rb") as f:
        return len(f.read().decode("utf-8", "replace").split())
