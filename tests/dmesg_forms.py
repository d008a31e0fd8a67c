#!/usr/bin/env python3
"""Metamorphic test of `vmlayout --from-dmesg`: every boot log in
tests/data/bootlogs, republished the ways people publish logs (CRLF, level
prefixes, no timestamps, markdown/forum indentation, mail quoting, trailing
blanks, journalctl, syslog, dmesg -T, dmesg -x, /dev/kmsg records, blank lines
between lines, a web page's HTML entities, 80-column wrapping and some
combinations), must give the same exit status and the same output as the
plain log: the same header, the same ok/differ/missing lines with the same
reasons, the same notes and result line, the line numbers citing the same
lines of the published file (the reader's own "note: reader:" line aside).

The published forms are generated here from the plain log (the header lines
"# key: value" of the fixtures removed), none is checked in.

usage: dmesg_forms.py VMLAYOUT LOG_DIR (its *.txt and *.log) [--forms a,b] [--logs substr]
                      [--no-kernel] [--verbose] [--jobs N]
--no-kernel: run every log without --kernel (the issue's measure: the logs
that get a verdict from the log alone).  Exit status 0 when every form keeps
the plain log's outcome, 1 otherwise (each loss listed).
"""
import argparse
import concurrent.futures
import html
import os
import re
import subprocess
import sys

# --kernel for the logs that carry no version (tests/unit/test_dmesg.cpp kCases)
KERNEL = {
    "rpi2-4.0-1g-vmsplit2g-fixmap2m": "4.0.7",
    "rpi3-4.19rt-948m-vmsplit2g-ptrval": "4.19",
    "x86-stackexchange-2g-pae": "2.6.32",
    "x86-ubuntu-2.6.20-1g-highmem": "2.6.20",
    "shmobile-2.6.3x-512m-truncated-noblock": "2.6.35",
    "shmobile-2.6.3x-512m-truncated": "2.6.35",
    "arm-5.4-kasan-dev-900m-vmsplit2g-novector": "5.4.24",
    "arm-vendor-2g-7banks-timers": "3.4",
}

RE_LINE = re.compile(r"^(<(\d+)>)?(\[\s*(\d+)\.(\d+)\] ?)?(.*)$", re.S)
LEVELS = ["emerg", "alert", "crit", "err", "warn", "notice", "info", "debug"]


class Rec:
    """One line of the plain log: a record (its level, timestamp, text), a
    continuation line of a multi-line record as dmesg(1) prints it, or a
    line that is neither (a wrapped tail the source left on its own line)."""

    def __init__(self, idx, raw, kind, level=None, sec=None, usec=None, text="", tsfield=""):
        self.idx, self.raw, self.kind = idx, raw, kind
        self.level, self.sec, self.usec, self.text, self.tsfield = level, sec, usec, text, tsfield


def parse_plain(lines):
    stamped = sum(1 for l in lines if RE_LINE.match(l).group(3))
    timed = stamped * 2 >= len([l for l in lines if l.strip()])
    recs = []
    for i, l in enumerate(lines):
        m = RE_LINE.match(l)
        if m.group(3) or not timed:
            recs.append(Rec(i, l, "rec", m.group(2), m.group(4), m.group(5), m.group(6), m.group(3) or ""))
        elif len(l) - len(l.lstrip(" ")) >= 16:
            # dmesg(1): the continuation lines of a multi-line record, indented to the text column + 1
            recs.append(Rec(i, l, "cont", text=l[16:]))
        else:
            recs.append(Rec(i, l, "tail", text=l))
    return recs, timed


def lvl(r, default="6"):
    return r.level if r.level is not None else default


# Each form maps the plain records to (published line, plain index or None).
def per_line(fn):
    def form(recs, timed):
        return [(fn(r.raw), r.idx) for r in recs]
    return form


def f_level(recs, timed):
    return [("<%s>%s" % (lvl(r), r.raw) if r.kind == "rec" and r.level is None else r.raw, r.idx) for r in recs]


