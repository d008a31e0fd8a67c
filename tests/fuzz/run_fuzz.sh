#!/bin/bash
# Builds the libFuzzer targets with clang in a build directory of their own
# and runs them.  Needs clang and libclang-rt-14-dev (Debian).
#
#   tests/fuzz/run_fuzz.sh [SECONDS] [TARGET...]     build in build-fuzz/ (or $FUZZ_BUILD_DIR), run each
#                                                    target SECONDS (60)
#   tests/fuzz/run_fuzz.sh --runs N [TARGET...]      run each target for N executions instead
#                                                    (the long run: --runs 10000000); with
#                                                    FUZZ_WORKERS=W, W processes share the corpus
#                                                    and run N/W each (one per core)
#   tests/fuzz/run_fuzz.sh --build-only DIR          configure + build the fuzzers in DIR (ctest's fuzz.build)
#   tests/fuzz/run_fuzz.sh --run-built BINDIR T S    run the built fuzz_T for S seconds (ctest's fuzz.T)
#   tests/fuzz/run_fuzz.sh --list                    the target names
#
# Exit status: 0 no finding, 1 a finding (the crashing input is saved as
# BUILD/findings/crash-*, reproduce with `BUILD/tests/fuzz/fuzz_T FILE`),
# 77 clang/libFuzzer unavailable (ctest SKIPs), 2 usage.
# Seeds: profiles/*.yaml, the boot-log fixtures and their command lines,
# tests/data/bad, stream fixtures (tests/cli/*/*/stdin, tests/data/traces),
# and tests/fuzz/seeds/, plus past findings in tests/fuzz/regressions/.  Dictionaries: tests/fuzz/dict/.
set -u
here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$here/../.." && pwd)

have_clang() {
  command -v clang++ >/dev/null 2>&1 || { echo "run_fuzz: clang++ not found: SKIP" >&2; return 1; }
  local t; t=$(mktemp -d)
  printf '#include <cstdint>\n#include <cstddef>\nextern "C" int LLVMFuzzerTestOneInput(const uint8_t*, size_t) { return 0; }\n' >"$t/f.cpp"
  if ! clang++ -fsanitize=fuzzer "$t/f.cpp" -o "$t/f" >/dev/null 2>&1; then
    rm -rf "$t"; echo "run_fuzz: clang++ cannot link libFuzzer (install libclang-rt-14-dev): SKIP" >&2; return 1
  fi
  rm -rf "$t"
}

build() {   # build DIR
  local dir=$1
  have_clang || return 77
  if [ ! -f "$dir/CMakeCache.txt" ]; then
    CC=clang CXX=clang++ cmake -S "$src" -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
      -DKMEMKIT_FUZZ=ON -DKMEMKIT_SANITIZE=OFF >"$dir.configure.log" 2>&1 \
      || { cat "$dir.configure.log" >&2; return 2; }
  else
    cmake "$dir" >/dev/null || return 2
  fi
  cmake --build "$dir" --target fuzzers -- -j"${FUZZ_JOBS:-2}" >"$dir.build.log" 2>&1 \
    || { tail -40 "$dir.build.log" >&2; return 2; }
}

