//! Tests of `indicators.rs`.

use proptest::prelude::*;

use super::*;

/// Reference values below come from TA-Lib (C library 0.8.1, through the PyPI
/// `TA-Lib` 0.8.2 wheel) run on bit-identical adjusted inputs; 1e-9 relative.
fn assert_close(actual: Option<f64>, expected: f64) {
    let actual = actual.unwrap_or_else(|| panic!("expected {expected}, got None"));
    let tolerance = 1e-9 * expected.abs().max(f64::MIN_POSITIVE);
    assert!(
        (actual - expected).abs() <= tolerance,
        "expected {expected}, got {actual}"
    );
}

fn first_some(values: &[Option<f64>]) -> Option<usize> {
    values.iter().position(Option::is_some)
}

/// Checks the whole shape: `None` before `first`, `Some` from there on.
fn assert_starts_at(values: &[Option<f64>], first: usize) {
    assert!(
        values[..first].iter().all(Option::is_none),
        "Some before {first}"
    );
    assert!(
        values[first..].iter().all(Option::is_some),
        "None after {first}"
    );
}

/// AAPL daily bars 2020-06-01..=2020-12-02 from the backtrader/Alpha Vantage
/// files: (high, low, close, adj_close, volume), raw as traded. Index 64 is
/// 2020-08-31, the first bar after the 4:1 split.
#[rustfmt::skip]
const AAPL: [(f64, f64, f64, f64, f64); 130] = [
    (322.35, 317.21, 321.85, 79.9208088563, 20254653.0),  // 2020-06-01
    (323.44, 318.93, 323.34, 80.2908011049, 21910704.0),  // 2020-06-02
    (326.2, 322.3, 325.12, 80.7328052676, 26122804.0),  // 2020-06-03
    (325.62, 320.78, 322.32, 80.0375178206, 21890091.0),  // 2020-06-04
    (331.75, 323.23, 331.5, 82.3170673788, 34312550.0),  // 2020-06-05
    (333.6, 327.32, 333.46, 82.8037685917, 23913634.0),  // 2020-06-08
    (345.61, 332.01, 343.99, 85.4185460261, 36928091.0),  // 2020-06-09
    (354.77, 346.09, 352.84, 87.6161509923, 41662938.0),  // 2020-06-10
    (351.06, 335.48, 335.9, 83.4096619383, 50415613.0),  // 2020-06-11
    (347.8, 334.22, 338.8, 84.1297810798, 50036513.0),  // 2020-06-12
    (345.68, 332.58, 342.99, 85.1702290807, 34702230.0),  // 2020-06-15
    (353.2, 344.72, 352.08, 87.4274301138, 41357182.0),  // 2020-06-16
    (355.4, 351.09, 351.59, 87.3057548106, 28601626.0),  // 2020-06-17
    (353.45, 349.22, 351.73, 87.340519183, 24205096.0),  // 2020-06-18
    (356.56, 345.15, 349.72, 86.8414021228, 66118952.0),  // 2020-06-19
    (359.46, 351.15, 358.87, 89.1135021727, 33861316.0),  // 2020-06-22
    (372.38, 362.27, 366.53, 91.0156099739, 53038869.0),  // 2020-06-23
    (368.79, 358.52, 360.06, 89.4089993376, 48155849.0),  // 2020-06-24
    (365.0, 357.57, 364.84, 90.5959543363, 34380628.0),  // 2020-06-25
    (365.32, 353.02, 353.63, 87.8123213791, 51314211.0),  // 2020-06-26
    (362.1736, 351.28, 361.78, 89.8361044836, 32661519.0),  // 2020-06-29
    (365.98, 360.0, 364.8, 90.5860216585, 35055821.0),  // 2020-06-30
    (367.36, 363.91, 364.11, 90.4146829662, 27690454.0),  // 2020-07-01
    (370.47, 363.64, 364.11, 90.4146829662, 28814516.0),  // 2020-07-02
    (375.78, 369.87, 373.85, 92.8332900138, 29745936.0),  // 2020-07-06
    (378.62, 372.23, 372.69, 92.5452423572, 28206999.0),  // 2020-07-07
    (381.5, 376.36, 381.37, 94.7006334427, 29274479.0),  // 2020-07-08
    (385.27, 378.69, 383.01, 95.1078732331, 31420357.0),  // 2020-07-09
    (383.92, 378.82, 383.68, 95.2742455864, 22564330.0),  // 2020-07-10
    (399.82, 381.03, 381.91, 94.8347245932, 47913079.0),  // 2020-07-13
    (389.02, 375.51, 388.23, 96.4040876877, 42748119.0),  // 2020-07-14
    (396.99, 385.96, 390.9, 97.0670939318, 38306874.0),  // 2020-07-15
    (389.62, 383.62, 386.09, 95.8726894247, 27645927.0),  // 2020-07-16
    (388.59, 383.36, 385.31, 95.6790022073, 23046755.0),  // 2020-07-17
    (394.0, 384.25, 393.43, 97.6953358035, 22397208.0),  // 2020-07-20
    (397.0, 386.97, 388.0, 96.3469747903, 25627347.0),  // 2020-07-21
    (391.9, 386.41, 389.09, 96.6176402607, 22250413.0),  // 2020-07-22
    (388.31, 368.039, 371.38, 92.2199471588, 49251108.0),  // 2020-07-23
    (371.88, 356.58, 370.46, 91.9914955691, 46359716.0),  // 2020-07-24
    (379.62, 373.92, 379.24, 94.1717183492, 30303548.0),  // 2020-07-27
    (378.1986, 372.99, 373.01, 92.6247037797, 25906375.0),  // 2020-07-28
    (380.92, 374.85, 380.16, 94.4001699389, 22582314.0),  // 2020-07-29
    (385.19, 375.07, 384.76, 95.5424278874, 39532505.0),  // 2020-07-30
    (425.66, 403.3, 425.04, 105.544634446, 93573867.0),  // 2020-07-31
    (446.5457, 431.57, 435.75, 108.20410893, 77037847.0),  // 2020-08-03
    (443.16, 433.55, 438.66, 108.926711241, 43198092.0),  // 2020-08-04
    (441.57, 435.59, 440.25, 109.321535184, 30497988.0),  // 2020-08-05
    (457.65, 439.19, 455.61, 113.135683464, 50607225.0),  // 2020-08-06
    (454.7, 441.17, 444.45, 110.56808625, 49511403.0),  // 2020-08-07
    (455.1, 440.0, 450.91, 112.175173295, 53100856.0),  // 2020-08-10
    (449.93, 436.4267, 437.5, 108.839099413, 46975594.0),  // 2020-08-11
    (453.1, 441.19, 452.04, 112.45628914, 41486205.0),  // 2020-08-12
    (464.17, 455.71, 460.04, 114.446489815, 52520516.0),  // 2020-08-13
    (460.0, 452.18, 459.63, 114.34449203, 41391302.0),  // 2020-08-14
    (464.35, 455.8501, 458.43, 114.045961929, 29431414.0),  // 2020-08-17
    (464.0, 456.03, 462.25, 114.996282752, 26408385.0),  // 2020-08-18
    (468.65, 462.44, 462.83, 115.1405723, 36384502.0),  // 2020-08-19
    (473.568, 462.9335, 473.1, 117.695492417, 31726797.0),  // 2020-08-20
    (499.472, 477.0, 497.48, 123.760628974, 84513660.0),  // 2020-08-21
    (515.14, 495.745, 503.43, 125.240840726, 86484442.0),  // 2020-08-24
    (500.7172, 492.21, 499.3, 124.213399628, 52873947.0),  // 2020-08-25
    (507.97, 500.33, 506.09, 125.90258245, 40755567.0),  // 2020-08-26
    (509.94, 495.33, 500.04, 124.39749319, 38888096.0),  // 2020-08-27
    (505.77, 498.31, 499.23, 124.195985372, 46907479.0),  // 2020-08-28
    (131.0, 126.0, 129.04, 128.40774755, 223505733.0),  // 2020-08-31
    (134.8, 130.53, 134.18, 133.522563285, 152470142.0),  // 2020-09-01
    (137.98, 127.0, 131.4, 130.756184347, 200118991.0),  // 2020-09-02
    (128.84, 120.5, 120.88, 120.287728796, 257599640.0),  // 2020-09-03
    (123.7, 110.89, 120.96, 120.367336823, 332607163.0),  // 2020-09-04
    (118.99, 112.68, 112.82, 112.267220076, 231366563.0),  // 2020-09-08
    (119.14, 115.26, 117.32, 116.745171595, 176940455.0),  // 2020-09-09
    (120.5, 112.5, 113.49, 112.933937302, 182274391.0),  // 2020-09-10
    (115.23, 110.0, 112.0, 111.451237799, 180860325.0),  // 2020-09-11
    (115.93, 112.8, 115.355, 114.789799431, 140150087.0),  // 2020-09-14
    (118.829, 113.61, 115.54, 114.973892994, 184642039.0),  // 2020-09-15
    (116.0, 112.04, 112.13, 111.580600843, 155026675.0),  // 2020-09-16
    (112.2, 108.71, 110.34, 109.799371239, 178010968.0),  // 2020-09-17
    (110.88, 106.09, 106.84, 106.316520058, 287104882.0),  // 2020-09-18
    (110.19, 103.1, 110.08, 109.540645151, 195713815.0),  // 2020-09-21
    (112.86, 109.16, 111.81, 111.262168735, 183055373.0),  // 2020-09-22
    (112.11, 106.77, 107.12, 106.595148152, 150718671.0),  // 2020-09-23
    (110.25, 105.0, 108.22, 107.689758523, 167743349.0),  // 2020-09-24
    (112.44, 107.67, 112.28, 111.729865894, 149981441.0),  // 2020-09-25
    (115.32, 112.78, 114.96, 114.396734798, 137672403.0),  // 2020-09-28
    (115.31, 113.57, 114.09, 113.530997505, 100060526.0),  // 2020-09-29
    (117.26, 113.62, 115.81, 115.242570085, 142675184.0),  // 2020-09-30
    (117.72, 115.83, 116.79, 116.217768416, 116120440.0),  // 2020-10-01
    (115.37, 112.22, 113.02, 112.466240143, 144711986.0),  // 2020-10-02
    (116.65, 113.55, 116.5, 115.929189318, 106243839.0),  // 2020-10-05
    (116.12, 112.25, 113.16, 112.605554191, 161498212.0),  // 2020-10-06
    (115.55, 114.13, 115.08, 114.516146839, 96848985.0),  // 2020-10-07
    (116.4, 114.5901, 114.97, 114.406685802, 83477153.0),  // 2020-10-08
    (117.0, 114.92, 116.97, 116.396886477, 100506865.0),  // 2020-10-09
    (125.18, 119.2845, 124.4, 123.790481984, 240226769.0),  // 2020-10-12
    (125.39, 119.65, 121.1, 120.50665087, 262330451.0),  // 2020-10-13
    (123.03, 119.62, 121.19, 120.596209901, 151062308.0),  // 2020-10-14
    (121.2, 118.15, 120.71, 120.118561739, 112559219.0),  // 2020-10-15
    (121.548, 118.81, 119.02, 118.436842168, 115393808.0),  // 2020-10-16
    (120.419, 115.66, 115.98, 115.411737142, 120639337.0),  // 2020-10-19
    (118.98, 115.63, 117.51, 116.934240659, 124423728.0),  // 2020-10-20
    (118.705, 116.45, 116.87, 116.297376443, 89945980.0),  // 2020-10-21
    (118.04, 114.59, 115.75, 115.182864065, 101987954.0),  // 2020-10-22
    (116.55, 114.28, 115.04, 114.476342825, 82572645.0),  // 2020-10-23
    (116.55, 112.88, 115.05, 114.486293829, 111850657.0),  // 2020-10-26
    (117.28, 114.5399, 116.6, 116.028699352, 92276772.0),  // 2020-10-27
    (115.43, 111.1, 111.2, 110.655157529, 143937823.0),  // 2020-10-28
    (116.93, 112.2, 115.32, 114.75497092, 146129173.0),  // 2020-10-29
    (111.99, 107.72, 108.86, 108.326622739, 190573476.0),  // 2020-10-30
    (110.68, 107.32, 108.77, 108.237063709, 122866899.0),  // 2020-11-02
    (111.49, 108.73, 110.44, 109.898881273, 107624448.0),  // 2020-11-03
    (115.59, 112.35, 114.95, 114.386783795, 138235482.0),  // 2020-11-04
    (119.62, 116.8686, 119.03, 118.446793172, 126387074.0),  // 2020-11-05
    (119.2, 116.13, 118.69, 118.312454626, 114457922.0),  // 2020-11-06
    (121.99, 116.05, 116.32, 115.949993446, 154515315.0),  // 2020-11-09
    (117.59, 114.13, 115.97, 115.601106774, 138023390.0),  // 2020-11-10
    (119.63, 116.44, 119.49, 119.109909877, 112294954.0),  // 2020-11-11
    (120.53, 118.57, 119.21, 118.830800539, 103350674.0),  // 2020-11-12
    (119.6717, 117.87, 119.26, 118.880641492, 81688586.0),  // 2020-11-13
    (120.99, 118.146, 120.3, 119.917333318, 91183018.0),  // 2020-11-16
    (120.6741, 118.96, 119.39, 119.010227971, 74270973.0),  // 2020-11-17
    (119.82, 118.0, 118.03, 117.654554044, 76322111.0),  // 2020-11-18
    (119.06, 116.81, 118.64, 118.262613673, 74112972.0),  // 2020-11-19
    (118.77, 117.29, 117.34, 116.966748891, 73604287.0),  // 2020-11-20
    (117.6202, 113.75, 113.85, 113.48785036, 127959318.0),  // 2020-11-23
    (115.85, 112.59, 115.17, 114.803651523, 113226248.0),  // 2020-11-24
    (116.75, 115.17, 116.03, 115.660915918, 76499234.0),  // 2020-11-25
    (117.49, 116.22, 116.59, 116.219134593, 46691331.0),  // 2020-11-27
    (120.97, 116.81, 119.05, 118.671309489, 169410176.0),  // 2020-11-30
    (123.4693, 120.01, 122.72, 122.329635451, 125920963.0),  // 2020-12-01
    (123.37, 120.89, 123.08, 122.688490314, 89004195.0),  // 2020-12-02
];
const SPLIT_DAY: usize = 64;