def f_nots(recs, timed):
    out = []
    for r in recs:
        if r.kind == "rec":
            out.append((("<%s>" % r.level if r.level else "") + r.text, r.idx))
        elif r.kind == "cont":
            out.append((r.text, r.idx))     # dmesg -t: no timestamp column, no indentation
        else:
            out.append((r.raw, r.idx))
    return out


def prefixed(prefix_of, cont_indent):
    """A prefix in place of "<N>[ts] "; continuation lines indented under the text."""
    def form(recs, timed):
        out, last = [], ""
        for r in recs:
            if r.kind == "rec":
                last = prefix_of(r)
                out.append((last + r.text, r.idx))
            elif r.kind == "cont":
                out.append((cont_indent(last, r), r.idx))
            else:
                out.append((r.raw, r.idx))
        return out
    return form


def ts(r):
    return "[%5d.%06d] " % (int(r.sec), int(r.usec)) if r.sec is not None else ""


JOURNAL = "Dec 06 12:00:00 host kernel: "
f_journal = prefixed(lambda r: JOURNAL, lambda last, r: " " * len(last) + r.text)
# syslog (klogd/rsyslog): every line its own message, the printk timestamp kept
f_syslog = prefixed(lambda r: "Dec  6 12:00:00 host kernel: " + ts(r),
                    lambda last, r: "Dec  6 12:00:00 host kernel: " + r.text)
DMESG_T = "[Sun Dec  6 12:00:00 2026] "
f_dmesg_t = prefixed(lambda r: DMESG_T, lambda last, r: " " * (len(last) + 1) + r.text)
f_dmesg_x = prefixed(lambda r: "kern  :%-6s: " % (LEVELS[int(lvl(r)) % 8] if lvl(r).isdigit() else "info") + ts(r),
                     lambda last, r: " " * (len(last) + 1) + r.text)


def f_kmsg(recs, timed):
    out, seq = [], 0
    for r in recs:
        if r.kind == "rec":
            usec = int(r.sec) * 1000000 + int(r.usec) if r.sec is not None else 0
            out.append(["%d,%d,%d,-;%s" % (int(lvl(r)) % 8 if lvl(r).isdigit() else 6, seq, usec, r.text), r.idx])
            seq += 1
        elif r.kind == "cont" and out:
            out[-1][0] += "\\x0a" + r.text      # one record: the newline escaped as /dev/kmsg prints it
        else:
            out.append([r.raw, r.idx])
    return [tuple(o) for o in out]


def f_blank(recs, timed):
    out = []
    for r in recs:
        out += [(r.raw, r.idx), ("", None)]
    return out


def wrap_at(width):
    def form(recs, timed):
        out = []
        for r in recs:
            s, first = r.raw, True
            while True:
                out.append((s[:width], r.idx if first else None))
                first = False
                s = s[width:]
                if not s:
                    break
        return out
    return form


def compose(*forms):
    """forms applied in order, each to the lines the previous one published."""
    def form(recs, timed):
        cur = None
        for f in forms:
            if cur is None:
                cur = f(recs, timed)
                continue
            idx = [i for _, i in cur]
            sub = [Rec(k, t, "tail", text=t) for k, (t, _) in enumerate(cur)]
            nxt = f(sub, timed)
            cur = [(t, idx[k] if k is not None else None) for t, k in nxt]
        return cur
    return form


def plain_lines_form(fn):
    """a form that acts on published lines alone (applied after others in compose)"""
    return per_line(fn)


def f_journal_mixed(recs, timed):
    """journalctl -b: the kernel's lines among other programs' lines"""
    out = []
    for k, (t, i) in enumerate(f_journal(recs, timed)):
        if k % 5 == 2:
            out.append(("Dec 06 12:00:01 host systemd[1]: Started Session %d of user root." % k, None))
        out.append((t, i))
    return out


