#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Sum KTAP results from kgo's VM runs into one closing line.

Usage: ktap-summary.py [-v] LABEL=RESULTS_FILE [LABEL=RESULTS_FILE ...]

Each results file holds one or more KTAP documents (KUnit suites read from
debugfs, userspace selftests, the VM runner's own verdict). Only leaf results
are counted: a KUnit suite line or a parameterised case's parent line is not
a test of its own. A flat document (a selftest) that promises more results in its plan than
it delivers counts the missing ones as failures (a test binary that crashed).

Prints every failure with the diagnostic lines that came before it in its
document (KUnit's "EXPECTATION FAILED at ..." and its values), and with -v
every result. Prints every "# kgo-retry: ..." diagnostic (the VM runner
booted a kernel a second time after a failure that was QEMU's, see
scripts/vm-run.sh): a retry passes, but never silently. Then
"N passed, N failed" (", N skipped" when there are skips, ", N retried"
when there were retries) and exits non-zero when anything failed or
nothing ran at all.
"""
import re
import sys

RETRY = re.compile(r'^\s*#\s*kgo-retry:\s*(.*)$')
RESULT = re.compile(r'^(\s*)(ok|not ok)\s+(\d+)\s*(?:-\s*)?([^#]*?)\s*(?:#\s*(.*))?$')
PLAN = re.compile(r'^(\s*)1\.\.(\d+)')
SUBTEST = re.compile(r'^(\s*)#\s*Subtest:\s*(\S+)')
SUITE = re.compile(r'^(\s*)#\s*kgo-suite:\s*(\S+)')
VERSION = re.compile(r'^\s*K?TAP version')


def indent_of(spaces):
    return len(spaces.expandtabs(8))


class Document:
    """Results of one top-level KTAP document."""

    def __init__(self, label):
        self.label = label
        self.name = ''
        self.plan = None
        self.top_results = 0
        self.nested = False


DIAG_KEEP = 12                  # diagnostic lines shown per failure


def parse(label, lines):
    """Yield (name, status, note, diag) for each leaf result in a file."""
    doc = Document(label)
    prev_indent = None          # indent of the previous result line
    pending = None              # the previous result, not yet known a leaf
    subtests = []               # (indent, name) of open "# Subtest:" lines
    diag = []                   # lines since the previous result line

    def name_for(indent, test):
        parts = [doc.label]
        if doc.name:
            parts.append(doc.name)
        parts += [n for i, n in subtests if i <= indent]
        parts.append(test)
        return ':'.join(parts)

    def finish_doc():
        # Only flat documents (selftests) are held to their plan; KUnit
        # checks its own suites and states their plans one level down.
        if not doc.nested and doc.plan is not None and doc.top_results < doc.plan:
            missing = doc.plan - doc.top_results
            yield (name_for(0, 'plan'), 'fail',
                   f'{missing} of {doc.plan} results missing', [])

    for raw in lines:
        line = raw.rstrip('\r\n')
        if VERSION.match(line) and not line[:1].isspace():
            if pending:
                yield pending
            pending = None
            yield from finish_doc()
            doc = Document(label)
            prev_indent = None
            subtests = []
            diag = []
            continue
        m = SUITE.match(line)
        if m:
            doc.name = m.group(2)
            continue
        m = SUBTEST.match(line)
        if m:
            ind = indent_of(m.group(1))
            subtests = [(i, n) for i, n in subtests if i < ind] + [(ind, m.group(2))]
            continue
        m = PLAN.match(line)
        if m and indent_of(m.group(1)) == 0 and doc.plan is None:
            doc.plan = int(m.group(2))
            continue
        m = RESULT.match(line)
        if not m:
            if line.strip() and not VERSION.match(line) and not PLAN.match(line):
                diag = (diag + [line.strip()])[-DIAG_KEEP:]
            continue
        ind = indent_of(m.group(1))
        # A result directly after a deeper one closes that group: it is a
        # parent, not a leaf, and the pending deeper result was a leaf.
        is_parent = prev_indent is not None and prev_indent > ind
        if pending:
            yield pending
            pending = None
        if ind == 0:
            doc.top_results += 1
        else:
            doc.nested = True
        directive = (m.group(5) or '').strip()
        if m.group(2) == 'ok':
            status = 'skip' if directive.upper().startswith('SKIP') else 'pass'
        else:
            status = 'fail'
        if is_parent:
            # Drop the subtest names that belonged to the group just closed.
            subtests = [(i, n) for i, n in subtests if i <= ind]
        else:
            pending = (name_for(ind, m.group(4).strip()), status, directive,
                       diag if status == 'fail' else [])
        diag = []
        prev_indent = ind
    if pending:
        yield pending
    yield from finish_doc()


def main(argv):
    verbose = '-v' in argv
    args = [a for a in argv if a != '-v']
    if not args:
        print(__doc__, file=sys.stderr)
        return 2
    counts = {'pass': 0, 'fail': 0, 'skip': 0}
    retries = 0
    for arg in args:
        label, _, path = arg.partition('=')
        try:
            with open(path, errors='replace') as f:
                lines = f.readlines()
        except OSError as e:
            print(f'not ok {label}: cannot read results: {e}')
            counts['fail'] += 1
            continue
        for raw in lines:
            m = RETRY.match(raw.rstrip('\r\n'))
            if m:
                retries += 1
                print(f'retry  {label}: {m.group(1)}')
        for name, status, note, diag in parse(label, lines):
            counts[status] += 1
            if status == 'fail' or verbose:
                tag = {'pass': 'ok', 'fail': 'not ok', 'skip': 'skip'}[status]
                print(f'{tag:6} {name}' + (f'  # {note}' if note else ''))
                for d in diag:
                    print(f'         | {d}')
    line = f"{counts['pass']} passed, {counts['fail']} failed"
    if counts['skip']:
        line += f", {counts['skip']} skipped"
    if retries:
        line += f", {retries} retried"
    print(line)
    return 1 if counts['fail'] or not counts['pass'] else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
