#!/usr/bin/env python3
"""How often "the latest year written on the page" is the labelled survey year (docs/accuracy.md,
fifth session). Usage: tools/latest_year_guess.py hodanren hodanren_dev2 hodanren_dev3
Texts under $REALPAGES (default /tmp/realpages), one folder per label set."""
import re,sys,glob,os,collections
sets=sys.argv[1:]
tally=collections.Counter()
for st in sets:
    labels=collections.defaultdict(set)
    for line in open(f'fixtures/real_labels/{st}.tsv'):
        if line.startswith('#') or not line.strip(): continue
        p=line.rstrip('\n').split('\t')
        if len(p)<4: continue
        key=p[2]; parts=key.split('|')
        if len(parts)>=3 and parts[2]:
            labels[p[0]].add(parts[2][:4])
    for f,ys in sorted(labels.items()):
        path=f'{os.environ.get("REALPAGES", "/tmp/realpages")}/{st}/{f}'
        if not os.path.exists(path): continue
        t=open(path).read()
        yrs=[int(y) for y in re.findall(r'(20[12][0-9])年',t)]
        yrs+= [2018+int(y) for y in re.findall(r'令和(\d)年',t)]
        yrs+= [2000+int(y) for y in re.findall(r'(?<![0-9])(2[3-6])年\d{1,2}月',t)]
        guess = max(yrs) if yrs else None
        verdict = 'none' if guess is None else ('right' if str(guess) in ys else 'wrong')
        tally[verdict] += 1
        print(verdict, st, f, 'label', sorted(ys), 'guess', guess)
print(dict(tally))
