#!/usr/bin/env python3
"""Checks the pictures of `vmlayout --svg` (linear and --log-scale) and
`vmlayout --diagram` against `vmlayout --json` and `bootmem --json` for the
same board.

For every region of the JSON: one box, in address order from the top, whose
name, size and <title> are the region's; every boundary text is the address
where the region above starts and the region below ends (the top one is the
last byte, 0xffffffff); the boxes tile the bar; heights are in proportion to
the size (or to log2(size / 4 kB) + 1) except boxes drawn enlarged (dashed in
the SVG, ':' sides in the diagram), whose proportional share is under the
minimum height.

The title facts (RAM, lowmem, HighMem, dropped, command line, the kernel's
messages) are the JSON's; the physical column holds, bottom-up, every piece
of RAM as the kernel splits it: its lowmem and HighMem pieces are the present
pfn ranges of bootmem's zones (non-highmem and highmem), its dropped pieces
the JSON's dropped_banks, the RAM mem= leaves out is the board's RAM without
mem= less what the kernel was given, and holes (no RAM, 24 px) fill the rest
up to 4 GB at least; RAM heights are in proportion to size (minimum 16 px);
each lowmem piece has a linear-map polygon from its virtual addresses in the
lowmem box to its box.  The diagram's physical column has the same boxes.

usage: map_check.py BIN_DIR
"""
import json
import math
import re
import shlex
import subprocess
import sys
import xml.etree.ElementTree as ET

SVG = '{http://www.w3.org/2000/svg}'
HEIGHT, MIN_H, HOLE_H = 1000.0, 16.0, 24.0   # svg.cpp: bar height, minimum box, hole box
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
    "-p s3c6410 --cmdline mem=128M",
    "-p imx6q --cmdline 'mem=768M vmalloc=400M'",
    "-p pc-i386 --highmem off",
]

failures = []


def fail(board, what):
    failures.append('%s: %s' % (board, what))


def run(bin_dir, args, tool='vmlayout'):
    r = subprocess.run([bin_dir + '/' + tool] + args, capture_output=True, text=True)
    if r.returncode != 0:
        raise SystemExit(tool + ' %s: exit %d: %s' % (' '.join(args), r.returncode, r.stderr))
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
    top = float(rects[0].get('y'))
    boxes, y = [], top
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
    if abs(y - (top + HEIGHT)) > 0.5:
        fail(board, 'the boxes end at y=%.1f, not %.1f' % (y, top + HEIGHT))
    check_proportions(board, boxes, log_scale, MIN_H, 0.11)


def check_diagram(board, regions, text, rows, log_scale):
    lines = text.splitlines()
    lines = lines[:lines.index(next(s for s in lines if s.startswith('Physical memory:')))]
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


def merged(ranges):
    """(start, end) ranges by address, touching ones joined"""
    out = []
    for a, b in sorted(ranges):
        if out and out[-1][1] == a:
            out[-1] = (out[-1][0], b)
        else:
            out.append((a, b))
    return out


def subtract(ranges, cut):
    out = []
    for a, b in ranges:
        for c, d in cut:
            if d <= a or c >= b:
                continue
            if c > a:
                out.append((a, c))
            a = max(a, d)
        if a < b:
            out.append((a, b))
    return out


def within(pieces, spans):
    return all(any(c <= a and b <= d for c, d in spans) for a, b in pieces)


def want_phys(board, layout, described, boot):
    """the physical boxes, bottom-up, as (kind, start, end), from the JSON's banks, checked against
    bootmem's numbers: lowmem runs from ram_start_pfn to lowmem_end_pfn inside the non-highmem
    zones, HighMem from there to ram_end_pfn inside the highmem zones"""
    banks = lambda key: merged([(b['start'], b['start'] + b['size']) for b in layout[key] if b['size']])
    low, high, dropped = banks('lowmem_banks'), banks('highmem_banks'), banks('dropped_banks')
    spans = lambda hi: merged([(z['zone_start_pfn'] << 12, z['zone_end_pfn'] << 12)
                               for z in boot['zones'] if z['highmem'] == hi and z['zone_end_pfn'] > z['zone_start_pfn']])
    if low[0][0] != boot['ram_start_pfn'] << 12 or low[-1][1] != boot['lowmem_end_pfn'] << 12 or not within(low, spans(False)):
        fail(board, 'lowmem pieces %r, bootmem: RAM from pfn %#x, lowmem to %#x, zones %r' % (
            low, boot['ram_start_pfn'], boot['lowmem_end_pfn'], spans(False)))
    if high and (high[-1][1] != boot['ram_end_pfn'] << 12 or not within(high, spans(True))):
        fail(board, 'HighMem pieces %r, bootmem: RAM to pfn %#x, zones %r' % (high, boot['ram_end_pfn'], spans(True)))
    if sum(b - a for a, b in high) != sum(r['pages'] for z in boot['zones'] if z['highmem'] for r in z['present_ranges']) << 12:
        fail(board, 'HighMem pieces %r are not bootmem\'s present HighMem pages' % high)
    pieces = [('lowmem', a, b) for a, b in low] + [('highmem', a, b) for a, b in high]
    pieces += [('dropped', a, b) for a, b in dropped]
    pieces += [('excluded', a, b) for a, b in merged(subtract(described, merged(low + high + dropped)))]
    out, at = [], 0
    for kind, a, b in sorted(pieces, key=lambda p: p[1]):
        if a > at:
            out.append(('hole', at, a))
        if out and out[-1][0] == kind and out[-1][2] == a:
            out[-1] = (kind, out[-1][1], b)
        else:
            out.append((kind, a, b))
        at = b
    if at < FOUR_GB:
        out.append(('hole', at, FOUR_GB))
    return out