/// Adjusts as DESIGN §5 says: f = adj_close / close; prices × f, volume ÷ f.
fn aapl() -> (Vec<f64>, Vec<f64>, Vec<f64>, Vec<f64>) {
    let mut bars = (vec![], vec![], vec![], vec![]);
    for &(high, low, close, adj_close, volume) in &AAPL {
        let f = adj_close / close;
        bars.0.push(high * f);
        bars.1.push(low * f);
        bars.2.push(close * f);
        bars.3.push(volume / f);
    }
    bars
}

/// 250 deterministic bars whose arithmetic is exact in binary floating point, so
/// TA-Lib saw bit-identical inputs: close = 94.5 + 0.25·i + 0.5·((37·i) mod 23).
fn generated() -> (Vec<f64>, Vec<f64>, Vec<f64>, Vec<f64>) {
    let mut bars = (vec![], vec![], vec![], vec![]);
    for i in 0..250_u32 {
        let close = 100.0 + 0.25 * f64::from(i) + f64::from((i * 37) % 23) * 0.5 - 5.5;
        bars.0.push(close + 1.0 + f64::from(i % 3) * 0.25);
        bars.1.push(close - 1.0 - f64::from(i % 5) * 0.125);
        bars.2.push(close);
        bars.3
            .push(1_000_000.0 + f64::from((i * 7919) % 1000) * 1000.0);
    }
    bars
}

