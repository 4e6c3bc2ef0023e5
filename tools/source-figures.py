#!/usr/bin/env python3
"""Main-source figures at a git revision (issue 13 asks for them before and after): files, lines, longest files and
methods (methods found by brace matching, so approximate). Usage: tools/source-figures.py REV [REPO]."""
import re, subprocess, sys
rev = sys.argv[1] if len(sys.argv) > 1 else 'HEAD'
repo = sys.argv[2] if len(sys.argv) > 2 else '/work/main'
files = [f for f in subprocess.check_output(['git','-C',repo,'ls-tree','-r','--name-only',rev], text=True).split()
         if f.endswith('.java') and '/src/main/' in f]
total = 0; alllines = 0; sizes = []; methods = []
sig = re.compile(r'^\s*(public|protected|private|static|final|abstract|synchronized|default|\s)*[\w<>\[\], ?.]+\s+(\w+)\s*\([^;]*$')
for f in files:
    text = subprocess.check_output(['git','-C',repo,'show',f'{rev}:{f}'], text=True)
    lines = text.split('\n'); n = len([l for l in lines if l.strip()]); total += n; alllines += len(lines) - 1
    sizes.append((len(lines), f.split('/')[-1][:-5]))
    i = 0
    while i < len(lines):
        m = sig.match(lines[i])
        if m and not re.search(r'\b(record|class|interface|enum)\b', lines[i]) and m.group(2) not in ('if','for','while','switch','catch','return','new','synchronized'):
            # find opening brace
            j = i; depth = 0; started = False
            while j < len(lines):
                for ch in lines[j]:
                    if ch == '{': depth += 1; started = True
                    elif ch == '}': depth -= 1
                if ';' in lines[j] and not started: break
                if started and depth == 0: break
                j += 1
            if started:
                methods.append((j - i + 1, f.split('/')[-1][:-5] + '.' + m.group(2)))
                i = j
        i += 1
sizes.sort(reverse=True); methods.sort(reverse=True)
print(f'{rev}: {len(files)} files, {alllines} lines ({total} non-blank)')
print('longest files:', ', '.join(f'{n} {c}' for c, n in [(s[0], s[1]) for s in sizes[:5]]))
print('longest methods:', ', '.join(f'{n} {c}' for c, n in methods[:5]))
