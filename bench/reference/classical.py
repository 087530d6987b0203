#!/usr/bin/env python3
"""Our classical baselines (AR, ARIMA, ETS, Theta) against statsmodels.

Reads a run's results.json and the prepared target series it was computed on
(series.csv: date,value; row i is row i of the prepared series), refits every
baseline with statsmodels on the same rows (the last <= 5000 rows before each
retrodiction window) with the order and settings our run recorded
(windows[i].predictions.baselines.<name>.params and .label), lets statsmodels
estimate the parameters itself, forecasts one step ahead from every origin of
the window with those parameters fixed (the state updated on the actual
values), and prints per baseline the overall RMSE of statsmodels' forecasts,
ours (recomputed from results.json) and the relative difference.

  * AR:    AutoReg(lags=order, trend="c"), least squares; forecasts by
           AutoReg.predict with the fitted params over the fit rows + window.
  * ARIMA: ARIMA(order, trend="c" when d = 0, "t" (drift) when d = 1), exact
           MLE (state space); the window filtered by results.append(refit=False).
           Where the exact likelihood at our (CSS) estimate beats statsmodels'
           own optimum by more than 1, statsmodels' optimizer stopped at a local
           optimum (co2's ARIMA(3,1,2)): the MLE is run again from our
           estimate and the fit with the higher likelihood is the reference.
  * ETS:   ETSModel(error="add", trend="add", damped_trend=True,
           seasonal="add" when our period > 0, initialization_method="heuristic"),
           MLE; the window smoothed with the fitted params and initial states.
  * Theta: ThetaModel(period, deseasonalize as ours, method as ours,
           use_test=False): b0 and alpha as its fit computes them; from each
           origin the SES level of the deseasonalised rows seen (fixed alpha,
           statsmodels' ExponentialSmoothing) plus the drift term as
           ThetaModelResults.forecast_components computes it with nobs = rows seen.

It needs Debian's statsmodels (apt-get install python3-statsmodels) under the
system Python, /usr/bin/python3, not a pyenv or virtualenv python3:

    npx tsx bench/export-series.ts --dataset co2 --target co2 --batch-days 365 --windows 6 --out /tmp/co2
    /usr/bin/python3 bench/reference/classical.py /tmp/co2/results.json /tmp/co2/series.csv [--json] [--details] [--jobs N]

--details adds every window's parameters, ours against statsmodels'. The
fits run in one process per CPU (--jobs). packages/models/test/
classical-reference.test.ts runs this for the three reference series.

A real run's results.json works the same, with the series its spec prepares
(bench/export-series.ts --series-only with the run's data and retrodiction
options writes it). Only horizon-1 runs are compared (one-step forecasts).
Exit status: 0 on success, 2 on bad input, 3 when statsmodels is missing.
"""

import argparse
import csv
import json
import math
import multiprocessing
import os
import sys
import warnings

try:
    import numpy as np
    import statsmodels
    from statsmodels.tsa.ar_model import AutoReg, ar_select_order
    from statsmodels.tsa.arima.model import ARIMA
    from statsmodels.tsa.exponential_smoothing.ets import ETSModel
    from statsmodels.tsa.forecasting.theta import ThetaModel
    from statsmodels.tsa.holtwinters import ExponentialSmoothing
except ImportError as error:  # one line, for the test that runs this script
    print(f"statsmodels is not importable by {sys.executable} ({error}): apt-get install python3-statsmodels", file=sys.stderr)
    sys.exit(3)

BASELINES = ("ar", "arima", "ets", "theta")
# packages/models/src/classical/window.ts maxBaselineFitRows and baselines.ts baselineLimits.arMaxLag.
MAX_FIT_ROWS = 5000
AR_MAX_LAG = 24


class InputError(Exception):
    pass


def read_series(path):
    with open(path, newline="") as f:
        rows = list(csv.DictReader(f))
    if not rows or "value" not in rows[0]:
        raise InputError(f"{path}: expected a CSV with columns date,value")
    return [r["date"] for r in rows], np.array([float(r["value"]) for r in rows])


# --- statsmodels fits: each returns (one-step forecasts for rows [start, end), details) ---


