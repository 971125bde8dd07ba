#!/usr/bin/env python3
"""DuckLens's monthly backtest against the same strategy written for backtrader: every trade
compared one by one, and both whole processes timed.

    python3 -m pip install backtrader
    python3 benches/compare/backtrader_monthly.py [FOLDER] [--runs 3] [--ducklens PATH]

FOLDER holds the real daily files (`date,open,high,low,close,adj_close,volume`, default
/work/shared/data/prices, see its SOURCES.md). The script imports SPY and the 22 stocks into a
temporary DuckLens database (not timed), then, interleaved, `--runs` times each:

- DuckLens: `ducklens backtest --strategy monthly --symbols … --from … --to … --json`, one
  process, from start to exit (a fresh copy of the imported database each run: a run saves its
  results in the file);
- backtrader: this script with `--backtrader-only`, one process (interpreter start, imports,
  reading and adjusting the CSV files, the cerebro run, writing the trade list).

It keeps the best time of each, prints `uptime` before and after, and compares the trade lists:
date, symbol, side, quantity and price, exactly (both sides compute money as decimals: see
`DuckLensMonthly` for how the rules map onto backtrader). The first difference, if any, is
printed with the trades around it.
"""

import argparse
import calendar
import datetime as dt
import json
import math
import os
import shutil
import subprocess
import sys
import tempfile
import time
from decimal import ROUND_DOWN, ROUND_HALF_EVEN, Decimal, getcontext

# Enough digits that sums and products of money are exact; divisions round at 28 significant
# digits like rust_decimal's 96-bit mantissa (see `adjust`).
getcontext().prec = 60

DEFAULT_FOLDER = "/work/shared/data/prices"
BENCHMARK = "SPY"
# The stocks with the full 1999-11-01 … 2021-08-03 calendar, but GE (its 1:8 reverse split is
# on the second-to-last day): the 22 of the table (benchmarks/README "Backtest at scale").
SYMBOLS = (
    "AAPL AMD AMZN BA BAC C COST CVX F HD IBM JNJ JPM KO MSFT MU NKE PFE T VZ WFC WMT".split()
)
FROM, TO = "1999-11-01", "2021-08-03"

# assets/config.toml defaults the monthly strategy trades with.
INITIAL_CAPITAL = Decimal("30000")
SLIPPAGE_PCT = Decimal("0.05")  # backtest.slippage_bps = 5 → 0.05 %
MAX_POSITIONS = 8
LOOKBACK_DAYS = 30
ENTRY_STRENGTH = 60.0  # screens.opportunity_min_strength
EXIT_STRENGTH = 40.0  # screens.morning_strength
EXIT_ALPHA = -5.0  # screens.morning_alpha_pp
LOSS_PCT = 8.0  # stops.loss_pct
TECHNICAL_SMA = 50  # stops.technical_sma
RESERVE_PCT = 20.0  # sizing.cash_reserve_pct
MAX_POSITION_PCT = 25.0  # sizing.max_position_pct
MIN_REWARD_RISK = Decimal("2")  # sizing.min_reward_risk
RANGE_BARS = 60  # analyzer::TARGET_HIGH_BARS
BANDS = ((80.0, 100.0, 15.0, 20.0), (70.0, 80.0, 10.0, 15.0), (60.0, 70.0, 5.0, 10.0),
         (50.0, 60.0, 3.0, 5.0))
RISK_MULTIPLIER = {"LOW": 1.2, "MEDIUM": 1.0, "HIGH": 0.7}
VOL_WINDOW, HIGH_RSI, HIGH_VOL, MEDIUM_RSI, MEDIUM_VOL = 20, 70.0, 45.0, 30.0, 25.0

CENT, PRICE = Decimal("0.01"), Decimal("0.0001")
NAN = float("nan")


# --- Money and numbers exactly as DuckLens computes them -------------------------------------

def to_cents(x):
    return x.quantize(CENT, rounding=ROUND_HALF_EVEN)


def to_price(x):
    return x.quantize(PRICE, rounding=ROUND_HALF_EVEN)


def floor_cents(x):
    return x.quantize(CENT, rounding=ROUND_DOWN)


def pct_decimal(pct):
    """`Decimal::from_f64(pct).round_dp(6)` (the shortest repr of the f64, to 6 decimals)."""
    return Decimal(repr(pct)).quantize(Decimal("0.000001"), rounding=ROUND_HALF_EVEN)


