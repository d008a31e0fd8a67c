#!/bin/bash
# Renders `vmlayout --svg` in a real browser (headless Chromium) and checks
# the PNG: the expected size, not blank, several region colours, and the
# physical column's colours where the board has that RAM: HighMem (#76a5af),
# dropped (#e06666, a 512 MB S3C6410 is not drawn as a 256 MB one), left out
# by mem= (#cccccc), and the linear map (lowmem #93c47d at 35% on white).
# Exit 77 (ctest SKIP) when chromium or python3 is not installed.
set -u
bin=$1
browser=$(command -v chromium || command -v chromium-browser || true)
[ -n "$browser" ] || { echo "chromium not installed: skipped"; exit 77; }
command -v python3 >/dev/null || { echo "python3 not installed: skipped"; exit 77; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
# board | colours that must be drawn (at least 2000 pixels each: the smallest box, 16 x 170 px, has
# 2720) | colours that must not (under 1500 pixels: anti-aliased text may have a few)
while IFS='|' read -r args want none; do
  eval "argv=($args)"
  "$bin/vmlayout" "${argv[@]}" --svg "$tmp/map.svg" </dev/null || { echo "vmlayout $args --svg failed"; exit 1; }
  grep -q '<svg xmlns="http://www.w3.org/2000/svg"' "$tmp/map.svg" || { echo "not an SVG"; exit 1; }
  rm -f "$tmp/out.png"
  timeout 120 "$browser" --headless --no-sandbox --disable-gpu --no-first-run --disable-background-networking \
    --disable-component-update --disable-sync --user-data-dir="$tmp/profile" --screenshot="$tmp/out.png" \
    --window-size=1480,1250 "file://$tmp/map.svg" </dev/null >"$tmp/log" 2>&1
  [ -s "$tmp/out.png" ] || { echo "chromium wrote no PNG for: $args"; cat "$tmp/log"; exit 1; }
  python3 - "$tmp/out.png" "$args" "$want" "$none" <<'PY' || fail=1
import struct, sys, zlib
path, what = sys.argv[1], sys.argv[2]
want, none = sys.argv[3].split(), sys.argv[4].split()
data = open(path, 'rb').read()
assert data[:8] == b'\x89PNG\r\n\x1a\n', 'not a PNG'
pos, idat, w = 8, b'', 0
while pos < len(data):
    n, typ = struct.unpack('>I4s', data[pos:pos + 8]); body = data[pos + 8:pos + 8 + n]; pos += 12 + n
    if typ == b'IHDR': w, h, depth, ctype = struct.unpack('>IIBB', body[:10])
    elif typ == b'IDAT': idat += body
assert depth == 8 and ctype in (2, 6), 'unexpected PNG format %d/%d' % (depth, ctype)
bpp = 3 if ctype == 2 else 4
raw, stride = zlib.decompress(idat), w * bpp
prev, rows, i = bytearray(stride), [], 0
for y in range(h):
    f = raw[i]; line = bytearray(raw[i + 1:i + 1 + stride]); i += 1 + stride
    for x in range(stride):
        a = line[x - bpp] if x >= bpp else 0; b = prev[x]; c = prev[x - bpp] if x >= bpp else 0
        if f == 1: line[x] = (line[x] + a) & 255
        elif f == 2: line[x] = (line[x] + b) & 255
        elif f == 3: line[x] = (line[x] + (a + b) // 2) & 255
        elif f == 4:
            p = a + b - c; pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
            line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
    rows.append(bytes(line)); prev = line
colours, nonwhite, count = set(), 0, {}
for r in rows:
    for x in range(0, stride, bpp):
        px = r[x:x + 3]
        colours.add(px)
        count[px] = count.get(px, 0) + 1
        if px != b'\xff\xff\xff': nonwhite += 1
share = nonwhite / (w * h)
def pixels(c):   # within 3 of the colour (anti-aliasing aside)
    rgb = bytes.fromhex(c)
    return sum(n for px, n in count.items() if all(abs(a - b) <= 3 for a, b in zip(px, rgb)))
print('%s: %dx%d PNG, %d colours, %.1f%% non-white; %s' % (what, w, h, len(colours), 100 * share,
      ', '.join('#%s %d px' % (c, pixels(c)) for c in want + none)))
ok = (w, h) == (1480, 1250) and len(colours) >= 8 and 0.10 < share < 0.90
if not ok: print('FAIL: blank or wrong picture')
for c in want:
    if pixels(c) < 2000: print('FAIL: #%s is not drawn' % c); ok = False
for c in none:
    if pixels(c) >= 1500: print('FAIL: #%s is drawn, the board has no such RAM' % c); ok = False
sys.exit(0 if ok else 1)
PY
done <<'BOARDS'
-p s3c6410|93c47d d9ead2|e06666 76a5af cccccc
-p s3c6410 --mem 512M|93c47d d9ead2 e06666|76a5af cccccc
-p imx6q|93c47d d9ead2 76a5af|e06666 cccccc
-p pc-i386 --highmem off|93c47d e06666|76a5af cccccc
-p pc-i386-pae --log-scale|93c47d 76a5af|e06666 cccccc
-p s3c6410 --cmdline 'mem=128M vmalloc=400M'|93c47d d9ead2 cccccc e06666|76a5af
-p qemu-virt-arm --cmdline vmalloc=400M|93c47d 76a5af|e06666 cccccc
BOARDS
exit $fail
