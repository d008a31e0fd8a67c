#!/bin/bash
# Renders `vmlayout --svg` in a real browser (headless Chromium) and checks
# the PNG: the expected size, not blank, several region colours.
# Exit 77 (ctest SKIP) when chromium or python3 is not installed.
set -u
bin=$1
browser=$(command -v chromium || command -v chromium-browser || true)
[ -n "$browser" ] || { echo "chromium not installed: skipped"; exit 77; }
command -v python3 >/dev/null || { echo "python3 not installed: skipped"; exit 77; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
for args in "-p s3c6410 --mem 512M" "-p pc-i386-pae --log-scale" "-p qemu-virt-arm --cmdline vmalloc=400M"; do
  # shellcheck disable=SC2086
  "$bin/vmlayout" $args --svg "$tmp/map.svg" || { echo "vmlayout $args --svg failed"; exit 1; }
  grep -q '<svg xmlns="http://www.w3.org/2000/svg"' "$tmp/map.svg" || { echo "not an SVG"; exit 1; }
  rm -f "$tmp/out.png"
  timeout 120 "$browser" --headless --no-sandbox --disable-gpu --no-first-run --disable-background-networking \
    --disable-component-update --disable-sync --user-data-dir="$tmp/profile" --screenshot="$tmp/out.png" \
    --window-size=800,1200 "file://$tmp/map.svg" >"$tmp/log" 2>&1
  [ -s "$tmp/out.png" ] || { echo "chromium wrote no PNG for: $args"; cat "$tmp/log"; exit 1; }
  python3 - "$tmp/out.png" "$args" <<'PY' || fail=1
import struct, sys, zlib
path, what = sys.argv[1], sys.argv[2]
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
colours, nonwhite = set(), 0
for r in rows:
    for x in range(0, stride, bpp):
        px = r[x:x + 3]
        colours.add(px)
        if px != b'\xff\xff\xff': nonwhite += 1
share = nonwhite / (w * h)
print('%s: %dx%d PNG, %d colours, %.1f%% non-white' % (what, w, h, len(colours), 100 * share))
ok = (w, h) == (800, 1200) and len(colours) >= 8 and 0.10 < share < 0.90
if not ok: print('FAIL: blank or wrong picture')
sys.exit(0 if ok else 1)
PY
done
exit $fail