def f_kmsg_dict(recs, timed):
    """/dev/kmsg records followed by their dictionary lines"""
    out = []
    for t, i in f_kmsg(recs, timed):
        out.append((t, i))
        if k_is_record(t):
            out.append((" SUBSYSTEM=platform", None))
            out.append((" DEVICE=+platform:soc", None))
    return out


def k_is_record(t):
    return re.match(r"^\d+,\d+,\d+,", t) is not None


def word_wrap(width):
    """a mail client: long lines broken at the last single blank before the width"""
    def form(recs, timed):
        out = []
        for r in recs:
            s, first = r.raw, True
            while len(s) > width:
                cut = -1
                for k in range(width, 0, -1):
                    if s[k] == " " and s[k - 1] != " " and (k + 1 >= len(s) or s[k + 1] != " "):
                        cut = k
                        break
                if cut <= 0:
                    break
                out.append((s[:cut], r.idx if first else None))
                first = False
                s = s[cut + 1:]
            out.append((s, r.idx if first else None))
        return out
    return form


FORMS = {
    "crlf": per_line(lambda s: s + "\r"),
    "level": f_level,
    "nots": f_nots,
    "indent4": per_line(lambda s: "    " + s if s else s),
    "tab": per_line(lambda s: "\t" + s if s else s),
    "quote": per_line(lambda s: "> " + s if s else ">"),
    "quote2": per_line(lambda s: "> >> " + s if s else "> >>"),
    "trailing": per_line(lambda s: s + "  \t "),
    "journalctl": f_journal,
    "syslog": f_syslog,
    "dmesg-T": f_dmesg_t,
    "dmesg-x": f_dmesg_x,
    "kmsg": f_kmsg,
    "blank": f_blank,
    # combinations
    "indent+quote": per_line(lambda s: "> " + "    " + s if s else ">"),
    "crlf+journalctl": compose(f_journal, per_line(lambda s: s + "\r")),
    "wrap80": wrap_at(80),
    "quote+wrap80": compose(wrap_at(80), per_line(lambda s: "> " + s if s else ">")),
    "html": per_line(lambda s: html.escape(s, quote=False)),
    "html+quote": per_line(lambda s: html.escape("> " + s, quote=False)),
    "tab+trailing+blank": compose(per_line(lambda s: "\t" + s + " " if s else s), f_blank),
    # more published forms
    "journal-iso": prefixed(lambda r: "2026-12-06T12:00:00+0100 host kernel: ",
                            lambda last, r: " " * len(last) + r.text),
    "journal-monotonic": prefixed(lambda r: (ts(r) or "[    0.000000] ") + "host kernel: ",
                                  lambda last, r: " " * len(last) + r.text),
    "journal-b": f_journal_mixed,
    "kmsg+dict": f_kmsg_dict,
    "nbsp-indent": per_line(lambda s: "\u00a0" * 4 + s if s else s),
    "mailwrap72": word_wrap(72),
    "mailwrap72+quote": compose(word_wrap(72), per_line(lambda s: "> " + s if s else ">")),
    "crlf+quote2+html": compose(per_line(lambda s: html.escape("> >> " + s, quote=False) + "\r")),
}
# A mail client's word wrap of a log without timestamps cannot always be undone
# (the rest of a wrapped "Machine:" line reads as a line of its own): those
# forms are applied to logs with timestamps only.
NEEDS_TIMESTAMPS = {"mailwrap72", "mailwrap72+quote"}
# forms that change the width of every captured line (what a capture's cut is measured on)
WIDTH_DELTA = {"nots": -15}
BASIC = ["crlf", "level", "nots", "indent4", "tab", "quote", "quote2", "trailing", "journalctl", "syslog",
         "dmesg-T", "dmesg-x", "kmsg", "blank"]


def run(vmlayout, text, args):
    p = subprocess.run([vmlayout, "--from-dmesg", "-"] + args, input=text.encode(), stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE)
    return p.returncode, p.stdout.decode(errors="replace"), p.stderr.decode(errors="replace")


RE_LINENO = re.compile(r"\b(line|lines|<stdin>:)( ?)(\d+)((?:, \d+)*)")


