#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Every program the build and the tests run must come from scripts/deps.sh.

The list of programs is derived from the code, not kept by hand: the
recipes of the Makefile, every shell script under scripts/ and .ci/, every
tests/*/*.sh, and the recipes of the kernel's own top-level Makefile for
the kernel targets those invoke (headers_install runs rsync, for one).
Each program is resolved to its path and, with `dpkg -S`, to its Debian
package.  It passes when that package is listed in scripts/deps.sh or
belongs to the base system that debootstrap --variant=minbase installs
(Essential: yes or Priority: required), which every Debian 12 machine has.

Programs run deeper inside kbuild (the compiler, flex, bison, openssl) are
not visible here; `make check-fresh`, which runs `make check` in a clean
Debian root, is the proof for those.

Output is TAP, one test per source file; a failure is one line naming the
program, where it is run, and the package to add.

usage: deps-check.py [--kdir KDIR] [--deps scripts/deps.sh] [--list]
"""

import argparse
import os
import re
import subprocess
import sys

BUILTINS = set('''
alias bg bind break builtin caller cd command compgen complete compopt
continue declare dirs disown echo enable eval exec exit export false fc fg
getopts hash help history jobs kill let local logout mapfile popd printf
pushd pwd read readarray readonly return set shift shopt source suspend test
times trap true type typeset ulimit umask unalias unset wait [ . : coproc
'''.split())
KEYWORDS = set('''
if then else elif fi case esac for select while until do done in function
time { } ! [[ ]]
'''.split())
# Commands that run another command: how many words (after options) to
# skip before the command they run.
WRAPPERS = {'timeout': 1, 'exec': 0, 'command': 0, 'env': 0, 'nice': 0,
            'nohup': 0, 'setsid': 0, 'xargs': 0, 'sudo': 0, 'stdbuf': 0,
            'chroot': 1, 'unshare': 0, 'taskset': 1, 'time': 0,
            'systemd-nspawn': 0}
# Options of a wrapper that take a value in the next word.
WRAPPER_ARGS = {'timeout': {'-k', '-s', '--kill-after', '--signal'},
                'nice': {'-n'}, 'xargs': {'-n', '-I', '-P', '-d', '-L'},
                'chroot': {'--userspec'}}
ASSIGN = re.compile(r'^[A-Za-z_][A-Za-z0-9_]*(\[[^]]*\])?\+?=')
REDIR = re.compile(r'^[0-9]*(>>|>&|<&|&>>|&>|<<<|<>|>\||<|>)')
SEARCH_PATH = ['/usr/sbin', '/usr/bin', '/sbin', '/bin']


# ---- shell ---------------------------------------------------------------

def strip_comments_and_heredocs(text):
    """Drop comments and here-document bodies, keeping line numbers."""
    out, heredoc, quote = [], None, None
    for line in text.split('\n'):
        if heredoc:
            word, strip_tabs = heredoc
            if (line.lstrip('\t') if strip_tabs else line) == word:
                heredoc = None
            out.append('')
            continue
        res, i, prev = [], 0, ' '
        while i < len(line):
            c = line[i]
            if quote:
                if c == '\\' and quote == '"':
                    res.append(line[i:i + 2])
                    i += 2
                    continue
                if c == quote:
                    quote = None
            elif c == '\\':
                res.append(line[i:i + 2])
                i += 2
                prev = 'x'
                continue
            elif c in '\'"':
                quote = c
            elif c == '#' and prev in ' \t;|&()':
                break
            res.append(c)
            prev = c
            i += 1
        line = ''.join(res)
        m = re.search(r'<<(-?)\s*[\'"]?([A-Za-z_][A-Za-z0-9_]*)[\'"]?', line)
        if m and not quote and '<<<' not in line:
            heredoc = (m.group(2), m.group(1) == '-')
        out.append(line)
    return '\n'.join(out)


def matching(text, i, open_c, close_c):
    """Index just past the close_c matching the open_c at text[i]."""
    depth, quote = 0, None
    while i < len(text):
        c = text[i]
        if quote:
            if c == '\\' and quote == '"':
                i += 1
            elif c == quote:
                quote = None
        elif c == '\\':
            i += 1
        elif c in '\'"':
            quote = c
        elif c == open_c:
            depth += 1
        elif c == close_c:
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    return len(text)


def lift_substitutions(text, found):
    """Move $(...), `...`, <(...) and >(...) bodies to `found`; drop
    arithmetic.  What is left has one placeholder word per substitution."""
    out, i, dquote = [], 0, False
    while i < len(text):
        if text[i] == '"':
            dquote = not dquote
        if text.startswith('$((', i) or (text.startswith('((', i) and
                                         (i == 0 or text[i - 1] in ' \t\n;(')):
            start = i + (1 if text[i] == '$' else 0)
            i = matching(text, start, '(', ')')
            out.append('0')
            continue
        if text[i] in '$<>' and text.startswith('(', i + 1):
            end = matching(text, i + 1, '(', ')')
            found.append(text[i + 2:end - 1])
            out.append('SUBST')
            i = end
            continue
        if text[i] == '`':
            end = text.find('`', i + 1)
            end = len(text) if end < 0 else end
            found.append(text[i + 1:end])
            out.append('SUBST')
            i = end + 1
            continue
        if text[i] == '\\':
            out.append(text[i:i + 2])
            i += 2
            continue
        if text[i] == "'" and not dquote:
            end = text.find("'", i + 1)
            end = len(text) if end < 0 else end
            out.append(text[i:end + 1])
            i = end + 1
            continue
        out.append(text[i])
        i += 1
    return ''.join(out)


def lift_arrays(text, variables):
    """Replace name=( ... ) with name=ARRAY, noting the first element."""
    out, i = [], 0
    for m in re.finditer(r'(?<![\w$])([A-Za-z_][A-Za-z0-9_]*)\+?=\(', text):
        if m.start() < i:
            continue
        end = matching(text, m.end() - 1, '(', ')')
        body = text[m.end():end - 1].split()
        if body:
            variables.setdefault(m.group(1), body[0])
        out.append(text[i:m.start()] + m.group(1) + '=ARRAY')
        i = end
    out.append(text[i:])
    return ''.join(out)


def tokens(text):
    """Words and operators of a shell text without substitutions."""
    toks, i, n = [], 0, len(text)
    while i < n:
        c = text[i]
        if c in ' \t':
            i += 1
            continue
        if c == '\n':
            toks.append(';')
            i += 1
            continue
        for op in (';;&', ';;', ';&', '&&', '||', '|&', ';', '&', '|', '(', ')'):
            if text.startswith(op, i):
                toks.append(op)
                i += len(op)
                break
        else:
            word, quote = [], None
            while i < n:
                c = text[i]
                if quote:
                    if c == '\\' and quote == '"':
                        word.append(text[i:i + 2])
                        i += 2
                        continue
                    if c == quote:
                        quote = None
                elif c == '\\':
                    word.append(text[i:i + 2])
                    i += 2
                    continue
                elif c in '\'"':
                    quote = c
                elif c in ' \t\n;&|()':
                    # A redirection like 2>&1 keeps its '&'.
                    if c == '&' and word and word[-1] in '<>':
                        pass
                    else:
                        break
                word.append(c)
                i += 1
            toks.append(''.join(word))
    return toks


def unquote(word):
    return re.sub(r'''["']''', '', word)


def var_name(word):
    m = re.match(r'^\$\{?([A-Za-z_][A-Za-z0-9_]*)(\[[@*]\])?\}?$', unquote(word))
    return m.group(1) if m else None


class Shell:
    """The commands of shell texts: (word, line) pairs, and the functions
    and variables the texts define."""

    def __init__(self):
        self.functions = set()
        self.variables = {}

    def texts(self, text):
        text = strip_comments_and_heredocs(text)
        text = re.sub(r'\\\n', ' ', text)
        text = lift_arrays(text, self.variables)
        pending, done = [text], []
        while pending:
            t = pending.pop()
            found = []
            done.append(lift_substitutions(t, found))
            pending.extend(found)
        return done

    def commands(self, text):
        cmds = []
        for t in self.texts(text):
            cmds.extend(self.words(tokens(t)))
        return cmds

    def words(self, toks):
        """First words of the simple commands in a token list."""
        out = []
        case_depth = []		# per open case: True while reading patterns
        start = True
        skip_to_sep = False
        i = 0
        while i < len(toks):
            t = toks[i]
            i += 1
            if t in (';', '&', '&&', '||', '|', '|&', '(', ')', ';;', ';&', ';;&'):
                if t in (';;', ';&', ';;&') and case_depth:
                    case_depth[-1] = True
                if t == ')' and case_depth and case_depth[-1]:
                    case_depth[-1] = False
                start, skip_to_sep = True, False
                continue
            if case_depth and case_depth[-1]:
                if t == 'esac':
                    case_depth.pop()
                continue
            if skip_to_sep or not start:
                continue
            if t == 'case':
                while i < len(toks) and toks[i] != 'in':
                    i += 1
                i += 1
                case_depth.append(True)
                continue
            if t == 'esac' and case_depth:
                case_depth.pop()
                continue
            if t in ('for', 'select', 'function'):
                skip_to_sep = True
                continue
            if t == '[[':
                while i < len(toks) and toks[i] != ']]':
                    i += 1
                i += 1
                start = False
                continue
            if t in KEYWORDS:
                continue
            if ASSIGN.match(t):
                m = re.match(r'^([A-Za-z_][A-Za-z0-9_]*)=(.*)$', t)
                if m and m.group(2) and m.group(2) != 'ARRAY':
                    first = unquote(m.group(2)).split()
                    if first:
                        self.variables.setdefault(m.group(1), first[0])
                continue
            if REDIR.match(t):
                if re.fullmatch(r'[0-9]*(>>|>|<|&>|&>>|<>|>\|)', t):
                    i += 1		# the target is the next word
                continue
            # A function definition: name ( ) ...
            if i + 1 < len(toks) and toks[i] == '(' and toks[i + 1] == ')':
                self.functions.add(t)
                i += 2
                continue
            out.append(t)
            start = False
            name = unquote(t)
            if name in WRAPPERS:
                rest, i = self.wrapped(name, toks, i)
                if rest:
                    out.append(rest)
        return out

    def wrapped(self, wrapper, toks, i):
        """The command a wrapper runs, and where scanning goes on."""
        skip = WRAPPERS[wrapper]
        while i < len(toks) and toks[i] not in (';', '&', '&&', '||', '|', ')'):
            t = toks[i]
            i += 1
            if t.startswith('-'):
                if t in WRAPPER_ARGS.get(wrapper, ()):
                    i += 1
                continue
            if REDIR.match(t) or (wrapper == 'env' and ASSIGN.match(t)):
                continue
            if skip:
                skip -= 1
                continue
            return t, i
        return None, i


# ---- make ------------------------------------------------------------------

MAKE_FUNCS = ('wildcard', 'patsubst', 'filter-out', 'filter', 'foreach', 'dir',
              'notdir', 'sort', 'realpath', 'abspath', 'basename', 'addprefix',
              'addsuffix', 'subst', 'eval', 'call', 'firstword', 'word')


def joined_lines(text):
    """(first line number, line) with backslash-continued lines joined."""
    out, buf, first = [], [], None
    for n, line in enumerate(text.split('\n'), 1):
        if first is None:
            first = n
        if line.endswith('\\'):
            buf.append(line[:-1] + ' ')
            continue
        buf.append(line.lstrip('\t') if buf else line)
        out.append((first, ''.join(buf)))
        buf, first = [], None
    return out


def makefile_recipes(text):
    """Variables and the recipe lines (with line numbers) of a Makefile."""
    variables = {'MAKE': 'make', 'CC': 'cc', 'CURDIR': '.'}
    recipes, define = [], None
    for n, line in joined_lines(text):
        if define is not None:
            if line.strip() == 'endef':
                define = None
            elif line.startswith('\t'):
                recipes.append((n, line[1:].replace('$$', '$')))
            continue
        m = re.match(r'^define\s+(\S+)', line)
        if m:
            define = m.group(1)
            continue
        if line.startswith('\t'):
            recipes.append((n, line[1:]))
            continue
        m = re.match(r'^([A-Za-z_][A-Za-z0-9_]*)\s*(:=|\?=|\+=|=)\s*(.*)$', line)
        if m:
            variables[m.group(1)] = (variables.get(m.group(1), '') + ' ' + m.group(3)
                                     if m.group(2) == '+=' else m.group(3))
    return variables, recipes


def make_expand(text, variables, shells, depth=0):
    """Expand $(VAR) references; $(shell X) bodies go to `shells`."""
    if depth > 8:
        return text
    out, i = [], 0
    while i < len(text):
        if text.startswith('$(', i) or text.startswith('${', i):
            close = ')' if text[i + 1] == '(' else '}'
            end = matching(text, i + 1, text[i + 1], close)
            body = text[i + 2:end - 1]
            word = body.split(None, 1)
            if word and word[0] == 'shell':
                shells.append(make_expand(word[1], variables, shells, depth + 1))
                out.append('MKSHELL')
            elif word and word[0] == 'if':
                parts = word[1].split(',', 2) if len(word) > 1 else []
                out.append(make_expand(parts[1], variables, shells, depth + 1)
                           if len(parts) > 1 else '')
            elif word and word[0] in MAKE_FUNCS:
                out.append('MKFN')
            elif body in variables:
                out.append(make_expand(variables[body], variables, shells, depth + 1))
            else:
                out.append('MKVAR')
            i = end
        elif text[i] == '$' and i + 1 < len(text):
            out.append('$' if text[i + 1] == '$' else 'MKAUTO')
            i += 2
        else:
            out.append(text[i])
            i += 1
    return ''.join(out)


def make_targets(cmd_words):
    """Targets of one `make -C TREE ...` command, from its words."""
    words, targets, tree, assigns = cmd_words, [], None, []
    j = 0
    while j < len(words):
        w = unquote(words[j])
        j += 1
        if w == '-C' and j < len(words):
            tree = words[j]
            j += 1
        elif w in ('-f', '-o', '-W'):
            j += 1
        elif w.startswith('-'):
            continue
        elif '=' in w:
            assigns.append(w)
        else:
            targets.append(w)
    return tree, targets, assigns


# ---- the kernel's own Makefile -------------------------------------------

def kernel_rules(kdir):
    """The top-level kernel Makefile's explicit rules: target -> (prereqs,
    recipe lines)."""
    rules, cmds = {}, {}
    try:
        with open(os.path.join(kdir, 'Makefile')) as f:
            lines = [line for _, line in joined_lines(f.read())]
    except OSError:
        return rules, cmds
    current = []
    for line in lines:
        m = re.match(r'^\s*cmd_([A-Za-z0-9_]+)\s*=\s*(.*)$', line)
        if m:
            cmds[m.group(1)] = m.group(2)
            current = []
            continue
        if line.startswith('\t') and current:
            for t in current:
                rules[t][1].append(line[1:])
            continue
        m = re.match(r'^([A-Za-z0-9_%. -]+?)\s*:(?!=)\s*([^=;]*)$', line)
        if m and '$' not in m.group(1):
            current = m.group(1).split()
            for t in current:
                rules.setdefault(t, ([], []))[0].extend(m.group(2).split())
        elif line.strip() and not line.startswith('#'):
            current = []
    return rules, cmds


def kernel_recipe_commands(kernel, target, shell, seen):
    """(word, where) for the recipes of a kernel target and its prerequisites."""
    rules, cmds = kernel
    if target in seen or target not in rules:
        return []
    seen.add(target)
    prereqs, recipe = rules[target]
    out = []
    for line in recipe:
        # $(call cmd,foo) runs the text of cmd_foo.
        line = re.sub(r'\$\(call cmd,([A-Za-z0-9_]+)\)', lambda m: cmds.get(m.group(1), 'KVAR'), line)
        line = re.sub(r'^[@+-]*(\$\(Q\))?[@+-]*', '', line.strip())
        line = line.replace('$(Q)', '')
        # Kernel make variables ($(MAKE), $(cmd_foo)) are not expanded:
        # drop their references so only literal program names remain.
        line = re.sub(r'\$[({][^)}]*[)}]', 'KVAR', line)
        for w in shell.commands(line):
            if w != 'KVAR':
                out.append((w, f'kernel target {target}'))
    for p in prereqs:
        out.extend(kernel_recipe_commands(kernel, p, shell, seen))
    return out


# ---- resolution --------------------------------------------------------------

def deps_packages(path):
    with open(path) as f:
        text = strip_comments_and_heredocs(f.read())
    m = re.search(r'\bpkgs=\((.*?)\)', text, re.S)
    if not m:
        sys.exit(f'deps-check: no pkgs=( ... ) list in {path}')
    return set(m.group(1).split())


def direct_dependencies(pkgs):
    """What the listed packages depend on directly: apt installs those with
    them, and a package does not lose a direct dependency lightly."""
    out = subprocess.run(['dpkg-query', '-W', '-f', '${Package}\t${Pre-Depends}, ${Depends}\n']
                         + sorted(pkgs), capture_output=True, text=True).stdout
    deps = {}
    for line in out.splitlines():
        pkg, _, rel = line.partition('\t')
        for alt in re.split(r'[,|]', rel):
            name = alt.strip().split(' ')[0].split(':')[0]
            if name:
                deps.setdefault(name, pkg)
    return deps


def base_packages():
    out = subprocess.run(['dpkg-query', '-W', '-f', '${Package} ${Essential} ${Priority}\n'],
                         capture_output=True, text=True).stdout
    return {p for p, ess, prio in (l.split(' ', 2) for l in out.splitlines() if l.count(' ') >= 2)
            if ess == 'yes' or prio == 'required'}


def locate(name):
    if name.startswith('/'):
        return name if os.path.exists(name) else None
    for d in SEARCH_PATH:
        p = os.path.join(d, name)
        if os.path.isfile(p) and os.access(p, os.X_OK):
            return p
    return None


def owners(paths):
    """dpkg -S over candidate paths: path -> package."""
    if not paths:
        return {}
    out = subprocess.run(['dpkg', '-S'] + sorted(paths), capture_output=True, text=True).stdout
    found = {}
    for line in out.splitlines():
        pkgs, _, path = line.partition(': ')
        if path and not pkgs.startswith('diversion'):
            found[path.strip()] = pkgs.split(',')[0].strip()
    return found


def candidates(path):
    """The paths dpkg may have recorded for a program at `path`, best
    first: each step of its symlink chain (/usr/bin/cc, then the
    alternative's choice /usr/bin/gcc, ...), each with its merged-/usr twin."""
    chain = [path]
    while os.path.islink(chain[-1]) and len(chain) < 10:
        chain.append(os.path.normpath(os.path.join(os.path.dirname(chain[-1]),
                                                   os.readlink(chain[-1]))))
    out = []
    for p in chain:
        out.append(p)
        for a, b in (('/usr/bin/', '/bin/'), ('/usr/sbin/', '/sbin/'), ('/usr/lib/', '/lib/')):
            if p.startswith(a):
                out.append(b + p[len(a):])
            elif p.startswith(b):
                out.append(a + p[len(b):])
    return out


def program(word, variables, functions):
    """The program a command word names, or None for builtins, functions,
    the repository's own scripts and words we cannot know statically."""
    v = var_name(word)
    if v:
        word = variables.get(v, '')
        if not word or word.startswith('$'):
            return None
    w = unquote(word)
    if not w or w in BUILTINS or w in KEYWORDS or w in functions:
        return None
    if '$' in w or w in ('SUBST', 'MKSHELL', 'MKFN', 'MKVAR', 'MKAUTO', 'KVAR', 'ARRAY', '0'):
        return None
    if '/' in w and not w.startswith('/'):
        return None		# the repository's own scripts and programs
    if w.startswith('/') and w.startswith(('/dev/', '/proc/', '/sys/', '/tmp/', '/run/')):
        return None
    if not re.fullmatch(r'[A-Za-z0-9_./+-]+', w):
        return None
    return w


# ---- the check -----------------------------------------------------------------

def sources(top):
    files = ['Makefile']
    for d, _, names in os.walk(os.path.join(top, 'scripts')):
        for n in sorted(names):
            p = os.path.relpath(os.path.join(d, n), top)
            with open(os.path.join(top, p), 'rb') as f:
                head = f.read(64)
            if p.endswith('.sh') or head.startswith(b'#!/bin/bash') or \
                    head.startswith(b'#!/bin/sh') or p.endswith('lab-modules.sh'):
                files.append(p)
    if os.path.isdir(os.path.join(top, '.ci')):
        files += sorted(os.path.join('.ci', n) for n in os.listdir(os.path.join(top, '.ci')))
    for d in sorted(os.listdir(os.path.join(top, 'tests'))):
        p = os.path.join(top, 'tests', d)
        if os.path.isdir(p):
            files += sorted(os.path.join('tests', d, n) for n in os.listdir(p) if n.endswith('.sh'))
    return sorted(set(files), key=files.index)


def collect(top, kdir):
    """(source, [(program word, where)]) for every source, and the shell
    state (functions, variables)."""
    shell = Shell()
    per_source, kernel_calls = [], []
    for src in sources(top):
        with open(os.path.join(top, src)) as f:
            text = f.read()
        words = []
        if src == 'Makefile':
            variables, recipes = makefile_recipes(text)
            for n, line in recipes:
                line = re.sub(r'^[@+-]+', '', line.strip())
                shells = []
                line = make_expand(line, variables, shells)
                for part in [line] + shells:
                    words += [(w, f'{src}:{n}') for w in shell.commands(part)]
                    kernel_calls += make_calls(part, shell)
            for name, value in variables.items():
                if '$(shell' in value:
                    shells = []
                    make_expand(value, variables, shells)
                    for part in shells:
                        words += [(w, f'{src}: {name}') for w in shell.commands(part)]
        else:
            words += [(w, src) for w in shell.commands(text)]
            kernel_calls += make_calls(text, shell)
        per_source.append((src, words))
    if kdir:
        kernel = kernel_rules(kdir)
        seen, words = set(), []
        for tree, targets, assigns in kernel_calls:
            for a in assigns:
                name, _, value = a.partition('=')
                if name in ('CC', 'HOSTCC', 'LD') and value:
                    words += [(v, f'make {name}=') for v in unquote(value).split()[:2]
                              if not v.startswith('-')]
            for t in targets:
                words += kernel_recipe_commands(kernel, t, shell, seen)
        direct = sorted({t for _, targets, _ in kernel_calls for t in targets} & seen)
        per_source.append((f'{kdir}/Makefile (targets {" ".join(direct) or "none"} '
                           f'and their prerequisites)', words))
    return per_source, shell


def make_calls(text, shell):
    """`make -C DIR ...` commands in a text: (dir, targets, assignments)."""
    calls = []
    for t in shell.texts(text):
        toks = tokens(t)
        for i, tok in enumerate(toks):
            if unquote(tok) != 'make':
                continue
            j = i + 1
            while j < len(toks) and toks[j] not in (';', '&', '&&', '||', '|', ')'):
                j += 1
            tree, targets, assigns = make_targets(toks[i + 1:j])
            if tree and unquote(tree) not in ('.', '$(CURDIR)'):
                calls.append((tree, targets, assigns))
    return calls


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--kdir', help='the kernel tree whose top-level Makefile we run targets of')
    ap.add_argument('--deps', default='scripts/deps.sh')
    ap.add_argument('--list', action='store_true', help='print program -> package and exit')
    args = ap.parse_args()
    top = os.getcwd()
    kdir = args.kdir if args.kdir and os.path.exists(os.path.join(args.kdir, 'Makefile')) else None

    per_source, shell = collect(top, kdir)
    listed = deps_packages(args.deps)
    via = direct_dependencies(listed)
    base = base_packages()

    def provided(pkg):
        return pkg in listed or pkg in via or pkg in base

    progs = {}
    for src, words in per_source:
        for w, where in words:
            p = program(w, shell.variables, shell.functions)
            if p:
                progs.setdefault(p, None)
    located = {p: locate(p) for p in progs}
    cands = set()
    for path in located.values():
        if path:
            cands.update(candidates(path))
    owner_of = owners(cands)

    def package(p):
        path = located[p]
        if not path:
            return None, None
        for c in candidates(path):
            if c in owner_of:
                return path, owner_of[c]
        return path, None

    if args.list:
        for p in sorted(progs):
            path, pkg = package(p)
            tag = ('deps.sh' if pkg in listed else 'base' if pkg in base
                   else f'deps.sh, via {via[pkg]}' if pkg in via else 'MISSING')
            print(f'{p:28} {path or "-":40} {pkg or "-":24} {tag}')
        return 0

    def problems(words, listed, via):
        out, names = [], []
        for w, where in words:
            p = program(w, shell.variables, shell.functions)
            if not p or p in names:
                continue
            names.append(p)
            path, pkg = package(p)
            if not path:
                hint = same_name_package(p)
                out.append(f'{p} ({where}) is not installed, and no package of {args.deps} '
                           f'provides it: add {hint or "the Debian package that does"}'
                           f'{" (the package of that name)" if hint else ""}')
            elif not pkg:
                out.append(f'{p} ({where}) is {path}, which no Debian package installs')
            elif not (pkg in listed or pkg in via or pkg in base):
                out.append(f'{p} ({where}) comes from package {pkg}, which '
                           f'{args.deps} does not install: add {pkg} to its list')
        return out, names

    print('TAP version 13')
    print(f'1..{len(per_source) + 1}')
    failed = 0
    for n, (src, words) in enumerate(per_source, 1):
        found, names = problems(words, listed, via)
        if found:
            failed += 1
            print(f'not ok {n} - deps {src}: {found[0]}')
            for p in found[1:]:
                print(f'# also: {p}')
        else:
            print(f'ok {n} - deps {src} ({len(names)} programs)')

    # The guard must see what the kernel's own recipes run: with rsync
    # (headers_install) taken off the list, it has to name it.
    without = listed - {'rsync'}
    caught = [p for _, words in per_source for p in problems(words, without,
                                                             direct_dependencies(without))[0]
              if p.startswith('rsync ')]
    n = len(per_source) + 1
    if caught:
        print(f'ok {n} - deps guard: a deps.sh without rsync is caught ({caught[0]})')
    else:
        failed += 1
        print(f'not ok {n} - deps guard: a deps.sh without rsync is not caught '
              f'(is the kernel tree {kdir or "missing"} unpacked?)')
    return 1 if failed else 0


def same_name_package(name):
    """A Debian package named like a program that is not installed."""
    r = subprocess.run(['apt-cache', 'show', '--no-all-versions', name],
                       capture_output=True, text=True)
    return name if r.returncode == 0 and r.stdout.strip() else None


if __name__ == '__main__':
    sys.exit(main())
