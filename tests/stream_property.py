#!/usr/bin/env python3
"""Property test of the stream protocol (man/kmemkit-stream.5), issue 16.

Random streams -- every verb of the grammar, unknown verbs, odd ids (a=b, 4096-byte ids),
foreign text, comments, blank lines, CRLF line ends, no final newline, long lines -- go
through every order of the three filters (buddyctl, kmapsim, va2pa --stream), stage by stage.
For every stage it checks:

  * lines: every input line comes out once, in order, as the start of an output line (CR
    removed); what follows it on that line is " key=value" fields the stage appended, and
    the lines after it up to the next input line are lines the stage inserted;
  * non-interference: what a stage appends to and inserts after each line is what it does
    in the shortest pipeline that gives it the same upstream information -- the stages that
    feed it (buddyctl feeds kmapsim and va2pa; kmapsim feeds va2pa), in the same relative
    order, then itself.  So va2pa before kmapsim changes nothing kmapsim does, kmapsim before
    buddyctl changes nothing buddyctl does, and so on.

With --examples MANPAGE it runs the event lines of the page's EXAMPLES-style blocks (.EX ...
.EE whose lines are events or comments) through every order: all lines kept, exit 0.

Usage: stream_property.py BUILD_DIR [--streams N] [--lines N] [--seed S] [-p PROFILE]
       stream_property.py BUILD_DIR --examples man/kmemkit-stream.5
"""
import argparse
import itertools
import os
import random
import re
import subprocess
import sys

FEEDS = {"buddyctl": set(), "kmapsim": {"buddyctl"}, "va2pa": {"buddyctl", "kmapsim"}}


def command(build, tool, profile):
    cmd = [os.path.join(build, tool), "-p", profile]
    return cmd + (["--stream"] if tool == "va2pa" else [])


class Runner:
    def __init__(self, build, profile):
        self.build, self.profile, self.cache = build, profile, {}

    def stage(self, tool, data):
        key = (tool, data)
        if key not in self.cache:
            p = subprocess.run(command(self.build, tool, self.profile), input=data, capture_output=True)
            if p.returncode not in (0, 2) or b"internal" in p.stderr or b"Sanitizer" in p.stderr:
                raise AssertionError(f"{tool}: exit {p.returncode}\n{p.stderr.decode(errors='replace')[:2000]}")
            self.cache[key] = (p.stdout, p.stderr.count(b": error: "))
        return self.cache[key][0]

    def errors(self, tool, data):
        self.stage(tool, data)
        return self.cache[(tool, data)][1]

    def pipeline(self, order, data):
        """The stream after each stage: [input, after stage 1, ...]."""
        streams = [data]
        for tool in order:
            streams.append(self.stage(tool, streams[-1]))
        return streams


def split_lines(data):
    lines = data.split(b"\n")
    if lines and lines[-1] == b"":
        lines.pop()
    return lines


FIELDS = re.compile(rb"( [^ =\t]+=[^ \t]+)*")


def is_line_of(out_line, line):
    """out_line is `line` with fields appended."""
    return out_line.startswith(line) and FIELDS.fullmatch(out_line, len(line)) is not None


def contributions(tool, inp, out):
    """Per input line: (appended text, inserted lines).  Raises on a lost or reordered line."""
    ins = [l[:-1] if l.endswith(b"\r") else l for l in split_lines(inp)]
    outs = split_lines(out)
    res, j = [], 0
    for i, line in enumerate(ins):
        if j >= len(outs) or not is_line_of(outs[j], line):
            got = outs[j][:120] if j < len(outs) else b"<end of output>"
            raise AssertionError(f"{tool}: input line {i + 1} {line[:120]!r} is not output line {j + 1}: {got!r}")
        tail = outs[j][len(line):]
        j += 1
        inserted = []
        # inserted lines run to the next input line (the next output line that is it with
        # fields appended)
        nxt = ins[i + 1] if i + 1 < len(ins) else None
        while j < len(outs) and (nxt is None or not is_line_of(outs[j], nxt)):
            inserted.append(outs[j])
            j += 1
        res.append((tail, tuple(inserted)))
    if j != len(outs):
        raise AssertionError(f"{tool}: {len(outs) - j} output lines after the last input line")
    return res


