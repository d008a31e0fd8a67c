#!/usr/bin/env python3
"""Prints the schema of vmlayout --json (layout, sweep, from-dmesg) and fails
when two results of one kind differ in their keys, their key order, or the
type of a key (null is allowed beside one other type).  Run in tests/data
with vmlayout on PATH."""
import glob
import json
import subprocess
import sys

problems = []


def run(args, ok_status=(0,), cwd=None):
    r = subprocess.run(['vmlayout'] + args, capture_output=True, text=True, cwd=cwd)
    if r.returncode not in ok_status:
        return None
    try:
        return json.loads(r.stdout)
    except ValueError as e:
        problems.append('%s: not JSON: %s' % (' '.join(args), e))
        return None


def kind(v):
    return {type(None): 'null', bool: 'bool', int: 'number', float: 'number', str: 'string',
            list: 'array', dict: 'object'}[type(v)]


def walk(v, path, types, shapes, where):
    """types: path -> set of kinds; shapes: object path -> (key tuple, first place seen)."""
    types.setdefault(path, set()).add(kind(v))
    if isinstance(v, dict):
        keys = tuple(v)
        if path not in shapes:
            shapes[path] = (keys, where)
        elif shapes[path][0] != keys:
            a, b = set(shapes[path][0]), set(keys)
            problems.append('%s: %s keys differ from %s: only there %s, only here %s%s' % (
                where, path or '.', shapes[path][1], sorted(a - b), sorted(b - a),
                '' if a != b else ' (order differs)'))
        for k, x in v.items():
            walk(x, path + '.' + k, types, shapes, where)
    elif isinstance(v, list):
        for x in v:
            walk(x, path + '[]', types, shapes, where)


def report(name, results):
    types, shapes = {}, {}
    for where, v in results:
        walk(v, '', types, shapes, where)
    print('%s:' % name)
    for path in sorted(types):
        if not path:
            continue
        ks = types[path]
        if len(ks - {'null'}) > 1:
            problems.append('%s %s: several types %s' % (name, path, sorted(ks)))
        print('  %s: %s' % (path, '|'.join(sorted(ks, key=lambda k: (k == 'null', k)))))


profiles = [l.split()[0] for l in subprocess.run(['vmlayout', '--list-profiles'], capture_output=True,
                                                 text=True).stdout.splitlines()[1:]]
variants = [[], ['--explain'], ['--mem', '2G'], ['--mem', '3G'], ['--cmdline', 'mem=1G'],
            ['--cmdline', 'vmalloc=600M'], ['--cmdline', 'mem=900M vmalloc=300M'], ['--highmem', 'off']]
layouts, sweeps, checks = [], [], []
for p in profiles:
    for v in variants:
        args = ['-p', p] + v + ['--json']
        r = run(args)   # a board no kernel boots with is an error, not a result
        if r is not None:
            layouts.append((' '.join(args), r))
    for s in ('mem=64M..3G:320M', 'vmalloc=16M..1G:96M'):
        args = ['-p', p, '--sweep', s, '--json']
        r = run(args)
        if r is None:
            problems.append('%s: failed' % ' '.join(args))
        else:
            sweeps.append((' '.join(args), r))
refused = []   # logs --from-dmesg refuses (exit 2: no version, VMALLOC_END not shown): not a result
for log in sorted(glob.glob('bootlogs/*.txt') + glob.glob('oracle/logs/*.log')):
    args = ['--from-dmesg', log, '--json']
    r = run(args, (0, 1))
    if r is None:
        # an excerpt without "Linux version": with its profile (# kmemkit: -p FILE)
        opts = [l.split()[2:4] for l in open(log, errors='replace') if l.startswith('# kmemkit: -p ')]
        if opts:
            args = opts[0] + ['--from-dmesg', log.split('/')[-1], '--json']
            r = run(args, (0, 1), 'bootlogs')
    if r is None:
        refused.append(log)
    else:
        checks.append((' '.join(args), r))

if len(layouts) < 60 or not any(r['explain'] for _, r in layouts) \
        or not any(r['dropped_size'] for _, r in layouts) or not any(r['highmem_size'] for _, r in layouts):
    problems.append('too few layouts, or none with --explain, truncated RAM and highmem: %d' % len(layouts))
if len(checks) < 60:
    problems.append('only %d boot logs checked (%d refused)' % (len(checks), len(refused)))
if not any(row['error'] for _, r in sweeps for row in r['sweep']):
    problems.append('no sweep row that no kernel boots with')
report('vmlayout --json', layouts)
report('vmlayout --sweep --json', sweeps)
report('vmlayout --from-dmesg --json', checks)
for p in problems:
    print('PROBLEM', p)
sys.exit(1 if problems else 0)