LABEL = {'lowmem': 'lowmem', 'highmem': 'HighMem', 'dropped': 'dropped', 'excluded': 'not given', 'hole': 'no RAM'}


def want_facts(layout, described):
    total = sum(b - a for a, b in described)
    given = sum(b['size'] for k in ('lowmem_banks', 'highmem_banks', 'dropped_banks') for b in layout[k])
    none = lambda v: human(v) if v else 'none'
    ram = 'RAM %s (%s)' % (human(total), ', '.join('%s at %s' % (human(b - a), hex32(a)) for a, b in described))
    if given < total:
        ram += ', %s of it not given to the kernel (mem=)' % human(total - given)
    facts = ['%s: lowmem %s, HighMem %s, dropped %s' % (ram, human(layout['lowmem_size']), none(layout['highmem_size']),
                                                       none(layout['dropped_size']))]
    facts.append('command line: ' + (layout['cmdline'] or '(empty)'))
    return facts + ['kernel: ' + m['text'] for m in layout['kernel_messages']]


def check_svg_phys(board, layout, want, facts, svg_text):
    root = ET.fromstring(svg_text)
    got_facts = [e.text for e in root.iter(SVG + 'text') if e.get('class') == 'fact']
    if got_facts != facts:
        fail(board, 'title facts %r, want %r' % (got_facts, facts))
    title = next(e.text for e in root.iter(SVG + 'text') if e.get('class') == 'title')
    if not title.startswith(layout['profile'] + ' — Linux ' + layout['kernel']):
        fail(board, 'title %r' % title)
    rects = [e for e in root.iter(SVG + 'rect') if e.get('class') == 'phys']
    bounds = [e for e in root.iter(SVG + 'text') if e.get('class') == 'phys-boundary']
    names = [e.text for e in root.iter(SVG + 'text') if e.get('class') == 'phys-name']
    top_down = list(reversed(want))
    if len(rects) != len(top_down) or len(bounds) != len(rects) + 1:
        fail(board, 'physical column: %d boxes, %d boundaries for %r' % (len(rects), len(bounds), top_down))
        return
    top = float([e for e in root.iter(SVG + 'rect') if e.get('class') == 'region'][0].get('y'))
    y, ram, box_y = top, [], {}
    if bounds[0].text != hex32(top_down[0][2] - 1):
        fail(board, 'physical top boundary %r, want %s' % (bounds[0].text, hex32(top_down[0][2] - 1)))
    for i, ((kind, a, b), rect) in enumerate(zip(top_down, rects)):
        ry, rh = float(rect.get('y')), float(rect.get('height'))
        t = rect.find(SVG + 'title').text
        want_t = '%s: %s - %s (%s)' % (LABEL[kind], hex32(a), hex32(b), human(b - a))
        if rect.get('data-kind') != kind or t != want_t or names[i] != LABEL[kind]:
            fail(board, 'physical box %d: %s %r %r, want %s %r' % (i, rect.get('data-kind'), t, names[i], kind, want_t))
        if abs(ry - y) > 0.11:
            fail(board, 'physical box %r starts at y=%.1f, the one above ends at %.1f' % (want_t, ry, y))
        if bounds[i + 1].text != hex32(a) or abs(float(bounds[i + 1].get('y')) - (ry + rh)) > 0.11:
            fail(board, 'physical boundary %r, want %s' % (bounds[i + 1].text, hex32(a)))
        if kind == 'hole':
            if abs(rh - HOLE_H) > 0.11:
                fail(board, 'hole %r is %.1f px, not %s' % (want_t, rh, HOLE_H))
        else:
            ram.append(({'name': want_t, 'size': b - a}, rh, rect.get('stroke-dasharray') is not None))
        box_y[(a, b)] = (ry, ry + rh)
        y = ry + rh
    if abs(y - (top + HEIGHT)) > 0.5:
        fail(board, 'the physical boxes end at y=%.1f, not %.1f' % (y, top + HEIGHT))
    check_proportions(board + ' (physical)', ram, False, MIN_H, 0.11)
    # the linear map: from __va(start) .. __va(end) in the lowmem box to the lowmem piece
    low = next(e for e in root.iter(SVG + 'rect') if e.get('class') == 'region' and e.find(SVG + 'title').text.startswith('lowmem:'))
    ly, lh = float(low.get('y')), float(low.get('height'))
    lo, hi = layout['page_offset'], layout['high_memory']
    polys = [e for e in root.iter(SVG + 'polygon') if e.get('class') == 'linear-map']
    lows = [(a, b) for kind, a, b in want if kind == 'lowmem']
    if len(polys) != len(lows):
        fail(board, '%d linear-map polygons for %d lowmem pieces' % (len(polys), len(lows)))
        return
    for poly, (a, b) in zip(polys, reversed(lows)):
        pts = [tuple(map(float, p.split(','))) for p in poly.get('points').split()]
        va = lambda pa: pa - layout['phys_offset'] + lo
        vy = lambda v: ly + (hi - v) / (hi - lo) * lh
        p0, p1 = box_y[(a, b)]
        want_pts = [vy(va(b)), vy(va(b)), p0, p0, p1, p1, vy(va(a)), vy(va(a))]
        if any(abs(g[1] - w) > 0.11 for g, w in zip(pts, want_pts)) or pts[0][0] != 320 or pts[3][0] != 960:
            fail(board, 'linear map of %s-%s: points %r, want y %r' % (hex32(a), hex32(b), pts, want_pts))