# Prints the seed directories of target $1, filling $2/seeds/$1 first.
seeds() {
  local t=$1 out=$2/seeds/$1 f i
  rm -rf "$out"; mkdir -p "$out"
  case $t in
    number)
      cp "$here"/seeds/number/* "$out"/ 2>/dev/null
      i=0
      for f in $(cat "$src"/profiles/*.yaml | grep -oE '\b(0x[0-9a-fA-F]+|[0-9]+[KMGkmg]?)\b' | sort -u); do
        printf '%s' "$f" >"$out/p$((i++))"
      done ;;
    cmdline|vmlayout)
      cp "$here"/seeds/cmdline/* "$out"/ 2>/dev/null
      i=0
      { grep -h -o 'Kernel command line: .*' "$src"/tests/data/bootlogs/*.txt "$src"/tests/data/oracle/logs/*.log 2>/dev/null \
          | sed 's/^Kernel command line: //'
        grep -h '^cmdline:' "$src"/profiles/*.yaml | sed 's/^cmdline: *//; s/^"//; s/"$//'; } | sort -u |
      while IFS= read -r f; do printf '%s' "$f" >"$out/c$((i++))"; done
      if [ "$t" = vmlayout ]; then   # bytes 0-1: profile and overrides
        for f in "$out"/*; do
          for i in 0 3 6 9; do { printf "\\x0$i\\x00"; cat "$f"; } >"$f.$i"; done
          { printf '\x01\xd0'; cat "$f"; } >"$f.x"; rm -f "$f"
        done
      fi ;;
    profile)
      cp "$src"/profiles/*.yaml "$out"/
      cp "$src"/tests/data/bootlogs/*.yaml "$out"/ 2>/dev/null
      for f in "$src"/tests/data/bad/*.yaml; do [ -f "$f" ] && [ "$(stat -c %s "$f")" -lt 65536 ] && cp "$f" "$out/bad-$(basename "$f")"; done ;;
    dmesg)   # the real boot logs and the QEMU oracle's, as published
      for f in "$src"/tests/data/bootlogs/*.txt "$src"/tests/data/oracle/logs/*.log; do
        [ -f "$f" ] && [ "$(stat -c %s "$f")" -lt 65536 ] && cp "$f" "$out/"
      done ;;
    stream_line|tool_*)
      cp "$here"/seeds/stream_line/* "$out"/ 2>/dev/null
      i=0
      for f in "$src"/tests/cli/*/*/stdin "$src"/tests/data/traces/* "$src"/tests/data/streams/*; do
        [ -f "$f" ] && [ "$(stat -c %s "$f")" -lt 65536 ] && cp "$f" "$out/s$((i++))"
      done
      if [ "${t#tool_}" != "$t" ]; then   # byte 0: the profile
        for f in "$out"/*; do
          for i in 0 1 3 4; do { printf "\\x0$i"; cat "$f"; } >"$f.$i"; done; rm -f "$f"
        done
      fi ;;
  esac
  # inputs that once failed (tests/fuzz/regressions/TARGET/) stay in every run
  cp "$here"/regressions/"$t"/* "$out"/ 2>/dev/null
  echo "$out"
}

dict_of() {
  case $1 in
    number) echo "$here/dict/number.dict" ;;
    cmdline|vmlayout) echo "$here/dict/cmdline.dict" ;;
    profile) echo "$here/dict/profile.dict" ;;
    dmesg) echo "$here/dict/dmesg.dict" ;;
    *) echo "$here/dict/stream.dict" ;;
  esac
}

# run_one BUILD_DIR BIN_DIR TARGET LIMIT   (LIMIT: -max_total_time=S or -runs=N)
run_one() {
  local build=$1 bin=$2 t=$3 limit=$4
  local exe=$bin/fuzz_$t
  [ -x "$exe" ] || { echo "run_fuzz: $exe not built: SKIP" >&2; return 77; }
  local corpus=$build/corpus/$t seed; seed=$(seeds "$t" "$build")
  mkdir -p "$corpus" "$build/findings"
  local log=$build/logs/$t.log; mkdir -p "$build/logs"
  local start=$SECONDS
  # The long runs (--runs) record no allocation stacks (malloc_context_size=0: 15 % more
  # executions); a finding is reproduced from its saved input with full stacks.
  local ctx=""; case $limit in -runs=*) ctx="malloc_context_size=0:" ;; esac
  # FUZZ_WORKERS=W (a --runs run): W processes on the one corpus, each running N/W
  # inputs (libFuzzer -jobs/-workers; their logs are $log.job-K), the total reported.
  # The jobs write fuzz-K.log in their working directory: one of its own per target, so that
  # runs of two targets in one build directory keep their logs apart.
  local workers=${FUZZ_WORKERS:-1} par=() jobs=$build/logs/$t.jobs
  if [ "$workers" -gt 1 ] && [ "${limit#-runs=}" != "$limit" ]; then
    limit=-runs=$(( (${limit#-runs=} + workers - 1) / workers ))
    par=(-jobs="$workers" -workers="$workers")
    rm -rf "$jobs" "$log".job-*; mkdir -p "$jobs"
  fi
  ( [ ${#par[@]} -eq 0 ] || cd "$jobs"
    ASAN_OPTIONS=${ctx}detect_leaks=1:abort_on_error=1:allocator_may_return_null=1 \
    UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
      "$exe" "$limit" "${par[@]}" -timeout=10 -error_exitcode=1 -timeout_exitcode=1 -rss_limit_mb=2560 -max_len=16384 -print_final_stats=1 \
        -dict="$(dict_of "$t")" -artifact_prefix="$build/findings/$t-" \
        "$corpus" "$seed" >"$log" 2>&1 )
  local rc=$?
  if [ ${#par[@]} -gt 0 ]; then   # each job's log: fuzz-K.log in the working directory
    local k f; k=0
    for f in "$jobs"/fuzz-*.log; do [ -f "$f" ] && mv "$f" "$log.job-$((k++))"; done
    rmdir "$jobs" 2>/dev/null
    if grep -qE '^==[0-9]+==ERROR|FUZZ_CHECK failed|Test unit written' "$log".job-* 2>/dev/null; then rc=1; fi
  fi
  local logs=("$log"); [ ${#par[@]} -eq 0 ] || logs=("$log".job-*)   # the main log repeats the jobs' output
  local execs; execs=$(cat "${logs[@]}" 2>/dev/null | grep -oE 'stat::number_of_executed_units: *[0-9]+' | grep -oE '[0-9]+$' |
    awk '{ s += $1 } END { if (NR) print s }')
  printf 'fuzz_%s: %s executions in %ss, corpus %s, exit %s\n' "$t" "${execs:-?}" "$((SECONDS - start))" \
    "$(ls "$corpus" | wc -l)" "$rc"
  if [ $rc -ne 0 ]; then tail -60 "$log" >&2; return 1; fi
}

all_targets() {   # from the configured build
  ls "$1" 2>/dev/null | sed -n 's/^fuzz_\([a-z_]*\)$/\1/p'
}

dir=${FUZZ_BUILD_DIR:-$src/build-fuzz}
case ${1:-} in
  --list) build "$dir" || exit $?; all_targets "$dir/tests/fuzz"; exit 0 ;;
  --build-only) [ $# -eq 2 ] || exit 2; build "$2"; exit $? ;;
  --run-built)
    [ $# -eq 4 ] || exit 2
    bin=$2; build_dir=$(cd "$bin/../.." 2>/dev/null && pwd) || { echo "run_fuzz: $bin not built: SKIP" >&2; exit 77; }
    run_one "$build_dir" "$bin" "$3" "-max_total_time=$4"; exit $? ;;
esac

limit=-max_total_time=60
if [ "${1:-}" = --runs ]; then limit=-runs=$2; shift 2
elif [[ ${1:-} =~ ^[0-9]+$ ]]; then limit=-max_total_time=$1; shift
fi
build "$dir" || exit $?
targets=("$@")
[ ${#targets[@]} -gt 0 ] || mapfile -t targets < <(all_targets "$dir/tests/fuzz")
fail=0
for t in "${targets[@]}"; do run_one "$dir" "$dir/tests/fuzz" "$t" "$limit" || fail=1; done
exit $fail