#[test]
fn sma_is_the_mean_of_the_last_n_values() {
    // SMA3 of 1,2,3 = 2; of 2,3,4 = 3; of 3,4,8 = 5
    let out = sma(&[1.0, 2.0, 3.0, 4.0, 8.0], 3);
    assert_eq!(out, vec![None, None, Some(2.0), Some(3.0), Some(5.0)]);
}

#[test]
fn sma_of_a_series_shorter_than_its_period_is_all_none() {
    assert_eq!(sma(&[1.0, 2.0], 3), vec![None, None]);
    assert_eq!(sma(&[1.0, 2.0], 0), vec![None, None]);
    assert!(sma(&[], 3).is_empty());
    // SMA1 is the series itself.
    assert_eq!(sma(&[4.0, 5.0], 1), vec![Some(4.0), Some(5.0)]);
}

#[test]
fn ema_is_seeded_with_the_sma_of_its_first_n_values() {
    // EMA3, α = 2/4 = 0.5: seed mean(2,4,6) = 4 at index 2;
    // then 4 + (8 − 4)·0.5 = 6; 6 + (20 − 6)·0.5 = 13.
    let out = ema(&[2.0, 4.0, 6.0, 8.0, 20.0], 3);
    assert_eq!(out, vec![None, None, Some(4.0), Some(6.0), Some(13.0)]);
    assert_eq!(ema(&[2.0, 4.0], 3), vec![None, None]);
    assert_eq!(ema(&[2.0, 4.0], 0), vec![None, None]);
}