def pct_of(amount, pct):
    """`sizer::pct_of`: amount × pct / 100, pct an f64 rounded to 6 decimals."""
    return amount * pct_decimal(pct) / 100


def rust_round(x):
    """f64::round: half away from zero."""
    a = abs(x)
    f = math.floor(a)
    r = f + 1.0 if a - f >= 0.5 else f
    return math.copysign(r, x)


def as_f64(d):
    """rust_decimal 1.43's `Decimal::to_f64` (integral + fraction, rounded to the scale)."""
    sign, digits, exp = d.as_tuple()
    m = int("".join(map(str, digits))) if digits else 0
    neg = sign == 1
    if exp >= 0:
        v = float(m * 10 ** exp)
        return -v if neg else v
    scale = -exp
    precision = 10 ** scale
    integral, frac = divmod(m, precision)
    frac_f = float(frac) / float(precision)
    if frac_f == 0.0:
        return -float(integral) if neg else float(integral)
    value = float(integral) + frac_f
    round_to = 10.0 ** scale
    rounded = rust_round(value * round_to) / round_to
    return -rounded if neg else rounded


def plain_sum(values):
    """Left-to-right f64 sum (Rust's `Iterator::sum`; Python 3.12's `sum` compensates)."""
    total = 0.0
    for v in values:
        total += v
    return total


# --- Data: the store's types, then `backtest::Prepared`'s adjustment -------------------------

class Series:
    """One symbol as `backtest::Prepared` holds it: dates, the adjusted open/high/low (× adj_close
    / close, to 4 decimals) and close (= adj_close) as decimals; the f64 closes of the indicators
    and of the pre-screen."""

    def __init__(self, symbol, rows):
        self.symbol = symbol
        self.dates, self.open, self.high, self.low, self.close = [], [], [], [], []
        self.ind_close, self.px_close, self.volume = [], [], []
        six, twelve = Decimal("0.000001"), Decimal("0.000000000001")
        for r in rows:
            o, h, lo, c = (Decimal(r[k]).quantize(six) for k in ("open", "high", "low", "close"))
            adj = Decimal(r["adj_close"]).quantize(twelve)  # DECIMAL(24,12), as stored
            adjusted = adj.normalize()
            f = adjust(adj, c)
            self.dates.append(dt.date.fromisoformat(r["date"]))
            self.ind_close.append(as_f64(adjusted))
            self.volume.append(float(r["volume"] or 0))
            if f == 1:
                self.open.append(o)
                self.high.append(h)
                self.low.append(lo)
                self.close.append(c)
                self.px_close.append(as_f64(c))
            else:
                self.open.append(to_price(o * f))
                self.high.append(to_price(h * f))
                self.low.append(to_price(lo * f))
                self.close.append(adjusted)
                self.px_close.append(as_f64(adjusted))


def adjust(adj, close):
    """`Bar::adjustment_factor`: adj_close / close (28 significant digits), 1 without a close."""
    if close == 0:
        return Decimal(1)
    ctx = getcontext().copy()
    ctx.prec = 28
    return ctx.divide(adj, close)


def read_csv(path):
    import csv
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


def load(folder, symbols):
    return {s: Series(s, read_csv(os.path.join(folder, f"{s}.csv"))) for s in symbols}


# --- The analyzer's figures for one symbol at bar k ------------------------------------------

def lookback(series, k):
    """`returns::lookback_return_pct` over 30 calendar days, and its base index."""
    cutoff = series.dates[k] - dt.timedelta(days=LOOKBACK_DAYS)
    lo, hi = 0, k + 1
    while lo < hi:  # partition point of dates ≤ cutoff
        mid = (lo + hi) // 2
        if series.dates[mid] <= cutoff:
            lo = mid + 1
        else:
            hi = mid
    if lo == 0:
        return None, None
    base = series.px_close[lo - 1]
    if not base > 0.0:
        return None, lo - 1
    return rust_round((series.px_close[k] / base - 1.0) * 100.0 * 1e9) / 1e9, lo - 1


def close_on_or_before(series, day):
    lo, hi = 0, len(series.dates)
    while lo < hi:
        mid = (lo + hi) // 2
        if series.dates[mid] <= day:
            lo = mid + 1
        else:
            hi = mid
    return series.px_close[lo - 1] if lo else None


