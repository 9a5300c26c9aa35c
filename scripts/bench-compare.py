#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Print the figures of two `make bench` runs side by side.

usage: bench-compare.py DEBUG.txt PRODUCTION.txt

Lines are matched by their words with the numbers taken out (a
benchmark's line says the same thing on both kernels); each number that
differs is shown as 'debug -> bench'.  A line seen on one kernel only is
printed with the kernel it came from.
"""

import re
import sys

NUM = re.compile(r'(?<![\w.])(\d+(?:\.\d+)?)(?![\w.])')


def key(line):
    return re.sub(r'\s+', ' ', NUM.sub('#', line)).strip()


def read(path):
    try:
        with open(path) as f:
            return [l.rstrip('\n') for l in f if l.strip()]
    except OSError as e:
        print(f'bench-compare: {e}', file=sys.stderr)
        return []


def merge(a, b):
    """Line b's text with each number shown as 'a -> b' where they differ."""
    na, nb = NUM.findall(a), NUM.findall(b)
    it = iter(zip(na, nb))

    def sub(m):
        x, y = next(it)
        return y if x == y else f'{x} -> {y}'
    return NUM.sub(sub, b)


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    debug, prod = read(sys.argv[1]), read(sys.argv[2])
    print('== make bench: debug kernel -> bench kernel (figures: debug -> bench) ==')
    for line in debug + prod:
        if line.startswith('kernel: '):
            print(line)
    pending = {}
    for line in prod:
        if not line.startswith('kernel: '):
            pending.setdefault(key(line), []).append(line)
    for line in debug:
        if line.startswith('kernel: '):
            continue
        match = pending.get(key(line))
        if match:
            print(merge(line, match.pop(0)))
        else:
            print(f'{line}   [debug kernel only]')
    for lines in pending.values():
        for line in lines:
            print(f'{line}   [bench kernel only]')
    return 0 if debug and prod else 1


if __name__ == '__main__':
    sys.exit(main())
