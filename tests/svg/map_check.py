#!/usr/bin/env python3
"""Checks the pictures of `vmlayout --svg` (linear and --log-scale) and
`vmlayout --diagram` against `vmlayout --json` for the same board.

For every region of the JSON: one box, in address order from the top, whose
name, size and <title> are the region's; every boundary text is the address
where the region above starts and the region below ends (the top one is the
last byte, 0xffffffff); the boxes tile the bar; heights are in proportion to
the size (or to log2(size / 4 kB) + 1) except boxes drawn enlarged (dashed in
the SVG, ':' sides in the diagram), whose proportional share is under the
minimum height.

usage: map_check.py BIN_DIR
"""
import json
import math
import re
import subprocess
import sys
import xml.etree.ElementTree as ET

SVG = '{http://www.w3.org/2000/svg}'
TOP, HEIGHT, MIN_H = 70.0, 1000.0, 16.0   # svg.cpp: bar top, bar height, minimum box
FOUR_GB = 1 << 32

# boards: every era and arch, RAM truncated (s3c6410 512M), highmem, PAE, vmalloc=, VMSPLIT
BOARDS = [
    "-p omap5912-osk",
    "-p s3c6410",
    "-p s3c6410 --mem 512M",
    "-p realview --cmdline vmalloc=8M",
    "-p beaglebone",
    "-p imx6q --vmsplit 2G",
    "-p qemu-virt-arm --cmdline vmalloc=400M",
    "-p qemu-virt-arm-lpae",
    "-p pc-i386",
    "-p pc-i386 --mem 4G",
    "-p pc-i386-pae",
    "-p qemu-pc-i386",
    "-p qemu-pc-i386-pae",
]

failures = []


def fail(board, what):
    failures.append('%s: %s' % (board, what))


def run(bin_dir, args):
    r = subprocess.run([bin_dir + '/vmlayout'] + args, capture_output=True, text=True)
    if r.returncode != 0:
        raise SystemExit('vmlayout %s: exit %d: %s' % (' '.join(args), r.returncode, r.stderr))
    return r.stdout


def hex32(a):
    return '0x%08x' % a if a < FOUR_GB else '0x%09x' % a


def boundary(a):
    return '0xffffffff' if a == FOUR_GB else hex32(a)


def human(b):   # number.cpp human_size()
    for shift, unit in ((30, 'GB'), (20, 'MB'), (10, 'kB')):
        if b % (1 << shift) == 0:
            return '%d %s' % (b >> shift, unit)
    return '%d B' % b


def weight(size, log_scale):
    return math.log2(max(size, 4096) / 4096) + 1 if log_scale else float(size)


def check_proportions(board, boxes, log_scale, minimum, tol):
    """boxes: (region, height, enlarged), top-down."""
    scaled = [(r, h) for r, h, e in boxes if not e]
    if not scaled:   # more boxes than room: every one at the minimum
        for r, h, e in boxes:
            if abs(h - minimum) > tol:
                fail(board, '%s: %.2f tall, every box should be at the minimum %s' % (r['name'], h, minimum))
        return
    k = sum(h for _, h in scaled) / sum(weight(r['size'], log_scale) for r, _ in scaled)
    for r, h, e in boxes:
        share = k * weight(r['size'], log_scale)
        if e:
            if abs(h - minimum) > tol:
                fail(board, '%s: enlarged box %.2f tall, not the minimum %s' % (r['name'], h, minimum))
            if share >= minimum:
                fail(board, '%s: enlarged although its share %.2f is at least %s' % (r['name'], share, minimum))
        elif abs(h - share) > tol:
            fail(board, '%s: height %.2f, its share is %.2f' % (r['name'], h, share))


def check_regions_tile(board, regions):
    if regions[0]['start'] != 0 or regions[-1]['end'] != FOUR_GB:
        fail(board, 'the JSON regions do not cover 0 .. 4 GB')
    for a, b in zip(regions, regions[1:]):
        if a['end'] != b['start']:
            fail(board, 'JSON regions %s and %s do not meet' % (a['name'], b['name']))


