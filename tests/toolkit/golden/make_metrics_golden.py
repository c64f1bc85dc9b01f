#!/usr/bin/python3
# Makes metrics_tricky.golden from metrics_tricky.csv with pandas, the independent reference for
# trajtool's CSV import (libcsv) and its smoothing: pandas reads the file (BOM, CRLF, quotes), every
# non-empty cell becomes a point, Python's float() reads the numbers (NaN, inf, -inf), and the
# debiased EMA and trailing mean are pandas' ewm(alpha=1-a, adjust=True) and rolling(N,
# min_periods=1) over the finite values (a non-finite value passes through). metrics_tricky.stats:
# numpy's final, mean, max (first step), min (first step) and non-finite count of each column.
#   /usr/bin/python3 tests/toolkit/golden/make_metrics_golden.py
import math
import os
import pandas as pd

here = os.path.dirname(os.path.abspath(__file__))
table = pd.read_csv(os.path.join(here, 'metrics_tricky.csv'), encoding='utf-8-sig', dtype=str,
                    keep_default_na=False, na_values=[])
EMA, WINDOW = 0.6, 3
with open(os.path.join(here, 'metrics_tricky.golden'), 'w') as out:
    out.write('# column<TAB>step<TAB>value<TAB>ema %g<TAB>window %d (repr floats)\n' % (EMA, WINDOW))
    for column in ['train/loss', 'eval "acc"', 'lr, scaled']:
        points = [(float(s), float(v)) for s, v in zip(table['_step'], table[column]) if v != '']
        values = pd.Series([v for _, v in points])
        finite = values[values.apply(math.isfinite)]
        ema = finite.ewm(alpha=1 - EMA, adjust=True).mean()
        window = finite.rolling(WINDOW, min_periods=1).mean()
        for i, (step, value) in enumerate(points):
            e = ema[i] if i in ema.index else value
            w = window[i] if i in window.index else value
            out.write('%s\t%r\t%r\t%r\t%r\n' % (column, step, value, e, w))

import numpy as np
with open(os.path.join(here, 'metrics_tricky.stats'), 'w') as out:
    out.write('# column<TAB>count<TAB>non_finite<TAB>final<TAB>final_step<TAB>mean<TAB>max<TAB>max_step'
              '<TAB>min<TAB>min_step (repr floats)\n')
    for column in ['train/loss', 'eval "acc"', 'lr, scaled']:
        points = [(float(s), float(v)) for s, v in zip(table['_step'], table[column]) if v != '']
        steps = np.array([p[0] for p in points])
        values = np.array([p[1] for p in points])
        finite = np.isfinite(values)
        fs, fv = steps[finite], values[finite]
        out.write('%s\t%d\t%d\t%r\t%r\t%r\t%r\t%r\t%r\t%r\n' % (
            column, len(fv), int((~finite).sum()), float(fv[-1]), float(fs[-1]), float(np.mean(fv)),
            float(fv.max()), float(fs[np.argmax(fv)]), float(fv.min()), float(fs[np.argmin(fv)])))