def ar_forecasts(y, fit_start, start, end, params):
    order = int(params["order"])
    fit = AutoReg(y[fit_start:start], lags=order, trend="c").fit()
    model = AutoReg(y[fit_start:end], lags=order, trend="c")
    pred = model.predict(fit.params, start=start - fit_start, end=end - fit_start - 1)
    max_lag = min(AR_MAX_LAG, (start - fit_start - 2) // 3)
    selected = ar_select_order(y[fit_start:start], maxlag=max_lag, ic="aic", trend="c").ar_lags
    details = {
        "order": order,
        "statsmodels_aic_order": int(max(selected)) if selected is not None and len(selected) else 0,
        "intercept": [params["intercept"], float(fit.params[0])],
        "phi_max_abs_diff": float(np.max(np.abs(np.asarray(params["phi"]) - fit.params[1:]))),
    }
    return np.asarray(pred), details


def arima_forecasts(y, fit_start, start, end, params):
    p, d, q = int(params["p"]), int(params["d"]), int(params["q"])
    trend = {0: "c", 1: "t"}.get(d, [0] * d + [1])
    model = ARIMA(y[fit_start:start], order=(p, d, q), trend=trend)
    fit = model.fit(cov_type="none")  # no standard errors: half the time
    phi_ours, theta_ours = list(params["phi"]), list(params["theta"])
    # Ours: w_t = c + sum phi w_{t-k} + ...; statsmodels' trend term is the mean of w (the d-th difference).
    mean_ours = params["constant"] / (1 - sum(phi_ours)) if abs(1 - sum(phi_ours)) > 1e-12 else float("nan")
    ours = np.array([mean_ours, *phi_ours, *theta_ours, params.get("sigma2", fit.params[-1])], dtype=float)
    llf_at_ours = float(model.loglike(ours)) if np.all(np.isfinite(ours)) else float("nan")
    start_from = "statsmodels"
    if llf_at_ours > fit.llf + 1:
        # statsmodels' own start stopped at a local optimum that our parameters beat
        # (co2's ARIMA(3,1,2)): the exact MLE is continued from ours, best likelihood wins.
        from_ours = model.fit(start_params=ours, cov_type="none")
        if from_ours.llf > fit.llf:
            fit, start_from = from_ours, "ours"
    pred = fit.append(y[start:end], refit=False).predict(start=start - fit_start, end=end - fit_start - 1)
    values = dict(zip(fit.model.param_names, np.asarray(fit.params).tolist()))
    details = {
        "order": [p, d, q],
        "mean": [mean_ours, values.get("const", values.get("x1", float("nan")))],
        "phi": [phi_ours, [values[f"ar.L{k}"] for k in range(1, p + 1)]],
        "theta": [theta_ours, [values[f"ma.L{k}"] for k in range(1, q + 1)]],
        "sigma2": [params.get("sigma2"), values.get("sigma2")],
        "loglike": [llf_at_ours, float(fit.llf)],
        "mleStart": start_from,
    }
    return np.asarray(pred), details


def ets_forecasts(y, fit_start, start, end, params):
    period = int(params["period"])
    settings = dict(
        error="add",
        trend="add",
        damped_trend=bool(params.get("damped", True)),
        seasonal="add" if period > 0 else None,
        seasonal_periods=period if period > 0 else None,
    )
    model = ETSModel(y[fit_start:start], initialization_method="heuristic", **settings)
    fit = model.fit(disp=False)
    known = ETSModel(
        y[fit_start:end],
        initialization_method="known",
        initial_level=model.initial_level,
        initial_trend=model.initial_trend,
        initial_seasonal=model.initial_seasonal if period > 0 else None,
        **settings,
    )
    smoothed = known.smooth(fit.params)
    pred = np.asarray(smoothed.fittedvalues)[start - fit_start :]
    values = dict(zip(fit.model.param_names, np.asarray(fit.params).tolist()))
    details = {
        "alpha": [params["alpha"], values.get("smoothing_level")],
        "beta": [params["beta"], values.get("smoothing_trend")],
        "gamma": [params["gamma"], values.get("smoothing_seasonal", 0.0)],
        "phi": [params["phi"], values.get("damping_trend", 1.0)],
        "level": [params["level"], float(model.initial_level)],
        "trend": [params["trend"], float(model.initial_trend)],
        "season_max_abs_diff": float(np.max(np.abs(np.asarray(params["season"]) - np.asarray(model.initial_seasonal))))
        if period > 0
        else 0.0,
    }
    return pred, details


def theta_forecasts(y, fit_start, start, end, params):
    period = int(params["period"])
    kind = params.get("seasonal", "none")
    theta = float(params.get("theta", 2))
    if kind == "none":
        model = ThetaModel(y[fit_start:start], period=max(period, 1), deseasonalize=False, use_test=False)
    else:
        # ThetaModel turns every method but "auto" into additive when it deseasonalises
        # (_deseasonalize_data); "auto" is multiplicative for positive data.
        method = "auto" if kind == "multiplicative" else "additive"
        model = ThetaModel(y[fit_start:start], period=period, deseasonalize=True, use_test=False, method=method)
    fit = model.fit()
    seasonal = np.asarray(fit._seasonal)
    multiplicative = model.deseasonalize and model.method.startswith("mul")
    rows = y[fit_start:end]
    if model.deseasonalize and seasonal.shape[0]:
        index = seasonal[np.arange(rows.shape[0]) % period]
        x = rows / index if multiplicative else rows - index
    else:
        index = None
        x = rows
    alpha, b0 = float(fit.params["alpha"]), float(fit.params["b0"])
    # SES with the fitted alpha from the first deseasonalised value: fittedvalues[t] is the level after t rows.
    ses = ExponentialSmoothing(x, initial_level=x[0], initialization_method="known").fit(smoothing_level=alpha, optimized=False)
    level = np.asarray(ses.fittedvalues)
    trend_weight = (theta - 1) / theta
    pred = []
    for t in range(start - fit_start, end - fit_start):
        # forecast_components with nobs = t: b0 * (h - 1 + 1/alpha - (1 - alpha)^nobs / alpha), h = 1
        drift = b0 * (1 / alpha - (1 - alpha) ** t / alpha) if alpha > 0 else 0.0
        value = trend_weight * drift + level[t]
        if index is not None:
            value = value * index[t] if multiplicative else value + index[t]
        pred.append(value)
    details = {
        "alpha": [params["alpha"], alpha],
        "b0": [params["b0"], b0],
        "seasonal": [kind, ("multiplicative" if multiplicative else "additive") if model.deseasonalize else "none"],
        "season_max_abs_diff": float(np.max(np.abs(np.asarray(params["season"]) - seasonal))) if seasonal.shape[0] and params.get("season") else 0.0,
    }
    return np.asarray(pred), details


FITS = {"ar": ar_forecasts, "arima": arima_forecasts, "ets": ets_forecasts, "theta": theta_forecasts}


def rmse(errors):
    return math.sqrt(sum(e * e for e in errors) / len(errors)) if errors else float("nan")


def fit_one(task):
    """One baseline on one window: (statsmodels' forecasts, details) or the error."""
    name, y, fit_start, start, end, params = task
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return FITS[name](y, fit_start, start, end, params)
    except Exception as error:  # a statsmodels failure is reported, not fatal
        return None, f"{type(error).__name__}: {error}"


def compare(results, y, dates, max_fit_rows=MAX_FIT_ROWS, jobs=1):
    horizon = results.get("spec", {}).get("window", {}).get("horizon", 1)
    if horizon != 1:
        raise InputError(f"only one-step forecasts are compared; this run's horizon is {horizon}")
    tasks, windows = [], []
    for w in results["windows"]:
        number = w["window"]["index"] + 1
        start, end = int(w["window"]["startRow"]), int(w["window"]["endRow"])
        if end > len(y):
            raise InputError(f"window {number} ends at row {end}; the series has {len(y)} rows")
        if dates[start] != w["window"].get("startDate", dates[start]):
            raise InputError(f"window {number} starts on {w['window']['startDate']}; row {start} of the series is {dates[start]}")
        actual = np.asarray(w["predictions"]["actual"], dtype=float)
        if actual.shape[0] != end - start or not np.allclose(actual, y[start:end], rtol=1e-9, atol=1e-12):
            raise InputError(f"window {number}: its actual values are not rows {start}..{end} of the series")
        fit_start = max(0, start - max_fit_rows)
        windows.append({"index": w["window"]["index"], "startRow": start, "endRow": end, "fitStart": fit_start, "baselines": {}})
        for name in BASELINES:
            ours = w["predictions"]["baselines"].get(name)
            if ours is not None and "predicted" in ours:
                tasks.append((name, y, fit_start, start, end, ours["params"]))
    if jobs > 1 and len(tasks) > 1:
        with multiprocessing.get_context("fork").Pool(min(jobs, len(tasks))) as pool:
            fitted = pool.map(fit_one, tasks, chunksize=1)
    else:
        fitted = [fit_one(task) for task in tasks]
    by_task = {(task[0], task[3]): out for task, out in zip(tasks, fitted)}

    errors = {name: {"ours": [], "statsmodels": []} for name in BASELINES}
    labels, notes = {}, {name: [] for name in BASELINES}
    for w, window_out in zip(results["windows"], windows):
        number, start = w["window"]["index"] + 1, window_out["startRow"]
        actual = np.asarray(w["predictions"]["actual"], dtype=float)
        for name in BASELINES:
            ours = w["predictions"]["baselines"].get(name)
            if ours is None or "predicted" not in ours:
                notes[name].append(f"window {number}: ours unavailable ({ours.get('unavailable') if ours else 'not in results.json'})")
                continue
            labels[name] = ours["label"]
            reference, details = by_task[(name, start)]
            if reference is None:
                notes[name].append(f"window {number}: statsmodels failed ({details})")
                continue
            predicted = np.asarray([np.nan if v is None else v for v in ours["predicted"]], dtype=float)
            both = np.isfinite(predicted) & np.isfinite(reference)
            if not both.all():
                notes[name].append(f"window {number}: {int((~both).sum())} forecasts not finite, left out")
            ours_errors, reference_errors = (actual - predicted)[both].tolist(), (actual - reference)[both].tolist()
            errors[name]["ours"].extend(ours_errors)
            errors[name]["statsmodels"].extend(reference_errors)
            window_out["baselines"][name] = {
                "label": ours["label"],
                "rmse": {"ours": rmse(ours_errors), "statsmodels": rmse(reference_errors)},
                "params": details,
            }
    info = {name: [] for name in BASELINES}
    fits = [(name, w["baselines"][name]["params"]) for w in windows for name in BASELINES if name in w["baselines"]]
    ar = [d for name, d in fits if name == "ar"]
    if ar:
        same = sum(d["order"] == d["statsmodels_aic_order"] for d in ar)
        info["ar"].append(f"our order is ar_select_order's AIC choice in {same}/{len(ar)} windows")
    arima = [d for name, d in fits if name == "arima"]
    if arima:
        continued = sum(d["mleStart"] == "ours" for d in arima)
        info["arima"].append(f"exact MLE continued from our estimate (a likelihood better than statsmodels' start by > 1) in {continued}/{len(arima)} windows")
    summary = {}
    for name in BASELINES:
        ours, theirs = rmse(errors[name]["ours"]), rmse(errors[name]["statsmodels"])
        summary[name] = {
            "label": labels.get(name),
            "rows": len(errors[name]["ours"]),
            "statsmodels": theirs,
            "ours": ours,
            "relativeDifference": (ours - theirs) / theirs if theirs > 0 else float("nan"),
            "notes": notes[name],
            "info": info[name],
        }
    return {"statsmodels": statsmodels.__version__, "baselines": summary, "windows": windows}


def finite(value):
    """JSON has no NaN: null instead."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {k: finite(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [finite(v) for v in value]
    return value


def print_table(report, details):
    print(f"statsmodels {report['statsmodels']}: overall one-step RMSE")
    print(f"{'baseline':<10}{'label (last window)':<38}{'rows':>6}{'statsmodels':>14}{'ours':>14}{'rel diff':>10}")
    for name, b in report["baselines"].items():
        print(
            f"{name:<10}{(b['label'] or '-'):<38}{b['rows']:>6}{b['statsmodels']:>14.6g}{b['ours']:>14.6g}{b['relativeDifference'] * 100:>9.2f}%"
        )
        for note in b["notes"] + b["info"]:
            print(f"{'':<10}{note}")
    if details:
        for w in report["windows"]:
            print(f"window {w['index'] + 1}: rows {w['startRow']}..{w['endRow']} fitted on {w['fitStart']}..{w['startRow']}")
            for name, b in w["baselines"].items():
                print(f"  {name:<6} {b['label']:<34} rmse ours {b['rmse']['ours']:.6g} statsmodels {b['rmse']['statsmodels']:.6g}")
                print(f"         ours vs statsmodels: {json.dumps(b['params'])}")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("results", help="a run's results.json (or bench/export-series.ts output)")
    parser.add_argument("series", help="the prepared target series as CSV: date,value")
    parser.add_argument("--json", action="store_true", help="print the comparison as JSON")
    parser.add_argument("--details", action="store_true", help="also print per-window parameters, ours vs statsmodels")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="processes fitting in parallel (default: one per CPU)")
    parser.add_argument("--max-fit-rows", type=int, default=MAX_FIT_ROWS, help="rows each fit uses at most (ours: 5000)")
    args = parser.parse_args(argv)
    try:
        with open(args.results) as f:
            results = json.load(f)
        dates, y = read_series(args.series)
        report = compare(results, y, dates, args.max_fit_rows, args.jobs)
    except (InputError, OSError, KeyError, ValueError) as error:
        print(f"classical.py: {type(error).__name__}: {error}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(finite(report if args.details else {k: v for k, v in report.items() if k != "windows"}), allow_nan=False))
    else:
        print_table(report, args.details)
    return 0


if __name__ == "__main__":
    sys.exit(main())
