# awk -v input=IN -v tool=NAME -v allowed="map Node ..." -f check_lines.awk OUT
# Every input line must come out once, in order, as an output line equal to
# it or starting with it followed by a blank (the fields a filter appends; a
# CR before LF is dropped).  Other output lines are inserted lines: each must
# start with one of the words in `allowed` (what the tool documents inserting).
BEGIN {
  split(allowed, a, " "); for (w in a) ok[a[w]] = 1
  have = (getline cur < input) > 0; sub(/\r$/, "", cur); nin = have
}
{
  if (have && ($0 == cur || (cur != "" && index($0, cur " ") == 1))) {
    if ((getline cur < input) > 0) { sub(/\r$/, "", cur); nin++ } else have = 0
    next
  }
  w = $1; if (w == "") w = "(blank)"
  if (!(w in ok)) { printf "%s: output line %d is neither the next input line nor a documented insertion: %.120s\n", tool, NR, $0; bad = 1; exit 1 }
  ins[w]++; nins++
}
END {
  if (bad) exit 1
  if (have) { printf "%s: input line %d never came out: %.120s\n", tool, nin, cur; exit 1 }
  s = ""; for (w in ins) s = s sprintf(" %s:%d", w, ins[w])
  printf "%s: %d lines in, %d lines out = %d + %d inserted (%s )\n", tool, nin, NR, nin, nins, s
  if (NR != nin + nins) exit 1
}