#[test]
fn macd_small_periods_by_hand() {
    // fast 2 (α 2/3), slow 3 (α 1/2), signal 2 (α 2/3) on 1,2,4,8,16.
    // Both EMAs start at bar 2: fast = mean(2,4) = 3, slow = mean(1,2,4) = 7/3.
    // Bar 3: fast 3 + (8−3)·2/3 = 19/3; slow 7/3 + (8−7/3)/2 = 31/6; line 7/6.
    // Signal seed = mean(line[2] = 2/3, line[3] = 7/6) = 11/12; hist 7/6 − 11/12 = 1/4.
    // Bar 4: fast 115/9, slow 127/12, line 79/36; signal 11/12 + (79/36 − 11/12)·2/3
    // = 191/108; hist 79/36 − 191/108 = 23/54.
    let out = macd(&[1.0, 2.0, 4.0, 8.0, 16.0], 2, 3, 2);
    assert_eq!(
        out.line[..3],
        [None, None, None],
        "line waits for the signal"
    );
    assert_close(out.line[3], 7.0 / 6.0);
    assert_close(out.signal[3], 11.0 / 12.0);
    assert_close(out.hist[3], 0.25);
    assert_close(out.line[4], 79.0 / 36.0);
    assert_close(out.signal[4], 191.0 / 108.0);
    assert_close(out.hist[4], 23.0 / 54.0);
}

#[test]
fn macd_swaps_a_fast_period_longer_than_the_slow_one() {
    let (_, _, close, _) = aapl();
    assert_eq!(macd(&close, 26, 12, 9), macd(&close, 12, 26, 9));
}

#[test]
fn macd_of_a_short_series_is_all_none() {
    // 12/26/9 needs 34 bars: the first output is at bar 25 + 8 = 33.
    let (_, _, close, _) = aapl();
    let out = macd(&close[..33], 12, 26, 9);
    assert!(out
        .line
        .iter()
        .chain(&out.signal)
        .chain(&out.hist)
        .all(Option::is_none));
    assert_eq!(out.line.len(), 33);
    assert_eq!(first_some(&macd(&close[..34], 12, 26, 9).hist), Some(33));
    assert!(macd(&close, 0, 26, 9).line.iter().all(Option::is_none));
    assert!(macd(&close, 12, 26, 0).line.iter().all(Option::is_none));
}

#[test]
fn macd_matches_talib_on_aapl() {
    let (_, _, close, _) = aapl();
    let out = macd(&close, 12, 26, 9);
    for series in [&out.line, &out.signal, &out.hist] {
        assert_starts_at(series, 33);
    }
    assert_close(out.line[33], 3.43047709578903);
    assert_close(out.signal[33], 3.54239182482662);
    assert_close(out.hist[33], -0.11191472903759037);
    assert_close(out.line[SPLIT_DAY], 7.021170026278341);
    assert_close(out.signal[SPLIT_DAY], 6.583187449614175);
    assert_close(out.hist[SPLIT_DAY], 0.43798257666416607);
    assert_close(out.line[129], 1.1539522122007355);
    assert_close(out.signal[129], 0.6566517380977748);
    assert_close(out.hist[129], 0.49730047410296074);
}

#[test]
fn macd_line_is_not_ema12_minus_ema26_early_on() {
    // TA-Lib seeds the fast EMA at bar 25 with mean(bars 14..=25) instead of at
    // bar 11; the gap then shrinks by 11/13 a bar: 3.4305 vs 3.3841 at bar 33,
    // about 5e-9 by bar 129 ((11/13)^104 ≈ 3e-8 of the initial gap).
    let (_, _, close, _) = aapl();
    let line = macd(&close, 12, 26, 9).line;
    let separate = |i: usize| ema(&close, 12)[i].unwrap() - ema(&close, 26)[i].unwrap();
    assert_close(Some(separate(33)), 3.384085850800588);
    assert!(line[33].unwrap() - separate(33) > 0.04);
    assert!((line[129].unwrap() - separate(129)).abs() < 1e-7);
}

#[test]
fn rsi_wilder_by_hand() {
    // RSI2 on 10, 11, 10.5, 11.5, 11: changes +1, −0.5, +1, −0.5.
    // Bar 2: avg gain (1+0)/2 = 0.5, avg loss (0+0.5)/2 = 0.25 → RS 2 → 66.67.
    // Bar 3: gain (0.5·1 + 1)/2 = 0.75, loss (0.25·1 + 0)/2 = 0.125 → RS 6 → 85.71.
    // Bar 4: gain 0.75/2 = 0.375, loss (0.125 + 0.5)/2 = 0.3125 → RS 1.2 → 54.55.
    let out = rsi(&[10.0, 11.0, 10.5, 11.5, 11.0], 2);
    assert_eq!(out[..2], [None, None]);
    assert_close(out[2], 200.0 / 3.0);
    assert_close(out[3], 600.0 / 7.0);
    assert_close(out[4], 600.0 / 11.0);
}

#[test]
fn rsi_of_a_flat_series_is_50_not_talibs_0() {
    // No gain and no loss: neither overbought nor oversold.
    let out = rsi(&[7.0; 20], 14);
    assert_starts_at(&out, 14);
    assert!(out[14..].iter().all(|&x| x == Some(50.0)));
}

#[test]
fn rsi_with_no_losses_is_100_and_with_no_gains_is_0() {
    // avg loss 0 → RS infinite → 100; avg gain 0 → RS 0 → 0.
    let up: Vec<f64> = (1..=20).map(f64::from).collect();
    let down: Vec<f64> = up.iter().rev().copied().collect();
    assert!(rsi(&up, 14)[14..].iter().all(|&x| x == Some(100.0)));
    assert!(rsi(&down, 14)[14..].iter().all(|&x| x == Some(0.0)));
    // Rising then flat: the loss average stays 0, so still 100.
    let up_then_flat: Vec<f64> = up.iter().chain(&[20.0; 5]).copied().collect();
    assert_eq!(rsi(&up_then_flat, 14)[24], Some(100.0));
}