def check_svg(board, regions, svg_text, log_scale):
    root = ET.fromstring(svg_text)
    rects = [e for e in root.iter(SVG + 'rect') if e.get('class') == 'region']
    texts = {c: [e for e in root.iter(SVG + 'text') if e.get('class') == c] for c in ('boundary', 'name', 'size')}
    top_down = list(reversed(regions))
    if len(rects) != len(top_down):
        fail(board, '%d boxes for %d regions' % (len(rects), len(top_down)))
        return
    if len(texts['boundary']) != len(rects) + 1:
        fail(board, '%d boundary labels for %d boxes' % (len(texts['boundary']), len(rects)))
        return
    boxes, y = [], TOP
    for i, (r, rect) in enumerate(zip(top_down, rects)):
        ry, rh = float(rect.get('y')), float(rect.get('height'))
        if abs(ry - y) > 0.11:
            fail(board, '%s: box starts at y=%.1f, the box above ends at %.1f' % (r['name'], ry, y))
        title = rect.find(SVG + 'title').text
        want = '%s: %s - %s (%s)' % (r['name'], hex32(r['start']), boundary(r['end']), human(r['size']))
        if title != want:
            fail(board, 'title %r, want %r' % (title, want))
        # the name inside the box, the size beside it, both at its middle
        for cls, want_text in (('name', r['name']), ('size', human(r['size']))):
            t = texts[cls][i]
            got = t.text if cls == 'name' else t.find(SVG + 'tspan').text
            if got != want_text or not ry < float(t.get('y')) < ry + rh:
                fail(board, '%s label %r at y=%s, want %r inside %.1f..%.1f' % (cls, got, t.get('y'), want_text, ry, ry + rh))
        # the boundary at the box's top is its end, the one at its bottom its start
        for t, yy, addr in ((texts['boundary'][i], ry, r['end']), (texts['boundary'][i + 1], ry + rh, r['start'])):
            if t.text != boundary(addr) or abs(float(t.get('y')) - yy) > 0.11:
                fail(board, '%s: boundary %r at y=%s, want %s at %.1f' % (r['name'], t.text, t.get('y'), boundary(addr), yy))
        boxes.append((r, rh, rect.get('stroke-dasharray') is not None))
        y = ry + rh
    if abs(y - (TOP + HEIGHT)) > 0.5:
        fail(board, 'the boxes end at y=%.1f, not %.1f' % (y, TOP + HEIGHT))
    check_proportions(board, boxes, log_scale, MIN_H, 0.11)


def check_diagram(board, regions, text, rows, log_scale):
    lines = text.splitlines()
    bar = [i for i, s in enumerate(lines) if re.fullmatch(r' *0x[0-9a-f]{8} \+-+\+', s)]
    top_down = list(reversed(regions))
    if len(bar) != len(top_down) + 1:
        fail(board, 'diagram: %d boundary lines for %d regions' % (len(bar), len(top_down)))
        return
    boxes = []
    for i, r in enumerate(top_down):
        above, below = lines[bar[i]].split()[0], lines[bar[i + 1]].split()[0]
        if above != boundary(r['end']) or below != boundary(r['start']):
            fail(board, 'diagram: %s between %s and %s, want %s and %s' % (r['name'], below, above, boundary(r['start']), boundary(r['end'])))
        body = lines[bar[i] + 1:bar[i + 1]]
        labels = [m.group(1).strip() for m in (re.match(r' {11} [|:] (.{26}) [|:]', s) for s in body) if m and m.group(1).strip()]
        want = ('%s %s' % (r['name'], human(r['size'])))[:26]
        if labels != [want]:
            fail(board, 'diagram: box labels %r, want [%r]' % (labels, want))
        sides = {s[12] for s in body}
        if len(body) < 1 or len(sides) != 1:
            fail(board, 'diagram: %s drawn with %d lines, sides %r' % (r['name'], len(body), sides))
            continue
        boxes.append((r, float(len(body)), sides == {':'}))
    if sum(h for _, h, _ in boxes) != max(rows, len(top_down)):
        fail(board, 'diagram: %d body lines, --rows %d' % (sum(h for _, h, _ in boxes), rows))
    # whole lines: each box is within one line of its share
    check_proportions(board, boxes, log_scale, 1.0, 1.0)


def main():
    bin_dir = sys.argv[1]
    for board in BOARDS:
        args = board.split()
        regions = json.loads(run(bin_dir, args + ['--json']))['regions']
        check_regions_tile(board, regions)
        for log_scale in (False, True):
            extra = ['--log-scale'] if log_scale else []
            name = board + (' --log-scale' if log_scale else '')
            check_svg(name + ' --svg', regions, run(bin_dir, args + ['--svg', '-'] + extra), log_scale)
            for rows in (8, 24, 48):
                check_diagram('%s --diagram --rows %d' % (name, rows), regions,
                              run(bin_dir, args + ['--diagram', '--rows', str(rows)] + extra), rows, log_scale)
    for f in failures:
        print('FAIL', f)
    print('%d boards, SVG linear and log, diagram at 8/24/48 rows: %d failures' % (len(BOARDS), len(failures)))
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())