def alpha_of(series, k, ret, base, bench):
    """Lookback return − the benchmark's return over the same two dates (percentage points)."""
    if ret is None:
        return None
    b0 = close_on_or_before(bench, series.dates[base])
    b1 = close_on_or_before(bench, series.dates[k])
    if b0 is None or b1 is None or not b0 > 0.0:
        return None
    return ret - (b1 / b0 - 1.0) * 100.0


def known(x):
    return x is not None and not math.isnan(x)


def strength(ind, ret):
    """`signal::signal_strength` with the default rules."""
    rsi, hist, s20, s50 = ind
    total = 0.0
    if known(rsi):
        total += 15.0 if rsi < 30.0 else -15.0 if rsi > 70.0 else 5.0 if 40.0 <= rsi <= 60.0 else 0.0
    if known(hist):
        total += 10.0 if hist > 0.0 else -10.0 if hist < 0.0 else 0.0
    if known(s20) and known(s50):
        total += 10.0 if s20 > s50 else -10.0 if s20 < s50 else 0.0
    if known(ret):
        m = abs(ret)
        points = 15.0 if m > 10.0 else 10.0 if m >= 5.0 else 5.0
        total += points if ret > 0.0 else -points if ret < 0.0 else 0.0
    return min(max(50.0 + total, 0.0), 100.0)


def risk_level(rsi, closes):
    """`risk::entry_risk`: RSI and the annualised volatility of the last 20 daily returns."""
    vol = None
    if len(closes) >= VOL_WINDOW + 1:
        tail = closes[-VOL_WINDOW - 1:]
        returns = [tail[j + 1] / tail[j] - 1.0 for j in range(VOL_WINDOW)]
        avg = plain_sum(returns) / len(returns)
        var = plain_sum([(r - avg) * (r - avg) for r in returns]) / (VOL_WINDOW - 1.0)
        v = math.sqrt(var) * math.sqrt(252.0)
        vol = v * 100.0 if math.isfinite(v) else None
    rsi = rsi if known(rsi) else None
    if (rsi is not None and rsi > HIGH_RSI) or (vol is not None and vol > HIGH_VOL):
        return "HIGH"
    if (rsi is not None and rsi < MEDIUM_RSI) or (vol is not None and vol > MEDIUM_VOL) \
            or rsi is None or vol is None:
        return "MEDIUM"
    return "LOW"


def range_60(series, k):
    """`Prepared::recent_range(k, 60).rounded()`: highest high and lowest low (or close)."""
    high = low = None
    for j in range(max(k + 1 - RANGE_BARS, 0), k + 1):
        c = series.close[j]
        h, lo = max(series.high[j], c), min(series.low[j], c)
        high = h if high is None else max(high, h)
        low = lo if low is None else min(low, lo)
    return to_price(high), to_price(low)


def band_pct(s):
    top = max(b[1] for b in BANDS)
    s = top if s > top else s
    for lo, hi, mn, mx in BANDS:
        if (lo <= s < hi) or (hi == top and s == top):
            width = hi - lo
            share = (s - lo) / width if width > 0.0 else 0.0
            return mn + share * (mx - mn)
    return 0.0