#[test]
fn rsi_needs_n_changes() {
    // 14 closes give only 13 changes.
    assert!(rsi(&[1.0; 14], 14).iter().all(Option::is_none));
    assert!(rsi(&[1.0; 20], 0).iter().all(Option::is_none));
    assert!(rsi(&[], 14).is_empty());
}

#[test]
fn rsi_matches_talib_on_adjusted_aapl() {
    let (_, _, close, _) = aapl();
    let out = rsi(&close, 14);
    assert_starts_at(&out, 14);
    assert_close(out[14], 69.26053904600515);
    // On raw closes the split reads as a crash (TA-Lib: RSI 15.03); adjusted, 78.45.
    assert_close(out[SPLIT_DAY], 78.44733365996464);
    assert_close(out[129], 62.07184747914698);
}

#[test]
fn atr_wilder_by_hand() {
    // TR1 = max(11−10, |11−9.5|, |10−9.5|) = 1.5; TR2 = max(12−10, |12−10.5|,
    // |10−10.5|) = 2; ATR2 at bar 2 = mean(1.5, 2) = 1.75.
    // TR3 = max(11−9, |11−11|, |9−11|) = 2; ATR = (1.75·1 + 2)/2 = 1.875.
    let out = atr(
        &[10.0, 11.0, 12.0, 11.0],
        &[9.0, 10.0, 10.0, 9.0],
        &[9.5, 10.5, 11.0, 10.0],
        2,
    );
    assert_eq!(out, vec![None, None, Some(1.75), Some(1.875)]);
}

#[test]
fn atr_matches_talib_on_adjusted_aapl() {
    let (high, low, close, _) = aapl();
    let out = atr(&high, &low, &close, 14);
    assert_starts_at(&out, 14);
    assert_close(out[14], 2.2621673720095683);
    assert_close(out[SPLIT_DAY], 3.3041009041640255);
    assert_close(out[129], 3.1767445669856937);
    assert!(atr(&high[..14], &low[..14], &close[..14], 14)
        .iter()
        .all(Option::is_none));
}

#[test]
#[should_panic(expected = "one value per bar")]
fn atr_rejects_slices_of_different_lengths() {
    atr(&[1.0, 2.0], &[1.0], &[1.0, 2.0], 1);
}

#[test]
fn volume_ratio_is_volume_over_its_sma() {
    // SMA2 of 100,100 = 100 → 1; of 100,400 = 250 → 400/250 = 1.6.
    let out = volume_ratio(&[100.0, 100.0, 100.0, 400.0], 2);
    assert_eq!(out, vec![None, Some(1.0), Some(1.0), Some(1.6)]);
    // No traded volume in the window: no ratio rather than NaN.
    assert_eq!(
        volume_ratio(&[0.0, 0.0, 5.0], 2),
        vec![None, None, Some(2.0)]
    );
}

#[test]
fn volume_ratio_matches_talib_sma_on_adjusted_aapl() {
    // Raw volume quadruples at the split; adjusted volume is continuous.
    let (_, _, _, volume) = aapl();
    let out = volume_ratio(&volume, 20);
    assert_starts_at(&out, 19);
    assert_close(out[19], 1.3809296774665816);
    assert_close(out[SPLIT_DAY], 1.1891522061554285);
    assert_close(out[129], 0.8445962222084388);
}

#[test]
fn sma_and_ema_match_talib_on_adjusted_aapl() {
    let (_, _, close, _) = aapl();
    let cases: [(Vec<Option<f64>>, usize, [f64; 3]); 4] = [
        (
            sma(&close, 20),
            19,
            [85.43543157834502, 117.11052735599996, 117.75954746330004],
        ),
        (
            sma(&close, 50),
            49,
            [92.79530704933802, 103.34172931571206, 115.82106985112003],
        ),
        (
            ema(&close, 12),
            11,
            [83.27288068757501, 121.37321796773594, 118.35942057585525],
        ),
        (
            ema(&close, 26),
            25,
            [86.74379446201539, 114.35230937743108, 117.20546836868458],
        ),
    ];
    for (out, first, [at_first, at_split, at_last]) in cases {
        assert_starts_at(&out, first);
        assert_close(out[first], at_first);
        assert_close(out[SPLIT_DAY], at_split);
        assert_close(out[129], at_last);
    }
}

#[test]
fn volatility_is_the_sample_std_of_daily_returns_annualised() {
    // Closes 100, 110, 99, 108.9 → returns +10 %, −10 %, +10 %; mean 1/30;
    // squared deviations (1/15)², (2/15)², (1/15)² sum to 6/225; ÷ (3 − 1) = 3/225;
    // std = √3/15 ≈ 0.11547; × √252 ≈ 1.83303.
    let got = volatility_annualised(&[100.0, 110.0, 99.0, 108.9], 3);
    assert_close(got, 3.0_f64.sqrt() / 15.0 * 252.0_f64.sqrt());
    // Only the last `window` returns count: an earlier crash changes nothing.
    let with_prefix = volatility_annualised(&[500.0, 100.0, 110.0, 99.0, 108.9], 3);
    assert_close(with_prefix, got.unwrap());
}

#[test]
fn volatility_needs_window_plus_one_closes_and_two_returns() {
    assert_eq!(volatility_annualised(&[100.0, 110.0, 99.0], 3), None);
    assert_eq!(volatility_annualised(&[100.0, 110.0], 1), None);
    assert_eq!(volatility_annualised(&[100.0; 30], 20), Some(0.0));
    assert_eq!(
        volatility_annualised(&[0.0; 30], 20),
        None,
        "0/0 is not a return"
    );
}

