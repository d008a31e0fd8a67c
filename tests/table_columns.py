#!/usr/bin/env python3
"""The table views' column names are the JSON keys (issue 15 item 1): every column that -P prints
for vmlayout's regions, bootmem's zones and kmapsim show's pkmap entries and kmap_atomic slots is
a key of the rows of the tool's own --json, with the same value (numbers as numbers); buddyctl
info's -o --json rows carry exactly the columns asked for.  Usage: table_columns.py BIN_DIR"""
import json
import re
import subprocess
import sys

BIN = sys.argv[1]
KMAP_IN = "kmap pfn=0x40000\nkmap pfn=0x40002\nkmap_atomic cpu=1 pfn=0x40001\n"


def run(args, stdin=None):
    r = subprocess.run([f"{BIN}/{args[0]}"] + args[1:], input=stdin, capture_output=True, text=True)
    if r.returncode:
        sys.exit(f"table_columns: {' '.join(args)}: exit {r.returncode}: {r.stderr.strip()}")
    return r.stdout


def pairs(text):
    return [dict(re.findall(r'(\w+)="([^"]*)"', line)) for line in text.splitlines()]


def same(a, b):   # a -P text value against a JSON value
    if a == "-":   # shown for no value: null, or an empty zone's 0
        return b is None or b == 0
    if isinstance(b, int) and not isinstance(b, bool):
        return a == str(b) or (a.startswith("0x") and int(a, 16) == b) or a.endswith(" kB") or a.endswith(" MB") \
            or a.endswith(" GB")
    return a == str(b)


fail = 0
cases = [
    ("vmlayout regions", ["vmlayout", "-p", "imx6q"], None, "regions", lambda j: list(reversed(j["regions"]))),
    ("bootmem zones", ["bootmem", "-p", "imx6q"], None, "zones", lambda j: j["zones"]),
    ("kmapsim pkmap", ["kmapsim", "-p", "imx6q", "show", "-"], KMAP_IN, "pkmap", lambda j: j["pkmap"]),
    ("kmapsim atomic", ["kmapsim", "-p", "imx6q", "show", "--atomic", "-"], KMAP_IN, "atomic", lambda j: j["atomic"]),
]
for name, args, stdin, key, rows_of in cases:
    every = pairs(run(args + ["-P"], stdin))
    full_args = [a for a in args if a != "--atomic"]
    full = rows_of(json.loads(run(full_args + ["--json"], stdin)))
    if len(every) != len(full):
        print(f"FAIL: {name}: {len(every)} -P rows, {len(full)} JSON rows"); fail = 1; continue
    for p, j in zip(every, full):
        for col, text in p.items():
            if col not in j:
                print(f"FAIL: {name}: column '{col}' is no key of the JSON rows ({sorted(j)})"); fail = 1
            elif not same(text, j[col]):
                print(f"FAIL: {name}: column '{col}' is '{text}', JSON has {j[col]!r}"); fail = 1
    table_json = json.loads(run(args + ["--json", "-o", ",".join(every[0].keys())], stdin))
    if list(table_json) != [key]:
        print(f"FAIL: {name}: -o --json gives {list(table_json)}, not ['{key}']"); fail = 1
cols = ["zone", "order", "blocks", "pages", "fragmentation_index", "unusable_index"]
rows = json.loads(run(["buddyctl", "-p", "imx6q", "info", "--json", "-o", ",".join(cols)]))["orders"]
if not rows or any(list(r) != cols for r in rows):
    print("FAIL: buddyctl info -o --json rows do not carry the columns asked for"); fail = 1
if not fail:
    print("ok: the columns of every table view are its JSON keys, with the JSON's values")
sys.exit(fail)
