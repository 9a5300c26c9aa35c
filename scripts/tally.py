#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Turn the results of one `make check` into per-test lines and one tally.

Inputs: TAP files from the host's static tier, and the lab VM's results
directory (KUnit KTAP from debugfs, TAP from in-guest programs, harness
errors, kmemleak report, console log).  KTAP and TAP are parsed with the
kernel's own kunit_parser.  Besides the tests' own verdicts, a failure is:
the guest not reaching the end of its script (panic, oops, WARN, timeout),
any kernel splat on the console (BUG, WARNING incl. lockdep, KASAN, UBSAN,
hung task), or anything kmemleak reports.

The last line printed is 'N passed, N failed, N skipped'; the exit status is
1 when anything failed.
"""

import argparse
import io
import os
import re
import sys

SPLAT = re.compile(r'(Kernel panic - not syncing|BUG: |WARNING: |UBSAN: |'
                   r'general protection fault|Oops: |INFO: task .* blocked for more than|'
                   r'DEBUG_LOCKS_WARN_ON|kernel BUG at)')


def load_kunit_parser(kdir):
    sys.path.insert(0, os.path.join(kdir, 'tools/testing/kunit'))
    import kunit_parser
    import kunit_printer
    kunit_printer.stdout._output = io.StringIO()  # keep its chatter out
    return kunit_parser


class Tally:
    def __init__(self, kp):
        self.kp = kp
        self.passed = self.failed = self.skipped = 0
        self.failures = []

    def result(self, status, name, why=''):
        if status == 'PASS':
            self.passed += 1
        elif status == 'SKIP':
            self.skipped += 1
        else:
            self.failed += 1
            self.failures.append(name)
        print(f'{status:5} {name}' + (f'  ({why})' if why else ''))

    def tap(self, prefix, text):
        kp = self.kp
        lines = kp.extract_tap_lines(name_skipped_results(text.splitlines()))
        if not lines:
            self.result('FAIL', prefix, 'no TAP/KTAP output')
            return
        top = kp.parse_test(lines, 0, [], False)
        self.walk(prefix, top, top=True)

    def walk(self, prefix, test, top=False):
        kp = self.kp
        name = prefix if top else f'{prefix}/{test.name}'
        if test.subtests:
            for sub in test.subtests:
                self.walk(name, sub)
            if test.counts.errors and top:
                self.result('FAIL', name, 'malformed or incomplete results')
            return
        if top and test.status == kp.TestStatus.NO_TESTS:
            self.result('FAIL', name, 'ran no test')
        elif test.status == kp.TestStatus.SUCCESS:
            self.result('PASS', name)
        elif test.status == kp.TestStatus.SKIPPED:
            self.result('SKIP', name)
        elif test.status == kp.TestStatus.TEST_CRASHED:
            self.result('FAIL', name, 'crashed or never reported')
        else:
            self.result('FAIL', name)


RUN_LINE = re.compile(r'^#\s+RUN\s+(\S+) \.\.\.$')
NAMELESS = re.compile(r'^(\s*(?:not )?ok [0-9]+) (# .*)$')


def name_skipped_results(lines):
    """Give nameless result lines the name of the test that ran.

    The 6.1 kselftest harness prints a skipped test as 'ok N # SKIP reason',
    without its name, which kunit_parser cannot read; the name is on the
    preceding '#  RUN name ...' line.
    """
    running = 'unnamed'
    for line in lines:
        m = RUN_LINE.match(line)
        if m:
            running = m.group(1)
        m = NAMELESS.match(line)
        yield f'{m.group(1)} {running} {m.group(2)}' if m else line


RESULT_LINE = re.compile(r'^(\s*)(?:not )?ok [0-9]+ (?:- )?([^#]*?)\s*(?:#.*)?$')


def indent(line):
    return len(line) - len(line.lstrip())


def add_param_headers(lines):
    """Restore the subtest header of each parameterised KUnit case.

    In 6.1 the debugfs results of a suite carry a parameterised case's
    per-parameter results but not the 'KTAP version 1 / # Subtest: case /
    1..N' lines that open them (those only reach the console), so
    kunit_parser reads the parameters as stray tests.  Put the header back:
    a run of results indented deeper than the case result that closes it.
    """
    out, block, level = [], [], None
    for line in lines:
        if '# Subtest:' in line:
            level = indent(line)
        m = RESULT_LINE.match(line)
        if m and level is not None and indent(line) > level:
            block.append(line)
            continue
        if block and m:
            pad = ' ' * indent(block[0])
            nres = sum(1 for b in block if RESULT_LINE.match(b) and indent(b) == len(pad))
            out += [pad + 'KTAP version 1', pad + '# Subtest: ' + m.group(2), f'{pad}1..{nres}']
            out += block
            block = []
        elif block:
            block.append(line)
            continue
        if m and level is not None and indent(line) < level:
            level = indent(line)
        out.append(line)
    return out + block


def read(path):
    with open(path, errors='replace') as f:
        return f.read()


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--kdir', required=True, help='kernel tree (for kunit_parser)')
    ap.add_argument('--tap', action='append', default=[], metavar='NAME=FILE',
                    help='a host-side TAP file')
    ap.add_argument('--vm', help='the VM results directory')
    ap.add_argument('--vm-status', type=int, default=0, help="scripts/vm.sh's exit status")
    args = ap.parse_args()

    t = Tally(load_kunit_parser(args.kdir))
    for spec in args.tap:
        name, path = spec.split('=', 1)
        t.tap(name, read(path))

    if args.vm:
        vm = args.vm
        for sub, prefix in (('kunit', 'kunit'), ('tap', 'guest')):
            d = os.path.join(vm, sub)
            for f in sorted(os.listdir(d)) if os.path.isdir(d) else []:
                text = read(os.path.join(d, f))
                if sub == 'kunit':
                    # A suite's KTAP names the suite itself.
                    t.tap(prefix, '\n'.join(add_param_headers(text.splitlines())))
                else:
                    t.tap(f'{prefix}/{os.path.splitext(f)[0]}', text)
        if os.path.exists(os.path.join(vm, 'errors')):
            for line in read(os.path.join(vm, 'errors')).splitlines():
                t.result('FAIL', 'harness', line)
        why = {2: 'the guest died (panic, oops or WARN)', 3: 'timeout', 4: 'QEMU failed'}
        if args.vm_status or not os.path.exists(os.path.join(vm, 'done')):
            t.result('FAIL', 'vm: the guest finished its script',
                     why.get(args.vm_status, 'no completion marker'))
        else:
            t.result('PASS', 'vm: the guest finished its script')
        console = os.path.join(vm, 'console.log')
        splats = []
        if os.path.exists(console):
            for line in read(console).splitlines():
                m = SPLAT.search(line)
                if m and line[m.start():] not in splats:
                    splats.append(line[m.start():].strip())
        for s in splats[:10]:
            t.result('FAIL', 'kernel: no splat on the console', s)
        if not splats:
            t.result('PASS', 'kernel: no splat on the console')
        leak = os.path.join(vm, 'kmemleak.txt')
        if os.path.exists(leak) and os.path.getsize(leak):
            first = read(leak).splitlines()[0]
            t.result('FAIL', 'kernel: kmemleak finds nothing', first)
        elif os.path.exists(leak):
            t.result('PASS', 'kernel: kmemleak finds nothing')

    print(f'{t.passed} passed, {t.failed} failed, {t.skipped} skipped')
    return 1 if t.failed else 0


if __name__ == '__main__':
    sys.exit(main())