#[test]
fn volatility_matches_numpy_on_adjusted_aapl() {
    // numpy.std(last 20 returns, ddof=1) · √252.
    let (_, _, close, _) = aapl();
    assert_close(volatility_annualised(&close, 20), 0.29429083496101965);
}

#[test]
fn trend_compares_sma20_with_sma50() {
    assert_eq!(trend(Some(11.0), Some(10.0)), Trend::Up);
    assert_eq!(trend(Some(9.0), Some(10.0)), Trend::Down);
    assert_eq!(trend(Some(10.0), Some(10.0)), Trend::Neutral);
    assert_eq!(trend(None, Some(10.0)), Trend::Neutral);
    assert_eq!(trend(Some(10.0), None), Trend::Neutral);
    let labels = [Trend::Up, Trend::Down, Trend::Neutral].map(Trend::as_str);
    assert_eq!(labels, ["UP", "DOWN", "NEUTRAL"]);
}

#[test]
fn trend_serialises_as_its_label() {
    assert_eq!(serde_json::to_string(&Trend::Down).unwrap(), "\"DOWN\"");
    let back: Trend = serde_json::from_str("\"NEUTRAL\"").unwrap();
    assert_eq!(back, Trend::Neutral);
}

#[test]
fn compute_all_aligns_every_indicator_with_talib() {
    let (high, low, close, volume) = generated();
    let rows = compute_all(&high, &low, &close, &volume);
    assert_eq!(rows.len(), 250);
    type Field = fn(&IndicatorRow) -> Option<f64>;
    let column = |f: Field| rows.iter().map(f).collect::<Vec<_>>();
    let firsts: [(Field, usize); 11] = [
        (|r| r.sma_20, 19),
        (|r| r.sma_50, 49),
        (|r| r.sma_200, 199),
        (|r| r.ema_12, 11),
        (|r| r.ema_26, 25),
        (|r| r.macd, 33),
        (|r| r.macd_signal, 33),
        (|r| r.macd_hist, 33),
        (|r| r.rsi_14, 14),
        (|r| r.volume_ratio, 19),
        (|r| r.atr_14, 14),
    ];
    for (field, first) in firsts {
        assert_starts_at(&column(field), first);
    }
    for (i, refs) in [
        (
            199,
            [
                124.84,
                143.615,
                147.025,
                1.643726148648625,
                -0.10990513949641834,
            ],
        ),
        (
            249,
            [
                137.395,
                156.285,
                159.925,
                2.1792884647076676,
                0.252436529882782,
            ],
        ),
    ] {
        let row = rows[i];
        let got = [row.sma_200, row.sma_50, row.sma_20, row.macd, row.macd_hist];
        for (got, want) in got.into_iter().zip(refs) {
            assert_close(got, want);
        }
    }
    assert_close(rows[199].rsi_14, 49.5611658732483);
    assert_close(rows[249].rsi_14, 52.716119311144475);
    assert_close(rows[199].atr_14, 6.633289785496414);
    assert_close(rows[249].atr_14, 6.6984601196804);
    assert_close(rows[199].volume_ratio, 1.296794208893485);
    assert_close(rows[249].volume_ratio, 1.2202599133622125);
}

#[test]
fn compute_all_row_trend_uses_its_smas() {
    // SMA20 147.025 > SMA50 143.615 at bar 199 (TA-Lib); no SMA50 before bar 49.
    let (high, low, close, volume) = generated();
    let rows = compute_all(&high, &low, &close, &volume);
    assert_eq!(rows[199].trend(), Trend::Up);
    assert_eq!(rows[30].trend(), Trend::Neutral);
    assert_eq!(IndicatorRow::default().trend(), Trend::Neutral);
}

#[test]
fn compute_all_on_a_short_series_gives_empty_rows() {
    // 11 bars: every lookback (the shortest is EMA12's 12) is unfilled.
    let (high, low, close, volume) = generated();
    let rows = compute_all(&high[..11], &low[..11], &close[..11], &volume[..11]);
    assert_eq!(rows, vec![IndicatorRow::default(); 11]);
    assert!(compute_all(&[], &[], &[], &[]).is_empty());
}

#[test]
fn outputs_are_never_nan() {
    let (high, low, close, volume) = aapl();
    let rows = compute_all(&high, &low, &close, &volume);
    let mut values = rows.iter().flat_map(|r| {
        [
            r.sma_20,
            r.sma_50,
            r.sma_200,
            r.ema_12,
            r.ema_26,
            r.macd,
            r.macd_signal,
            r.macd_hist,
            r.rsi_14,
            r.volume_ratio,
            r.atr_14,
        ]
    });
    assert!(values.all(|x| x.is_none_or(f64::is_finite)));
    // A NaN in the input turns into None, not NaN.
    let mut broken = close.clone();
    broken[40] = f64::NAN;
    let out = ema(&broken, 12);
    assert_eq!(first_some(&out), Some(11));
    assert!(out[40..].iter().all(Option::is_none));
    assert!(sma(&broken, 3)[40..=42].iter().all(Option::is_none));
    assert_eq!(sma(&broken, 3)[43], sma(&close, 3)[43]);
}

#[test]
fn sma_is_exact_again_once_a_huge_value_has_left_the_window() {
    // A bad print of 1e12 among 1.1s. ulp(1e12) = 2^-13 ≈ 1.2e-4, so a plain running sum
    // loses up to 6e-5 of the window's 20.9 when the print enters and keeps that error in
    // every later window (3e-6 relative); the compensated sum gives 1.1 back.
    let mut values = vec![1.1; 300];
    values[10] = 1e12;
    let sma_20 = sma(&values, 20);
    assert_close(sma_20[29], (19.0 * 1.1 + 1e12) / 20.0);
    assert!(sma_20[30..]
        .iter()
        .all(|&x| (x.unwrap() - 1.1).abs() <= 1e-9 * 1.1));
    let sma_200 = sma(&values, 200);
    assert!(sma_200[210..]
        .iter()
        .all(|&x| (x.unwrap() - 1.1).abs() <= 1e-9 * 1.1));
    // 1e20 among 1.0s: ulp(1e20) = 16384, so a plain sum would lose every 1.0 beside it
    // (and then give 0 or −0.8 afterwards); compensated, exactly 1.0.
    let mut ones = vec![1.0; 300];
    ones[10] = 1e20;
    let sma_20 = sma(&ones, 20);
    assert_close(sma_20[29], 1e20 / 20.0);
    assert!(sma_20[30..].iter().all(|&x| x == Some(1.0)));
}