def check_diagram_phys(board, want, facts, text):
    lines = text.splitlines()
    if lines[1:1 + len(facts)] != facts:
        fail(board, 'diagram facts %r, want %r' % (lines[1:1 + len(facts)], facts))
    lines = lines[lines.index(next(s for s in lines if s.startswith('Physical memory:'))):]
    bar = [i for i, s in enumerate(lines) if re.fullmatch(r' *0x[0-9a-f]{8,} \+-+\+', s)]
    top_down = list(reversed(want))
    labels = []
    for i in range(len(bar) - 1):
        labels += [m.group(1).strip() for m in (re.match(r' {11} [|:~] (.{26}) [|:~]', s) for s in lines[bar[i] + 1:bar[i + 1]]) if m and m.group(1).strip()]
    got = [lines[i].split()[0] for i in bar]
    want_b = [hex32(top_down[0][2] - 1)] + [hex32(a) for _, a, _ in top_down]
    want_l = [('%s %s' % (LABEL[k], human(b - a)))[:26] for k, a, b in top_down]
    if got != want_b or labels != want_l:
        fail(board, 'diagram physical column: boundaries %r labels %r, want %r %r' % (got, labels, want_b, want_l))


def main():
    bin_dir = sys.argv[1]
    for board in BOARDS:
        args = shlex.split(board)
        layout = json.loads(run(bin_dir, args + ['--json']))
        regions = layout['regions']
        check_regions_tile(board, regions)
        boot = json.loads(run(bin_dir, args + ['--json'], 'bootmem'))
        # the board's RAM before mem=: what the kernel is given with a command line without one
        bare = [a for i, a in enumerate(args) if a != '--cmdline' and (i == 0 or args[i - 1] != '--cmdline')]
        bare += ['--cmdline', 'console=tty0']
        plain = json.loads(run(bin_dir, bare + ['--json']))
        described = merged([(b['start'], b['start'] + b['size']) for k in ('lowmem_banks', 'highmem_banks', 'dropped_banks')
                            for b in plain[k]])
        want, facts = want_phys(board, layout, described, boot), want_facts(layout, described)
        check_svg_phys(board, layout, want, facts, run(bin_dir, args + ['--svg', '-']))
        check_diagram_phys(board, want, facts, run(bin_dir, args + ['--diagram']))
        for log_scale in (False, True):
            extra = ['--log-scale'] if log_scale else []
            name = board + (' --log-scale' if log_scale else '')
            check_svg(name + ' --svg', regions, run(bin_dir, args + ['--svg', '-'] + extra), log_scale)
            for rows in (8, 24, 48):
                check_diagram('%s --diagram --rows %d' % (name, rows), regions,
                              run(bin_dir, args + ['--diagram', '--rows', str(rows)] + extra), rows, log_scale)
    for f in failures:
        print('FAIL', f)
    print('%d boards, SVG linear and log, diagram at 8/24/48 rows, physical columns: %d failures' % (len(BOARDS), len(failures)))
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())