def traced(runner, order, data):
    """Each stage's contributions keyed by the origin of its input lines: ("in", i) for the
    input's line i, (tool, parent, k) for the k-th line `tool` inserted after line `parent`."""
    streams = runner.pipeline(order, data)
    origins = [("in", i) for i in range(len(split_lines(data)))]
    stages = []
    for k, tool in enumerate(order):
        contrib = contributions(tool, streams[k], streams[k + 1])
        if len(contrib) != len(origins):
            raise AssertionError(f"{tool}: {len(contrib)} input lines, {len(origins)} expected")
        stages.append(dict(zip(origins, contrib)))
        stages[-1]["errors"] = runner.errors(tool, streams[k])
        nxt = []
        for o, (_, inserted) in zip(origins, contrib):
            nxt.append(o)
            nxt += [(tool, o, n) for n in range(len(inserted))]
        origins = nxt
    return stages


def check(runner, data):
    checked = 0
    for order in itertools.permutations(["buddyctl", "kmapsim", "va2pa"]):
        stages = traced(runner, order, data)
        for k, tool in enumerate(order):
            feeders = [t for t in order[:k] if t in FEEDS[tool]]
            want = traced(runner, feeders + [tool], data)[-1]
            got = stages[k]
            for key, w in want.items():
                if key == "errors":
                    continue
                if got.get(key) != w:
                    raise AssertionError(f"{' | '.join(order)}: {tool} on {key}: {got.get(key)!r}, "
                                         f"after {' | '.join(feeders) or 'nothing'} only: {w!r}")
                checked += 1
            if got["errors"] != want["errors"]:
                raise AssertionError(f"{' | '.join(order)}: {tool} reports {got['errors']} errors, after "
                                     f"{' | '.join(feeders) or 'nothing'} only {want['errors']}")
            for key, g in got.items():
                # a line a non-feeder inserted: nothing of this tool's, it passes it on
                if key != "errors" and key not in want and g != (b"", ()):
                    raise AssertionError(f"{' | '.join(order)}: {tool} acted on {key}, a line "
                                         f"{key[0]} inserted: {g!r}")
    return checked


IDS = ["a", "b", "h1", "h2", "a=b", "x==y", "v1", "io1", "k" * 4096, "é", "id#1"]


def random_stream(rng, n):
    lines = []
    live, vlive, iolive = [], [], []
    for _ in range(n):
        r = rng.random()
        idv = rng.choice(IDS + [f"g{rng.randrange(40)}"])
        if r < 0.20:
            gfp = rng.choice(["", " gfp=GFP_HIGHUSER", " gfp=GFP_KERNEL", " gfp=GFP_DMA", " gfp=BOGUS"])
            lines.append(f"alloc order={rng.choice([0, 0, 1, 2, 3, 11, 64, 'x'])}{gfp} id={idv}")
            live.append(idv)
        elif r < 0.30:
            i = rng.choice(live) if live and rng.random() < 0.8 else idv
            lines.append(f"free id={i}" + (f" order={rng.randrange(3)}" if rng.random() < 0.3 else ""))
        elif r < 0.36:
            lines.append(f"vmalloc size={rng.choice([4096, 8192, 5000, 0, 1 << 22, '1M'])} id={idv}")
            vlive.append(idv)
        elif r < 0.40:
            lines.append(f"vfree id={rng.choice(vlive) if vlive else idv}")
        elif r < 0.43:
            lines.append(f"ioremap size={rng.choice([4096, 65536, 100])} pa={rng.choice(['0x10000000', '0x48000000', '0x1234'])} id={idv}")
            iolive.append(idv)
        elif r < 0.45:
            lines.append(f"iounmap id={rng.choice(iolive) if iolive else idv}")
        elif r < 0.47:
            lines.append(rng.choice(["show", "vmalloc_info", "kmap_show"]))
        elif r < 0.57:
            who = f"id={rng.choice(live)}" if live and rng.random() < 0.8 else f"pfn={rng.choice(['0x4fc00', '0x10000', '0x0', 'zz'])}"
            lines.append(f"{rng.choice(['kmap', 'kunmap', 'page_address'])} {who}")
        elif r < 0.63:
            who = f"id={rng.choice(live)}" if live else "pfn=0x4fc00"
            lines.append(f"{rng.choice(['kmap_atomic', 'kunmap_atomic'])} {who} cpu={rng.choice([0, 0, 1])}")
        elif r < 0.70:
            va = rng.choice(["0xc0000000", "0xc0123456", "0xbfe01000", "0xf0000000", "0xffff0000", "c0123456", "0x1"])
            lines.append(rng.choice([f"va={va}", f"lookup va={va}", f"pa=0x{rng.randrange(1 << 32):08x}",
                                     f"map va={va} pa=0x10000000", f"unmap va={va} pages=1",
                                     f"kmap_wake id=a va={va} slot=1 count=2"]))
        elif r < 0.76:
            lines.append(rng.choice(["hello world java=1", "Node 0, zone   Normal 1 2 3",
                                     "0xf0000000-0xf0002000    8192 java=1 pages=1 vmalloc",
                                     "VmallocTotal:     245760 kB", "aloc order=0 id=a", "kmpa id=a",
                                     "random text with pa= in it", "x=1 y=2"]))
        elif r < 0.82:
            lines.append(rng.choice(["", "   ", "\t", "# comment", "  # alloc order=0 id=a"]))
        elif r < 0.86:
            lines.append(rng.choice(["alloc order=0 id=a order=1", "free", "kmap", "alloc order=0 bare id=a",
                                     "alloc id=" + "y" * 5000, "va=0xc0000000 junk", "va=0xc0\x01"]))
        elif r < 0.88:
            lines.append(f"alloc order=0 id=long pad={'p' * rng.choice([1000, 70000])}")
        else:
            lines.append(f"alloc order=0 id={idv}")
    text = ""
    for l in lines:
        text += l + ("\r\n" if rng.random() < 0.05 else "\n")
    if rng.random() < 0.3:
        text = text.rstrip("\n")   # no final newline
    return text.encode()