def renumber(text, mapping):
    """plain line numbers (1-based) -> the published line numbers of the same lines"""
    def one(n):
        n = int(n)
        return str(mapping.get(n, "?%d" % n))

    def sub(m):
        rest = re.sub(r"\d+", lambda k: one(k.group(0)), m.group(4))
        return m.group(1) + m.group(2) + one(m.group(3)) + rest
    return RE_LINENO.sub(sub, text)


def comparable(out):
    return "\n".join(l for l in out.splitlines() if not l.startswith("note: reader:"))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("vmlayout")
    ap.add_argument("bootlogs")
    ap.add_argument("--forms", default="")
    ap.add_argument("--logs", default="")
    ap.add_argument("--no-kernel", action="store_true")
    ap.add_argument("--verbose", action="store_true")
    ap.add_argument("--jobs", type=int, default=2)
    a = ap.parse_args()
    forms = a.forms.split(",") if a.forms else list(FORMS)
    names = sorted(f for f in os.listdir(a.bootlogs) if f.endswith((".txt", ".log")) and a.logs in f)
    jobs = []
    for name in names:
        with open(os.path.join(a.bootlogs, name), encoding="utf-8", errors="surrogateescape") as fh:
            lines = [l for l in fh.read().split("\n") if not l.startswith("#")]
        if lines and lines[-1] == "":
            lines.pop()
        stem = name.rsplit(".", 1)[0]
        args = [] if a.no_kernel or stem not in KERNEL else ["--kernel", KERNEL[stem]]
        jobs.append((name, lines, args))

    def work(job):
        name, lines, args = job
        recs, timed = parse_plain(lines)
        base = run(a.vmlayout, "\n".join(lines) + "\n", args)
        res = []
        for fname in forms:
            if fname in NEEDS_TIMESTAMPS and not timed:
                continue
            pub = FORMS[fname](recs, timed)
            mapping = {}
            for k, (_, i) in enumerate(pub):
                if i is not None and i + 1 not in mapping:
                    mapping[i + 1] = k + 1
            got = run(a.vmlayout, "\n".join(t for t, _ in pub) + "\n", args)
            want_out = renumber(comparable(base[1]), mapping)
            if fname in WIDTH_DELTA and timed:
                # the form changed the width of the captured lines: a cut at N columns is now elsewhere
                want_out = re.sub(r"\b(\d+) columns", lambda m: "%d columns" % (int(m.group(1)) + WIDTH_DELTA[fname]),
                                  want_out)
            want_err = renumber(base[2], mapping)
            ok = got[0] == base[0] and comparable(got[1]) == want_out and got[2] == want_err
            res.append((fname, ok, base, got, want_out, want_err))
        return name, base, res

    total = kept = 0
    lost = []
    verdict_logs = 0
    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, a.jobs)) as ex:
        for name, base, res in ex.map(work, jobs):
            if a.no_kernel and base[0] == 2:
                continue     # no verdict from the log alone
            verdict_logs += 1
            for fname, ok, b, got, want_out, want_err in res:
                total += 1
                kept += ok
                if not ok:
                    lost.append((name, fname, b, got, want_out, want_err))
    for name, fname, b, got, want_out, want_err in lost:
        print("LOST %s [%s]: exit %d (plain %d)" % (name, fname, got[0], b[0]))
        if a.verbose:
            import difflib
            d = difflib.unified_diff((want_out + "\n" + want_err).splitlines(),
                                     (comparable(got[1]) + "\n" + got[2]).splitlines(), "plain", fname, lineterm="", n=1)
            print("\n".join(list(d)[:40]))
    print("dmesg forms: %d of %d published logs keep the plain log's outcome (%d logs x %d forms)%s: %.1f%%" %
          (kept, total, verdict_logs, len(forms), " [no --kernel]" if a.no_kernel else "",
           100.0 * kept / max(1, total)))
    return 0 if kept == total else 1


if __name__ == "__main__":
    sys.exit(main())
