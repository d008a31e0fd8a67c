#!/usr/bin/env python3
"""One vocabulary (issue 15 item 5, kmemkit-stream(5) KEYS): a key that two tools print means one
thing, in one unit and one format.  For each board, the `--kv` field lines of vmlayout, bootmem,
buddyctl info, va2pa (of the board's first lowmem address) and kmapsim show are collected; then
  * a key two tools print has the same value in both (the same board, the same quantity);
  * a pfn (`pfn`, `*_pfn`, `*.start_pfn`...) is "0x" hex (or null), in every tool;
  * a size (`*_size`, `*_bytes`) is decimal bytes;
  * an address (`pa`, `va`, `*_start`, `*_end`, `*_base`, `high_memory`, `task_size`) is "0x" and
    eight hex digits or more (a physical address above 4 GB, an end at 4 GB);
  * a quantity two tools print under their own names (SYNONYMS: buddyctl info's zone records,
    kmapsim's pkmap_entries) agrees too, the zones matched by name (bootmem lists empty zones,
    buddyctl info does not, so zones.N is not the same zone in both).
Usage: kv_vocabulary.py BIN_DIR"""
import re
import subprocess
import sys

BOARDS = ["imx6q", "s3c6410", "pc-i386-pae", "pc-i386", "omap5912-osk", "qemu-virt-arm"]
# keys that name the tool's own record, not a quantity of the board
OWN = {"notes", "schema_version", "era", "rules"}
ADDRESSES = {"pa", "va", "high_memory", "task_size"}
# (tool, key) and (tool, key) that name one quantity; for zones.N.* the zone's name is the key
SYNONYMS = [
    (("buddyctl info", "start_pfn"), ("bootmem", "zone_start_pfn")),
    (("buddyctl info", "end_pfn"), ("bootmem", "zone_end_pfn")),
    (("buddyctl info", "present"), ("bootmem", "present_pages")),
    (("kmapsim show", "pkmap_entries"), ("vmlayout", "last_pkmap")),   # LAST_PKMAP
]


def by_zone(fields, name_key):
    """zones.N.KEY field lines as {zone name: {KEY: value}}"""
    rows = {}
    for k, v in fields.items():
        m = re.fullmatch(r"zones\.(\d+)\.(\w+)", k)
        if m:
            rows.setdefault(m.group(1), {})[m.group(2)] = v
    return {r[name_key]: r for r in rows.values() if name_key in r}


def kv(bin_dir, args):
    out = subprocess.run([f"{bin_dir}/{args[0]}"] + args[1:], capture_output=True, text=True)
    if out.returncode != 0:
        sys.exit(f"kv_vocabulary: {' '.join(args)}: exit {out.returncode}: {out.stderr.strip()}")
    fields = {}
    for line in out.stdout.splitlines():
        if ": " in line:
            k, v = line.split(": ", 1)
            fields[k] = v
    return fields


def main():
    bin_dir = sys.argv[1]
    fail = 0
    checked = 0
    for board in BOARDS:
        tools = {
            "vmlayout": kv(bin_dir, ["vmlayout", "-p", board, "--kv"]),
            "bootmem": kv(bin_dir, ["bootmem", "-p", board, "--kv"]),
            "buddyctl info": kv(bin_dir, ["buddyctl", "-p", board, "info", "--kv"]),
        }
        first = tools["vmlayout"]["page_offset"]
        tools["va2pa"] = kv(bin_dir, ["va2pa", "-p", board, "--kv", first])
        tools["kmapsim show"] = kv(bin_dir, ["kmapsim", "-p", board, "show", "--kv"])
        keys = {}
        for tool, fields in tools.items():
            for k, v in fields.items():
                keys.setdefault(k, {})[tool] = v
                leaf = k.rsplit(".", 1)[-1]
                if (leaf == "pfn" or leaf.endswith("_pfn")) and v != "null" and not re.fullmatch(r"0x[0-9a-f]+", v):
                    print(f"FAIL: {board}: {tool} prints the pfn {k} as '{v}' (the vocabulary: 0x hex)")
                    fail = 1
                # task_size is TASK_SIZE, the address where user space ends: an address, as the kernel names it
                if (leaf.endswith("_size") or leaf.endswith("_bytes")) and leaf != "task_size" and v != "null" \
                        and not re.fullmatch(r"[0-9]+", v):
                    print(f"FAIL: {board}: {tool} prints the size {k} as '{v}' (the vocabulary: decimal bytes)")
                    fail = 1
                if (leaf in ADDRESSES or leaf.endswith(("_start", "_end", "_base"))) and v != "null" \
                        and not re.fullmatch(r"0x[0-9a-f]{8,}", v):
                    print(f"FAIL: {board}: {tool} prints the address {k} as '{v}' (the vocabulary: 0x%08x)")
                    fail = 1
        zones = {"buddyctl info": by_zone(tools["buddyctl info"], "zone"), "bootmem": by_zone(tools["bootmem"], "name")}
        for (ta, ka), (tb, kb) in SYNONYMS:
            if ta in zones and tb in zones:
                pairs = [(f"{z}.{ka}", r.get(ka), f"{z}.{kb}", zones[tb].get(z, {}).get(kb))
                         for z, r in zones[ta].items()]
                if not pairs:
                    print(f"FAIL: {board}: {ta} prints no zone")
                    fail = 1
            else:
                pairs = [(ka, tools[ta].get(ka), kb, tools[tb].get(kb))]
            for a_key, a, b_key, b in pairs:
                if b == "null" and a == "0":   # no LAST_PKMAP without CONFIG_HIGHMEM: kmapsim has no entries
                    continue
                checked += 1
                if a is None or a != b:
                    print(f"FAIL: {board}: {ta} {a_key}: {a} but {tb} {b_key}: {b}")
                    fail = 1
        for k, by_tool in keys.items():
            if len(by_tool) < 2 or k.split(".", 1)[0] in OWN:
                continue
            checked += 1
            if len(set(by_tool.values())) > 1:
                print(f"FAIL: {board}: '{k}' differs between tools: {by_tool}")
                fail = 1
    if not fail:
        print(f"ok: {checked} keys printed by two tools agree on {len(BOARDS)} boards; pfns hex, sizes decimal, addresses 0x%08x")
    return fail


if __name__ == "__main__":
    sys.exit(main())