#[test]
fn shared_close_totals_stay_exact_long_after_huge_values() {
    // SMA 20, 50 and 200 are differences of one series of compensated totals: after bad
    // prints of 1e12 and 1e20 and a fall from 1,000 to 0.01 over 6,500 bars (totals up to
    // 1e20 beside windows of 0.2), every window still matches its own sum to 1e-9.
    let len = 6_500;
    let close: Vec<f64> = (0..len)
        .map(|i| match i {
            10 => 1e12,
            3_000 => 1e20,
            3_500 => f64::NAN,
            _ => 1_000.0 * 1e-5f64.powf(i as f64 / len as f64),
        })
        .collect();
    let volume: Vec<f64> = (0..len)
        .map(|i| if i == 77 { 1e18 } else { 1e6 + i as f64 })
        .collect();
    let rows = compute_all(&close, &close, &close, &volume);
    for (n, column) in [(20, 0), (50, 1), (200, 2)] {
        let want = naive::sma(&close, n);
        for i in n - 1..len {
            let got = [rows[i].sma_20, rows[i].sma_50, rows[i].sma_200][column];
            match want[i].filter(|w| w.is_finite()) {
                Some(w) => assert!((got.unwrap() - w).abs() <= 1e-9 * w.abs(), "SMA {n} at {i}"),
                None => assert_eq!(got, None, "SMA {n} at {i}"),
            }
        }
    }
    let want = naive::sma(&volume, 20);
    for i in 19..len {
        assert_close(rows[i].volume_ratio, volume[i] / want[i].unwrap());
    }
}

#[test]
fn sma_recovers_after_an_infinity_leaves_the_window() {
    // inf − inf is NaN, so a running sum alone would stay NaN for ever.
    let mut values = vec![2.5; 10];
    values[3] = f64::INFINITY;
    let out = sma(&values, 3);
    assert!(out[3..=5].iter().all(Option::is_none));
    assert_eq!(out[6..], [Some(2.5); 4]);
}

#[test]
fn compute_all_recovers_from_a_bad_volume_print() {
    // Volume 1e18 on one bar (ulp 128) among 1,000,000.3s: 20 bars later the ratio is 1.0.
    let (high, low, close, mut volume) = generated();
    volume.iter_mut().for_each(|v| *v = 1_000_000.3);
    volume[100] = 1e18;
    let rows = compute_all(&high, &low, &close, &volume);
    // SMA20 at bar 100 = (19·1,000,000.3 + 1e18)/20 → ratio ≈ 20.
    assert_close(
        rows[100].volume_ratio,
        1e18 / ((19.0 * 1_000_000.3 + 1e18) / 20.0),
    );
    assert!(rows[120..]
        .iter()
        .all(|r| (r.volume_ratio.unwrap() - 1.0).abs() <= 1e-9));
}

/// Straightforward definitions over whole vectors, to check the one-pass code against.
mod naive {
    pub fn sma(values: &[f64], n: usize) -> Vec<Option<f64>> {
        (0..values.len())
            .map(|i| (i + 1 >= n).then(|| values[i + 1 - n..=i].iter().sum::<f64>() / n as f64))
            .collect()
    }

    pub fn ema(values: &[f64], n: usize) -> Vec<Option<f64>> {
        let mut out = vec![None; values.len()];
        if values.len() < n {
            return out;
        }
        let alpha = 2.0 / (n as f64 + 1.0);
        let mut value = values[..n].iter().sum::<f64>() / n as f64;
        out[n - 1] = Some(value);
        for i in n..values.len() {
            value = alpha * values[i] + (1.0 - alpha) * value;
            out[i] = Some(value);
        }
        out
    }

    /// Wilder's smoothing of `x[1..]`: the mean of the first n, then (prev·(n−1) + x)/n.
    fn wilder(x: &[f64], n: usize) -> Vec<Option<f64>> {
        let mut out = vec![None; x.len()];
        if x.len() <= n {
            return out;
        }
        let mut avg = x[1..=n].iter().sum::<f64>() / n as f64;
        out[n] = Some(avg);
        for i in n + 1..x.len() {
            avg = (avg * (n as f64 - 1.0) + x[i]) / n as f64;
            out[i] = Some(avg);
        }
        out
    }

    pub fn rsi(close: &[f64], n: usize) -> Vec<Option<f64>> {
        let change = |i: usize| if i == 0 { 0.0 } else { close[i] - close[i - 1] };
        let gains: Vec<f64> = (0..close.len()).map(|i| change(i).max(0.0)).collect();
        let losses: Vec<f64> = (0..close.len()).map(|i| (-change(i)).max(0.0)).collect();
        let (gain, loss) = (wilder(&gains, n), wilder(&losses, n));
        gain.iter()
            .zip(&loss)
            .map(|(g, l)| {
                let (g, l) = ((*g)?, (*l)?);
                Some(if g + l == 0.0 {
                    50.0
                } else {
                    100.0 * g / (g + l)
                })
            })
            .collect()
    }