def size(price, s, risk, p, cash, rng):
    """`PositionSizer::size` without margin (the monthly strategy's `margin.enabled = false`):
    whole shares and the cash they need."""
    target_pct = band_pct(s) * RISK_MULTIPLIER[risk]
    target_value = max(pct_of(p, target_pct), Decimal(0))
    cap_room = max(pct_of(p, MAX_POSITION_PCT), Decimal(0))
    spendable = floor_cents(max(cash - pct_of(p, RESERVE_PCT), Decimal(0)))
    stop = to_price(price - pct_of(price, LOSS_PCT))
    r = price - stop
    target = to_price(price + max(rng[0] - rng[1], Decimal(0)))
    if price <= 0 or p <= 0 or band_pct(s) <= 0.0:
        return 0, Decimal(0)
    if r > 0:
        ctx = getcontext().copy()
        ctx.prec = 28
        rr = float(ctx.divide(target - price, r))
        if MIN_REWARD_RISK > 0 and pct_decimal(rr) < MIN_REWARD_RISK:
            return 0, Decimal(0)
    wanted = cap_room if cap_room < target_value else target_value
    limit = wanted if wanted <= spendable else spendable
    quantity = int(limit // price)
    return quantity, to_cents(quantity * price)


# --- The backtrader side ----------------------------------------------------------------------

def run_backtrader(folder, symbols, start, end):
    import backtrader as bt

    data = load(folder, [BENCHMARK] + list(symbols))
    first, last = dt.date.fromisoformat(start), dt.date.fromisoformat(end)

    class Feed(bt.feed.DataBase):
        """One prepared symbol: adjusted open/high/low, the close the indicators read."""
        params = (("series", None),)

        def start(self):
            super().start()
            s = self.p.series
            self._rows = iter(zip(s.dates, s.open, s.high, s.low, s.ind_close, s.volume))

        def _load(self):
            for d, o, h, lo, c, v in self._rows:
                l = self.lines
                l.datetime[0] = bt.date2num(dt.datetime(d.year, d.month, d.day))
                l.open[0], l.high[0], l.low[0], l.close[0] = float(o), float(h), float(lo), c
                l.volume[0], l.openinterest[0] = v, 0.0
                return True
            return False

    class DuckLensIndicators(bt.Indicator):
        """`indicators::compute_all`'s SMA 20/50 (compensated prefix totals × 1/n), MACD 12/26/9
        histogram (TA-Lib seeding: both EMAs seeded at bar 25, the fast one with the mean of
        bars 14…25) and Wilder RSI 14 (50 when flat), on the adjusted close."""
        lines = ("sma20", "sma50", "macdhist", "rsi14")

        def __init__(self):
            self.i = -1
            self.prefix = []  # (sum, error) after each bar, from 0 bars
            self.total = (0.0, 0.0)
            self.prefix.append(self.total)
            self.fast = self.slow = self.signal = 0.0
            self.prev = None
            self.gain = self.loss = 0.0

        def next(self):
            self.i += 1
            i, x = self.i, self.data.close[0]
            s, e = self.total
            t = s + x
            xp = t - s
            e += (s - (t - xp)) + (x - xp)
            self.total = (t, e)
            self.prefix.append(self.total)
            for line, n in ((self.lines.sma20, 20), (self.lines.sma50, 50)):
                if i + 1 >= n:
                    fs, fe = self.prefix[i + 1 - n]
                    line[0] = ((t - fs) + (e - fe)) * (1.0 / n)
                else:
                    line[0] = NAN
            self.lines.macdhist[0] = self.macd(i, x)
            self.lines.rsi14[0] = self.rsi(i, x)

        def macd(self, i, x):
            if i < 25:
                if i >= 14:
                    self.fast += x
                self.slow += x
                return NAN
            if i == 25:
                self.fast = (self.fast + x) / 12.0
                self.slow = (self.slow + x) / 26.0
            else:
                self.fast += (x - self.fast) * (2.0 / 13.0)
                self.slow += (x - self.slow) * (2.0 / 27.0)
            line = self.fast - self.slow
            if i < 33:
                self.signal += line
                return NAN
            if i == 33:
                self.signal = (self.signal + line) / 9.0
            else:
                self.signal += (line - self.signal) * (2.0 / 10.0)
            return line - self.signal

        def rsi(self, i, x):
            prev, self.prev = self.prev, x
            if prev is None:
                return NAN
            change = x - prev
            g, lo = max(change, 0.0), max(-change, 0.0)
            if i <= 14:  # changes 1…14 seed the averages
                self.gain += g
                self.loss += lo
                if i < 14:
                    return NAN
                self.gain /= 14.0
                self.loss /= 14.0
            else:
                self.gain = (self.gain * 13.0 + g) * (1.0 / 14.0)
                self.loss = (self.loss * 13.0 + lo) * (1.0 / 14.0)
            total = self.gain + self.loss
            return 50.0 if total == 0.0 else 100.0 * self.gain / total

    trades = []

    class DuckLensMonthly(bt.Strategy):
        """DuckLens's `monthly` preset as a backtrader strategy.

        - next() at the close of the first trading day of each month (and of the first day):
          the morning check's exits (percentage stop 8 % under cost, technical stop: close under
          the SMA50 of closes, underperformer: alpha < −5 pp or strength < 40), then the buys:
          not held, warmed up (SMA50, MACD histogram and RSI known), strength ≥ 60, by strength,
          then alpha, then symbol, each sized by the sizer against the cash the earlier buys left
          (sales' proceeds counted), at most 8 positions.
        - next_open() of the next bar (cheat-on-open): sales, then buys, each buy cut to the
          whole shares its planned cash pays for at the fill price (DuckLens's fill rule); the
          market orders fill at that bar's open.
        - Money is decimal, as in DuckLens: cash to the cent, fill = open ± 0.05 % to 4
          decimals, notional to the cent, no commission. The broker's own float cash follows
          (slip_perc = 0.05 %, no commission) but decides nothing.
        """

        def __init__(self):
            self.bench = data[BENCHMARK]
            self.names = list(symbols)
            self.feeds = {d._name: d for d in self.datas}
            self.ind = {s: DuckLensIndicators(self.feeds[s]) for s in self.names}
            self.cash = to_cents(INITIAL_CAPITAL)
            self.positions_ = []  # [symbol, quantity, avg_price], in the order opened
            self.pending = []
            self.expect = {}  # (symbol, side) → the decimal fill of the order just sent
            self.days = [d for d in self.bench.dates if first <= d <= last]
            self.day = -1

        def k(self, s):
            return len(self.feeds[s]) - 1

        def facts(self, s):
            series, k = data[s], self.k(s)
            ind = self.ind[s]
            row = (ind.rsi14[0], ind.macdhist[0], ind.sma20[0], ind.sma50[0])
            ret, base = lookback(series, k)
            return series, k, row, ret, alpha_of(series, k, ret, base, self.bench)

        def next(self):
            today = self.feeds[BENCHMARK].datetime.date(0)
            if today < first:
                return
            self.day += 1
            if self.day + 1 == len(self.days):
                return  # no next open to fill at
            prev = self.days[self.day - 1] if self.day else None
            if prev is not None and (prev.year, prev.month) == (today.year, today.month):
                return
            self.pending = self.decide()

        def decide(self):
            rows, exits, proceeds = [], [], Decimal(0)
            for s, q, avg in self.positions_:
                series, k, row, ret, alpha = self.facts(s)
                price = series.close[k]
                value = to_cents(q * price)
                rows.append(value)
                closes = series.px_close[max(k + 1 - TECHNICAL_SMA, 0):k + 1]
                sma = plain_sum(closes) / TECHNICAL_SMA if len(closes) == TECHNICAL_SMA else None
                hard = price <= avg - pct_of(avg, LOSS_PCT) or (
                    sma is not None and series.px_close[k] < sma)
                st = strength(row, ret)
                weak = (alpha is not None and alpha < EXIT_ALPHA) or st < EXIT_STRENGTH
                if hard or weak:
                    exits.append(("SELL", s, q, None, None))
                    proceeds += value
            p = self.cash + sum(rows, Decimal(0))
            slots = MAX_POSITIONS - (len(self.positions_) - len(exits))
            if slots <= 0:
                return exits
            held = {s for s, _, _ in self.positions_}
            candidates = []
            for s in self.names:
                if s in held or len(self.feeds[s]) == 0:
                    continue
                series, k, row, ret, alpha = self.facts(s)
                if series.dates[k] != self.days[self.day] or not all(
                        known(v) for v in (row[0], row[1], row[3])):
                    continue
                st = strength(row, ret)
                if st >= ENTRY_STRENGTH:
                    candidates.append((st, alpha, s, series, k, row))
            candidates.sort(key=lambda c: c[2])
            candidates.sort(key=lambda c: -c[1] if c[1] is not None else math.inf)
            candidates.sort(key=lambda c: -c[0])
            cash, buys = self.cash + proceeds, []
            for st, _, s, series, k, row in candidates:
                if len(buys) >= slots:
                    break
                price = series.close[k]
                risk = risk_level(row[0], series.px_close[max(k - VOL_WINDOW, 0):k + 1])
                q, needed = size(price, st, risk, p, cash, range_60(series, k))
                if q == 0:
                    continue
                cash -= needed
                buys.append(["BUY", s, q, needed, None])
            reserve = pct_of(p, RESERVE_PCT)
            unplanned = max(cash - reserve, Decimal(0))
            for b in buys:
                b[3] += unplanned
                b[4] = reserve
            return exits + buys

        def next_open(self):
            orders, self.pending = self.pending, []
            for side, s, q, funding, reserve in orders:
                series, k = data[s], self.k(s)
                raw = series.open[k]
                slip = raw * SLIPPAGE_PCT / 100
                if side == "SELL":
                    at = next(j for j, pos in enumerate(self.positions_) if pos[0] == s)
                    _, q, _ = self.positions_.pop(at)
                    price = to_price(raw - slip)
                    self.cash += to_cents(q * price)
                    self.sell(data=self.feeds[s], size=q)
                else:
                    price = to_price(raw + slip)
                    room = floor_cents(max(min(funding, self.cash - reserve), Decimal(0)))
                    q = min(q, int(room // price))
                    while q > 0 and to_cents(q * price) > room:
                        q -= 1
                    if q == 0:
                        continue
                    self.cash -= to_cents(q * price)
                    self.positions_.append([s, q, price])
                    self.buy(data=self.feeds[s], size=q)
                self.expect[(s, side)] = price

        def notify_order(self, order):
            if order.status != order.Completed:
                if order.status in (order.Margin, order.Rejected, order.Canceled):
                    raise SystemExit(f"backtrader refused an order: {order}")
                return
            s = order.data._name
            side = "BUY" if order.isbuy() else "SELL"
            price = self.expect.pop((s, side))
            trades.append({
                "date": bt.num2date(order.executed.dt).date().isoformat(),
                "symbol": s,
                "side": side,
                "quantity": str(abs(int(order.executed.size))),
                "price": str(price),
                "broker_price": order.executed.price,
            })

    cerebro = bt.Cerebro(stdstats=False, cheat_on_open=True)
    for s in [BENCHMARK] + list(symbols):
        cerebro.adddata(Feed(series=data[s], fromdate=dt.datetime(1900, 1, 1),
                             todate=dt.datetime(last.year, last.month, last.day, 23, 59)), name=s)
    cerebro.broker.setcash(float(INITIAL_CAPITAL))
    cerebro.broker.set_slippage_perc(float(SLIPPAGE_PCT) / 100, slip_open=True,
                                     slip_match=True, slip_out=True)
    cerebro.broker.setcommission(commission=0.0)
    cerebro.addstrategy(DuckLensMonthly)
    strat = cerebro.run()[0]
    ledger = {s: q for s, q, _ in strat.positions_}
    for s in symbols:
        held = int(cerebro.broker.getposition(strat.feeds[s]).size)
        if held != ledger.get(s, 0):
            raise SystemExit(f"{s}: backtrader holds {held} shares, the ledger {ledger.get(s, 0)}")
    equity = strat.cash + sum((to_cents(q * data[s].close[len(strat.feeds[s]) - 1])
                               for s, q, _ in strat.positions_), Decimal(0))
    return {"trades": trades, "broker_value": cerebro.broker.getvalue(),
            "equity": str(equity)}


# --- DuckLens, timing and the comparison ------------------------------------------------------

def ducklens_env(tmp):
    env = dict(os.environ, XDG_STATE_HOME=tmp, XDG_DATA_HOME=tmp, XDG_CONFIG_HOME=tmp,
               HOME=tmp)
    env.pop("DUCKLENS_DB", None)
    return env


def timed(cmd, env, out):
    with open(out, "w") as f:
        start = time.perf_counter()
        subprocess.run(cmd, check=True, stdout=f, env=env)
        return time.perf_counter() - start


def same(key, a, b):
    """Prices and quantities as decimal values ("80.1400" = "80.14"), the rest as text."""
    if key in ("quantity", "price"):
        return Decimal(str(a)) == Decimal(str(b))
    return str(a) == str(b)


def compare(ours, theirs):
    """Index of the first difference (None: identical), on date, symbol, side, quantity, price."""
    keys = ("date", "symbol", "side", "quantity", "price")
    for i, (a, b) in enumerate(zip(ours, theirs)):
        if any(same(k, a[k], b[k]) is False for k in keys):
            return i
    return None if len(ours) == len(theirs) else min(len(ours), len(theirs))


def show(t):
    return f"{t['date']} {t['side']:<4} {t['symbol']:<5} {t['quantity']:>8} @ {t['price']}"


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    target = os.environ.get("CARGO_TARGET_DIR", os.path.join(here, "..", "..", "target"))
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", nargs="?", default=DEFAULT_FOLDER,
                        help=f"the CSV files (default {DEFAULT_FOLDER})")
    parser.add_argument("--runs", type=int, default=3, help="timed runs of each (default 3)")
    parser.add_argument("--ducklens", default=os.path.join(target, "release", "ducklens"),
                        help="the DuckLens binary (default $CARGO_TARGET_DIR/release/ducklens)")
    parser.add_argument("--symbols", default=",".join(SYMBOLS),
                        help="comma-separated symbols to trade (default the 22)")
    parser.add_argument("--from", dest="start", default=FROM, help=f"first day ({FROM})")
    parser.add_argument("--to", dest="end", default=TO, help=f"last day ({TO})")
    parser.add_argument("--backtrader-only", metavar="OUT",
                        help="run only the backtrader side and write its trades to OUT (JSON)")
    args = parser.parse_args()
    symbols = args.symbols.split(",")

    if args.backtrader_only:
        result = run_backtrader(args.folder, symbols, args.start, args.end)
        with open(args.backtrader_only, "w") as f:
            json.dump(result, f)
        return 0

    if not os.path.exists(args.ducklens):
        sys.exit(f"no DuckLens binary at {args.ducklens}: cargo build --release, or --ducklens")
    subprocess.run(["uptime"])
    best = {"ducklens": math.inf, "backtrader": math.inf}
    with tempfile.TemporaryDirectory() as tmp:
        env = ducklens_env(tmp)
        db = os.path.join(tmp, "prices.duckdb")
        files = [os.path.join(args.folder, f"{s}.csv") for s in [BENCHMARK] + symbols]
        subprocess.run([args.ducklens, "--db", db, "import", "prices", *files], check=True,
                       stdout=subprocess.DEVNULL, env=env)
        dl_out, bt_out = os.path.join(tmp, "ducklens.json"), os.path.join(tmp, "bt.json")
        for run in range(args.runs):
            fresh = os.path.join(tmp, f"run{run}.duckdb")
            shutil.copy(db, fresh)
            d = timed([args.ducklens, "--db", fresh, "backtest", "--strategy", "monthly",
                       "--symbols", ",".join(symbols), "--benchmark", BENCHMARK,
                       "--from", args.start, "--to", args.end, "--json"], env, dl_out)
            best["ducklens"] = min(best["ducklens"], d)
            t = timed([sys.executable, os.path.abspath(__file__), args.folder,
                       "--symbols", args.symbols, "--from", args.start, "--to", args.end,
                       "--backtrader-only", bt_out], None, os.devnull)
            best["backtrader"] = min(best["backtrader"], t)
            print(f"run {run + 1}: DuckLens {d:.3f} s, backtrader {t:.3f} s")
        with open(dl_out) as f:
            report = json.load(f)
        with open(bt_out) as f:
            result = json.load(f)
    subprocess.run(["uptime"])
    monthly = next(s for s in report["strategies"] if s["name"] == "monthly")
    ours, theirs = monthly["trade_list"], result["trades"]
    print(f"DuckLens: {monthly['trades']} trades in the metric, {len(ours)} in the list; "
          f"backtrader: {len(theirs)} trades")
    at = compare(ours, theirs)
    if at is None:
        print(f"trades matched: {len(ours)} of {len(ours)}, every one identical "
              "(date, symbol, side, quantity, price)")
    else:
        print(f"trades matched: {at} of {max(len(ours), len(theirs))}; first difference at #{at}:")
        for j in range(max(at - 3, 0), at + 4):
            a = show(ours[j]) if j < len(ours) else "-"
            b = show(theirs[j]) if j < len(theirs) else "-"
            mark = "  " if j < at else "!!"
            print(f"{mark} #{j:<4} DuckLens {a:<48} backtrader {b}")
            if j < len(ours) and j >= at:
                print(f"         DuckLens reason: {ours[j].get('reason')}")
    drift = max((abs(float(t["price"]) - t["broker_price"]) for t in theirs), default=0.0)
    final = monthly["equity"][-1]["equity"] if monthly.get("equity") else "?"
    print(f"final equity: DuckLens {final}, the backtrader strategy's decimal ledger "
          f"{result['equity']}; backtrader's float broker {result['broker_value']:.2f} (its fills "
          f"unrounded, at most {drift:.6f} from the 4-decimal ones)")
    d, b = best["ducklens"], best["backtrader"]
    print(f"whole process, best of {args.runs}: DuckLens {d:.3f} s, backtrader {b:.3f} s, "
          f"DuckLens {b / d:.1f}× faster")
    return 0 if at is None else 1


if __name__ == "__main__":
    sys.exit(main())
