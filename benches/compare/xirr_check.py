#!/usr/bin/env python3
"""Independent XIRR figures for src/domain/performance/xirr.rs's tests.

Plain bisection on NPV(r) = sum(c / (1 + r) ** (days / 365)), written without any library
so that it shares nothing with the Rust Newton solver it checks. Run: python3 xirr_check.py
"""
from datetime import date


def npv(flows, r):
    d0 = flows[0][0]
    return sum(c / (1 + r) ** ((d - d0).days / 365) for d, c in flows)


def xirr(flows, lo=-0.99, hi=10.0):
    f_lo = npv(flows, lo)
    for _ in range(200):
        mid = (lo + hi) / 2
        f_mid = npv(flows, mid)
        if (f_mid > 0) == (f_lo > 0):
            lo, f_lo = mid, f_mid
        else:
            hi = mid
    return (lo + hi) / 2


cases = {
    # A deposit in the middle: -1000 on day 0, -1000 on day 182, +2100 on day 365.
    "deposit_mid_year": [(date(2025, 1, 1), -1000), (date(2025, 7, 2), -1000), (date(2026, 1, 1), 2100)],
    # A withdrawal: -2000 on day 0, +1200 on day 90, +1000 on day 365.
    "withdrawal": [(date(2025, 1, 1), -2000), (date(2025, 4, 1), 1200), (date(2026, 1, 1), 1000)],
}
for name, flows in cases.items():
    print(f"{name}: {xirr(flows):.12f}")