    pub fn atr(high: &[f64], low: &[f64], close: &[f64], n: usize) -> Vec<Option<f64>> {
        let true_range: Vec<f64> = (0..close.len())
            .map(|i| match i {
                0 => 0.0,
                _ => [
                    high[i] - low[i],
                    (high[i] - close[i - 1]).abs(),
                    (low[i] - close[i - 1]).abs(),
                ]
                .into_iter()
                .fold(f64::MIN, f64::max),
            })
            .collect();
        wilder(&true_range, n)
    }
}

fn all_within_1e9(got: &[Option<f64>], want: &[Option<f64>]) -> Result<(), String> {
    if got.len() != want.len() {
        return Err(format!("{} values, expected {}", got.len(), want.len()));
    }
    for (i, (g, w)) in got.iter().zip(want).enumerate() {
        let ok = match (g, w) {
            (Some(g), Some(w)) => (g - w).abs() <= 1e-9 * w.abs().max(g.abs()),
            (None, None) => true,
            _ => false,
        };
        if !ok {
            return Err(format!("bar {i}: got {g:?}, expected {w:?}"));
        }
    }
    Ok(())
}

/// A random walk of up to ±8 % a day with ranges and volumes. About one volume in fifty is a
/// bad print a billion times too large, the case a running sum must survive; about one close
/// in fifty is 1,000 times too large (larger would defeat TA-Lib's own EMA form,
/// `prev + (x − prev)·α`, whose cancellation after such a bar is no running-sum matter).
fn random_bars() -> impl Strategy<Value = (Vec<f64>, Vec<f64>, Vec<f64>, Vec<f64>)> {
    let bar = (
        -0.08f64..0.08,
        0.0f64..0.05,
        0.0f64..0.05,
        0.2f64..3.0,
        0u8..50,
    );
    (0.5f64..2000.0, proptest::collection::vec(bar, 0..450)).prop_map(|(start, steps)| {
        let mut bars = (vec![], vec![], vec![], vec![]);
        let mut level = start;
        for (step, up, down, volume, print) in steps {
            level *= 1.0 + step;
            let spike = if print == 0 { 1e3 } else { 1.0 };
            let close = level * spike;
            bars.0.push(close * (1.0 + up));
            bars.1.push(close * (1.0 - down));
            bars.2.push(close);
            bars.3
                .push(1e6 * volume * if print == 1 { 1e9 } else { 1.0 });
        }
        bars
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn one_pass_indicators_equal_their_definitions((high, low, close, volume) in random_bars()) {
        for n in [1, 2, 14, 20, 50, 200] {
            let cases = [
                ("SMA of closes", sma(&close, n), naive::sma(&close, n)),
                ("SMA of volumes", sma(&volume, n), naive::sma(&volume, n)),
                ("EMA", ema(&close, n), naive::ema(&close, n)),
                ("RSI", rsi(&close, n), naive::rsi(&close, n)),
                ("ATR", atr(&high, &low, &close, n), naive::atr(&high, &low, &close, n)),
            ];
            for (name, got, want) in cases {
                all_within_1e9(&got, &want)
                    .map_err(|e| TestCaseError::fail(format!("{name} {n}: {e}")))?;
            }
        }
    }

    #[test]
    fn compute_all_is_each_indicator_bar_by_bar((high, low, close, volume) in random_bars()) {
        let rows = compute_all(&high, &low, &close, &volume);
        let m = macd(&close, MACD_FAST, MACD_SLOW, MACD_SIGNAL);
        let columns = [
            sma(&close, SMA_SHORT),
            sma(&close, SMA_MEDIUM),
            sma(&close, SMA_LONG),
            ema(&close, MACD_FAST),
            ema(&close, MACD_SLOW),
            m.line,
            m.signal,
            m.hist,
            rsi(&close, RSI_PERIOD),
            volume_ratio(&volume, VOLUME_RATIO_PERIOD),
            atr(&high, &low, &close, ATR_PERIOD),
        ];
        for (i, r) in rows.iter().enumerate() {
            let row = [
                r.sma_20, r.sma_50, r.sma_200, r.ema_12, r.ema_26, r.macd, r.macd_signal,
                r.macd_hist, r.rsi_14, r.volume_ratio, r.atr_14,
            ];
            for (got, column) in row.iter().zip(&columns) {
                prop_assert_eq!(*got, column[i], "bar {}", i);
            }
        }
        // Each row depends only on the bars up to it.
        let half = close.len() / 2;
        let prefix = compute_all(&high[..half], &low[..half], &close[..half], &volume[..half]);
        prop_assert_eq!(&prefix[..], &rows[..half]);
    }
}

/// `for_each_signal_row` (the backtest's, which keeps a few rows) hands over `compute_all`'s
/// rows of the same closes, in order, through the warm-up and after it, a bad print and a NaN
/// included: the signal's indicators bit for bit, the other four `None`.
#[test]
fn for_each_signal_row_gives_compute_alls_signal_indicators() {
    let close: Vec<f64> = (0..700)
        .map(|i| match i {
            400 => 1e12,
            550 => f64::NAN,
            _ => 40.0 + (i as f64 * 0.21).sin() * 6.0,
        })
        .collect();
    let all = compute_all(&close, &close, &close, &close);
    let mut seen = Vec::new();
    for_each_signal_row(&close, |k, row| seen.push((k, row)));
    assert_eq!(seen.len(), all.len());
    for (k, (at, row)) in seen.iter().enumerate() {
        assert_eq!(*at, k);
        let expected = IndicatorRow {
            ema_12: None,
            ema_26: None,
            volume_ratio: None,
            atr_14: None,
            ..all[k]
        };
        assert_eq!(format!("{row:?}"), format!("{expected:?}"), "bar {k}");
    }
    // Compared where there is something to compare: before the NaN, every indicator has a value.
    assert!(all[500].ema_12.is_some() && all[500].atr_14.is_some());
    let row = seen[500].1;
    assert!(row.sma_200.is_some() && row.macd_hist.is_some() && row.rsi_14.is_some());
}