def examples(manpage):
    """Event lines of the page's .EX blocks that are stream lines (not shell or grammar)."""
    src = open(manpage, encoding="utf-8").read()
    blocks = re.findall(r"^\.EX\n(.*?)^\.EE", src, re.S | re.M)
    verbs = None
    out = []
    for b in blocks:
        lines = [l.replace("\\-", "-").replace("\\&", "") for l in b.splitlines()]
        if all(re.match(r"^(#|[a-z_]+( [a-z_]+=\S+)*$)", l) for l in lines if l):
            out += lines
    return "\n".join(out) + "\n"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("build")
    ap.add_argument("--streams", type=int, default=12)
    ap.add_argument("--lines", type=int, default=250)
    ap.add_argument("--seed", type=int, default=16)
    ap.add_argument("-p", "--profile", default="imx6q")
    ap.add_argument("--examples")
    a = ap.parse_args()
    runner = Runner(a.build, a.profile)
    try:
        if a.examples:
            data = examples(a.examples).encode()
            n = len(split_lines(data))
            if n < 10:
                raise AssertionError(f"only {n} example lines found in {a.examples}")
            for order in itertools.permutations(["buddyctl", "kmapsim", "va2pa"]):
                p = None
                stream = data
                for tool in order:
                    p = subprocess.run(command(a.build, tool, a.profile), input=stream, capture_output=True)
                    if p.returncode != 0 and not (tool == "kmapsim" and order.index("kmapsim") < order.index("buddyctl")):
                        raise AssertionError(f"{' | '.join(order)}: {tool} exit {p.returncode}: {p.stderr.decode()[:500]}")
                    contributions(tool, stream, p.stdout)
                    stream = p.stdout
            print(f"ok: the {n} example lines of {os.path.basename(a.examples)} through all 6 orders")
            return 0
        rng = random.Random(a.seed)
        total = 0
        for s in range(a.streams):
            data = random_stream(rng, a.lines)
            try:
                total += check(runner, data)
            except AssertionError:
                path = f"/tmp/stream_property_failure_{a.seed}_{s}.trace"
                open(path, "wb").write(data)
                print(f"stream {s} (kept in {path}):", file=sys.stderr)
                raise
        print(f"ok: {a.streams} random streams of {a.lines} lines, 6 orders of the 3 filters: "
              f"{total} line contributions agree with the filters' feeders-only pipelines")
        return 0
    except AssertionError as e:
        print(f"FAIL: {e}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
