"""Tests of postprocess/evsweep_post on real results files written by evsweep (the CTest
fixture 'postprocess_data' runs the sweeps; their directory is EVSWEEP_POST_DATA)."""
import csv
import os
import shutil
import sys
import tempfile
import unittest

import h5py
import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "postprocess"))

from evsweep_post import compare, report, sensitivity  # noqa: E402
from evsweep_post.results import Results, ResultsError  # noqa: E402

DATA = os.environ.get("EVSWEEP_POST_DATA", "")


def data(name):
    path = os.path.join(DATA, name, "results.h5")
    if not os.path.exists(path):
        raise unittest.SkipTest(f"{path} missing: run the CTest fixture postprocess_data")
    return path


class Estimators(unittest.TestCase):
    def test_sobol_indices_of_ishigami_match_the_analytic_values(self):
        import openturns as ot
        ot.RandomGenerator.SetSeed(1)
        n = 20000
        unit_dist = ot.ComposedDistribution([ot.Uniform(0, 1)] * 3)
        u = np.array(ot.SobolIndicesExperiment(unit_dist, n, False).generate())
        y = sensitivity.ishigami(-np.pi + 2 * np.pi * u)
        got = sensitivity.sobol_indices(u, y, n, ["x1", "x2", "x3"], bootstrap=50)
        first, total = sensitivity.ishigami_indices()
        for j, r in enumerate(got):
            self.assertAlmostEqual(r["first"], first[j], delta=0.03, msg=r)
            self.assertAlmostEqual(r["total"], total[j], delta=0.03, msg=r)
            self.assertLessEqual(r["total_low"], r["total_high"])

    def test_default_estimators_match_ishigami_with_narrower_intervals_than_saltellis(self):
        import openturns as ot
        ot.RandomGenerator.SetSeed(2)
        n = 512
        unit_dist = ot.ComposedDistribution([ot.Uniform(0, 1)] * 3)
        u = np.array(ot.SobolIndicesExperiment(unit_dist, n, False).generate())
        y = sensitivity.ishigami(-np.pi + 2 * np.pi * u)
        first, total = sensitivity.ishigami_indices()
        new = sensitivity.sobol_indices(u, y, n, ["x1", "x2", "x3"], bootstrap=100)
        old = sensitivity.sobol_indices(u, y, n, ["x1", "x2", "x3"], bootstrap=100, estimator="saltelli")
        width = lambda rows, w: np.mean([r[w + "_high"] - r[w + "_low"] for r in rows])
        self.assertLess(width(new, "first"), width(old, "first"))
        self.assertLess(width(new, "total"), width(old, "total"))
        for j, r in enumerate(new):  # the analytic values inside the (wider of) intervals
            self.assertLessEqual(r["first_low"] - 0.02, first[j], msg=r)
            self.assertGreaterEqual(r["first_high"] + 0.02, first[j], msg=r)
            self.assertLessEqual(r["total_low"] - 0.02, total[j], msg=r)
            self.assertGreaterEqual(r["total_high"] + 0.02, total[j], msg=r)

    def test_chaos_indices_of_a_polynomial_are_exact(self):
        # f = x1 + x2^2 + x1 x3 with x = 2u - 1 uniform on [-1, 1]: V1 = 1/3, V2 = 4/45,
        # V13 = 1/9, V = 24/45, so S = (0.625, 1/6, 0) and ST = (5/6, 1/6, 5/24).
        rng = np.random.default_rng(3)
        u = rng.random((300, 3))
        x = 2 * u - 1
        y = x[:, 0] + x[:, 1] ** 2 + x[:, 0] * x[:, 2]
        got = sensitivity.chaos_sobol_indices(u, y, ["x1", "x2", "x3"], max_degree=4)
        first, total = [0.625, 1 / 6, 0.0], [5 / 6, 1 / 6, 5 / 24]
        for j, r in enumerate(got):
            self.assertAlmostEqual(r["first"], first[j], places=9, msg=r)
            self.assertAlmostEqual(r["total"], total[j], places=9, msg=r)
            self.assertLess(r["total_high"] - r["total_low"], 1e-9, msg=r)
            self.assertLess(r["unexplained"], 1e-12)
            self.assertGreaterEqual(r["degree"], 2)

    def test_chaos_indices_refuse_too_few_rows_with_a_clear_error(self):
        u = np.random.default_rng(6).random((10, 5))  # a linear chaos of 5 inputs needs 18 rows
        with self.assertRaisesRegex(ValueError, "10 rows are too few for a chaos surrogate of 5 inputs"):
            sensitivity.chaos_sobol_indices(u, u.sum(axis=1), list("abcde"))

    def test_warnings_without_a_surrogate_check_the_pick_freeze_indices(self):
        # a metric the report could fit no chaos to (too few rows) carries NaN chaos columns
        import pandas as pd
        row = {"metric": "m", "parameter": "a", "first": 0.5, "first_low": 0.1, "first_high": 0.9, "total": 0.5,
               "total_low": 0.4, "total_high": 0.6}
        row.update({"chaos_" + k: np.nan for k in ("q2", "first", "first_low", "first_high", "total", "total_low",
                                                    "total_high")})
        out = report.interval_warnings(pd.DataFrame([row]))
        self.assertEqual(len(out), 1, out)
        self.assertIn("pick-freeze first-order index 0.500", out[0])

    def test_chaos_partial_variances_match_openturns_on_the_same_basis(self):
        # an independent implementation of the same least-squares chaos: OpenTURNS's Legendre
        # basis, fixed total-degree strategy and FunctionalChaosSobolIndices
        import openturns as ot
        rng = np.random.default_rng(4)
        n, k, degree = 400, 3, 4
        u = rng.random((n, k))
        y = sensitivity.ishigami(-np.pi + 2 * np.pi * u)
        terms, coef, _, _ = sensitivity.chaos_fit(u, y, degree)
        first, total, var = sensitivity.chaos_partial_variances(terms, coef)
        enum = ot.LinearEnumerateFunction(k)
        basis = ot.OrthogonalProductPolynomialFactory([ot.LegendreFactory()] * k, enum)
        size = enum.getBasisSizeFromTotalDegree(degree)
        self.assertEqual(size, len(terms))
        algo = ot.FunctionalChaosAlgorithm(ot.Sample(u), ot.Sample(y.reshape(-1, 1)),
                                           ot.ComposedDistribution([ot.Uniform(0, 1)] * k),
                                           ot.FixedStrategy(basis, size), ot.LeastSquaresStrategy())
        algo.run()
        sob = ot.FunctionalChaosSobolIndices(algo.getResult())
        for j in range(k):
            self.assertAlmostEqual(sob.getSobolIndex(j), first[j] / var, places=8)
            self.assertAlmostEqual(sob.getSobolTotalIndex(j), total[j] / var, places=8)

    def test_chaos_indices_of_ishigami_match_the_analytic_values(self):
        import openturns as ot
        ot.RandomGenerator.SetSeed(5)
        n = 512
        unit_dist = ot.ComposedDistribution([ot.Uniform(0, 1)] * 3)
        u = np.array(ot.SobolIndicesExperiment(unit_dist, n, False).generate())  # 2,560 rows
        y = sensitivity.ishigami(-np.pi + 2 * np.pi * u)
        got = sensitivity.chaos_sobol_indices(u, y, ["x1", "x2", "x3"], max_degree=12)
        pick = sensitivity.sobol_indices(u, y, n, ["x1", "x2", "x3"], bootstrap=100)
        first, total = sensitivity.ishigami_indices()
        for j, (r, p) in enumerate(zip(got, pick)):
            self.assertAlmostEqual(r["first"], first[j], delta=0.01, msg=r)
            self.assertAlmostEqual(r["total"], total[j], delta=0.01, msg=r)
            # the chaos intervals are narrower than the pick-freeze ones on the same runs
            self.assertLess(r["total_high"] - r["total_low"], p["total_high"] - p["total_low"], msg=(r, p))

    def test_morris_effects_of_a_linear_function_on_the_engines_design(self):
        res = Results(data("traffic_morris"))
        y = 3.0 * res.unit[:, 0] - 0.5 * res.unit[:, 1]
        effects = {r["parameter"]: r for r in
                   sensitivity.morris_effects(res.unit, y, res.block, res.moved, res.parameters, res.varied)}
        self.assertAlmostEqual(effects[res.parameters[0]]["mu_star"], 3.0, places=12)
        self.assertAlmostEqual(effects[res.parameters[1]]["mu_star"], 0.5, places=12)
        self.assertAlmostEqual(effects[res.parameters[2]]["mu_star"], 0.0, places=12)
        self.assertEqual(effects[res.parameters[0]]["effects"], 6)  # one per trajectory


class Report(unittest.TestCase):
    def setUp(self):
        self.out = tempfile.mkdtemp(prefix="evsweep-post-")

    def tearDown(self):
        shutil.rmtree(self.out, ignore_errors=True)

    def test_report_writes_figures_and_a_correct_summary(self):
        path = data("small")
        self.assertEqual(report.report(path, self.out), 0)
        for f in ["voltage_envelope.png", "station_load.png", "cost_loss.png", "hosting_capacity.png",
                  "summary.csv", "hosting_capacity.csv"]:
            self.assertGreater(os.path.getsize(os.path.join(self.out, f)), 1000 if f.endswith("png") else 10, f)
        with h5py.File(path, "r") as f:
            cost = f["scenarios/cost"][()]
            vmin = f["scenarios/vmin_pu"][()]
            status = [s.decode() for s in f["scenarios/status"][()]]
        rows = {r["metric"]: r for r in csv.DictReader(open(os.path.join(self.out, "summary.csv")))}
        finite = cost[np.isfinite(cost)]
        self.assertEqual(int(rows["cost"]["count"]), finite.size)
        self.assertAlmostEqual(float(rows["cost"]["mean"]), finite.mean(), delta=1e-9 * finite.mean())
        self.assertAlmostEqual(float(rows["vmin_pu"]["min"]), np.nanmin(vmin), places=12)
        self.assertAlmostEqual(float(rows["cost"]["p50"]), np.median(finite), delta=1e-9 * finite.mean())
        # hosting curve: probabilities match the infeasible share per bin, scenarios add up
        hc = list(csv.DictReader(open(os.path.join(self.out, "hosting_capacity.csv"))))
        self.assertEqual(sum(int(r["scenarios"]) for r in hc), sum(s in ("ok", "infeasible") for s in status))
        for r in hc:
            self.assertTrue(0 <= float(r["violation_probability"]) <= 1)
            # a voltage or a line violation is a violation: neither kind exceeds the total
            self.assertLessEqual(float(r["voltage_violation_probability"]), float(r["violation_probability"]))
            self.assertLessEqual(float(r["line_overload_probability"]), float(r["violation_probability"]))
        # the line column counts exactly the scenarios loaded beyond their rating
        with h5py.File(path, "r") as f:
            loading = f["scenarios/max_line_loading"][()]
        solved = np.array([s in ("ok", "infeasible") for s in status])
        counted = sum(round(float(r["line_overload_probability"]) * int(r["scenarios"])) for r in hc)
        self.assertEqual(counted, int(np.sum(solved & (np.nan_to_num(loading) > 1 + report.OVERLOAD_TOLERANCE))))

    def test_planning_report_draws_its_figures_and_the_vehicle_shortfall_table(self):
        path = data("planning_small")
        self.assertEqual(report.report(path, self.out), 0)
        for f in ["planning_fronts.png", "planning_units_vs_penetration.png", "planning_area_load.png",
                  "planning_vehicle_shortfall.png", "planning_vehicle_shortfall.csv", "planning_front_vs_swarm.png"]:
            self.assertGreater(os.path.getsize(os.path.join(self.out, f)), 1000 if f.endswith("png") else 10, f)
        with h5py.File(path, "r") as f:
            vehicles = f["scenarios/vehicles"][()]
            worst = {"v2g": f["scenarios/departure_soc_shortfall"][()],
                     "disordered": f["scenarios/departure_soc_shortfall_disordered"][()]}
            hv, hv_swarm = f["scenarios/hypervolume"][()], f["scenarios/hypervolume_mopso"][()]
        # the fixture runs a short swarm: its hypervolume is in the front's normalisation
        self.assertTrue(np.all(np.isfinite(hv_swarm)))
        self.assertTrue(np.all((hv_swarm >= 0) & (hv_swarm <= 1)))
        self.assertTrue(np.all(hv > 0))
        rows = list(csv.DictReader(open(os.path.join(self.out, "planning_vehicle_shortfall.csv"))))
        self.assertEqual(len(rows), 6)  # 3 areas x 2 modes
        for mode in ("disordered", "v2g"):
            mine = [r for r in rows if r["mode"] == mode]
            # every vehicle of every scenario once; the largest is the scenario metric's largest
            self.assertEqual(sum(int(r["vehicles"]) for r in mine), int(vehicles.sum()))
            self.assertAlmostEqual(max(float(r["max_soc"]) for r in mine), float(np.max(worst[mode])), places=5)
            for r in mine:
                self.assertLessEqual(int(r["short_vehicles"]), int(r["vehicles"]))

    def test_sobol_indices_of_a_real_saltelli_run(self):
        self.assertEqual(report.report(data("traffic_saltelli"), self.out, ["ev_energy_mwh"]), 0)
        with open(os.path.join(self.out, "sobol_indices.csv")) as fh:
            rows = list(csv.DictReader(fh))
        total = {r["parameter"]: float(r["total"]) for r in rows}
        # charging energy is driven by the EV penetration; the grid parameters do not enter it
        self.assertGreater(total["ev_penetration"], 0.8)
        for p in ["pv_scale", "wind_scale", "v2g_share", "load_scale"]:
            self.assertLess(abs(total[p]), 0.1, p)
        self.assertTrue(os.path.exists(os.path.join(self.out, "sobol_indices.png")))
        # the chaos estimate of the same runs: the same dominant parameter, inside the
        # pick-freeze interval, with a surrogate that explains nearly everything
        for r in rows:
            self.assertGreater(float(r["chaos_q2"]), 0.9)
            self.assertLessEqual(float(r["chaos_total_low"]), float(r["chaos_total"]) + 1e-12)
            self.assertGreaterEqual(float(r["chaos_total_high"]), float(r["chaos_total"]) - 1e-12)
            self.assertGreaterEqual(float(r["chaos_total"]), float(r["total_low"]) - 0.05, r)
            self.assertLessEqual(float(r["chaos_total"]), float(r["total_high"]) + 0.05, r)
        chaos = {r["parameter"]: float(r["chaos_total"]) for r in rows}
        self.assertGreater(chaos["ev_penetration"], 0.8)

    def test_replicates_give_the_noise_share_and_indices_of_the_means(self):
        path = data("traffic_replicates")
        res = Results(path)
        self.assertEqual(res.replicates, 3)
        self.assertEqual(len(res.ids), 16 * 4 * 3)
        y = res.metrics["ev_energy_mwh"].to_numpy(float)
        # replicates of a point share its inputs, not its draws
        for p in np.unique(res.point)[:5]:
            rows = np.flatnonzero(res.point == p)
            self.assertEqual(len(rows), 3)
            self.assertTrue(np.all(res.values[rows] == res.values[rows[0]]))
            self.assertGreater(np.ptp(y[rows]), 0)
        # the noise share by hand: mean within-point variance over the variance of single rows
        within = np.mean([np.var(y[res.point == p], ddof=1) for p in np.unique(res.point)])
        share = within / np.var(y, ddof=1)
        self.assertGreater(share, 0.0)
        self.assertLess(share, 0.5)
        self.assertEqual(report.report(path, self.out, ["ev_energy_mwh"]), 0)
        with open(os.path.join(self.out, "sobol_indices.csv")) as fh:
            rows = list(csv.DictReader(fh))
        self.assertAlmostEqual(float(rows[0]["noise_share"]), share, places=12)
        total = {r["parameter"]: float(r["total"]) for r in rows}
        self.assertGreater(total["ev_penetration"], 0.8)
        self.assertLess(abs(total["v2g_share"]), 0.05)  # ignored by the model: common random numbers
        with open(os.path.join(self.out, "replicates.csv")) as fh:
            reps = list(csv.DictReader(fh))
        self.assertEqual(len(reps), 16 * 4)
        self.assertAlmostEqual(float(reps[0]["ev_energy_mwh_mean"]), np.mean(y[res.point == 0]), places=9)

    def test_stackelberg_report_draws_prices_and_lmps_and_prints_the_papers_table(self):
        path = data("stackelberg_small")
        self.assertEqual(report.report(path, self.out, None), 0)
        for f in ["stackelberg_prices.png", "stackelberg_lmp.png", "stackelberg_objectives.png"]:
            self.assertTrue(os.path.exists(os.path.join(self.out, f)), f)
        res = Results(path)
        with open(os.path.join(self.out, "stackelberg_table.csv")) as fh:
            rows = {r["objective"]: r for r in csv.DictReader(fh)}
        profit = res.metrics["station_profit"].to_numpy(float)
        self.assertEqual(int(rows["stations' profit"]["scenarios"]), 4)
        self.assertAlmostEqual(float(rows["stations' profit"]["mean"]), profit.mean(), places=6)
        self.assertAlmostEqual(float(rows["stations' profit"]["best"]), profit.max(), places=6)
        cost = res.metrics["operator_expected_cost"].to_numpy(float)
        self.assertAlmostEqual(float(rows["operator's expected cost"]["best"]), cost.min(), places=6)
        self.assertAlmostEqual(float(rows["EV users' cost"]["sd"]),
                               res.metrics["ev_user_cost"].to_numpy(float).std(ddof=1), places=6)
        # The direction of the profit in kappa: the least-squares slope over kappa and ev_share.
        with open(os.path.join(self.out, "stackelberg_directions.csv")) as fh:
            d = {r["parameter"]: r for r in csv.DictReader(fh)}
        names = list(res.parameters)
        x = np.column_stack([np.ones(4), res.values[:, names.index("kappa")], res.values[:, names.index("ev_share")]])
        slope = np.linalg.lstsq(x, profit, rcond=None)[0][1]
        self.assertAlmostEqual(float(d["kappa"]["slope"]), slope, places=6)
        self.assertEqual(d["kappa"]["agrees"], str(slope < 0))
        from evsweep_post.__main__ import main
        table = os.path.join(self.out, "cases.csv")
        self.assertEqual(main(["cases", path, path, "--labels", "a", "b", "-o", table]), 0)
        with open(table) as fh:
            self.assertEqual(len(list(csv.DictReader(fh))), 6)

    def test_contrast_shows_the_kinds_own_metrics(self):
        path = data("stackelberg_small")
        self.assertEqual(report.contrast(path, path, self.out, ["a", "b"]), 0)
        rows = list(csv.DictReader(open(os.path.join(self.out, "contrast.csv"))))
        self.assertEqual([r["metric"] for r in rows], report.CONTRAST_METRICS_BY_KIND["stackelberg"])

    def test_contrast_of_a_study_with_itself_has_no_differences(self):
        path = data("small")
        self.assertEqual(report.contrast(path, path, self.out, ["a", "b"]), 0)
        rows = list(csv.DictReader(open(os.path.join(self.out, "contrast.csv"))))
        self.assertEqual({r["metric"] for r in rows}, set(report.CONTRAST_METRICS))
        for r in rows:
            self.assertEqual(float(r["mean_difference"]), 0.0)


class ScenarioDay(unittest.TestCase):
    def test_a_scenario_of_a_results_file_and_of_a_solve_json_are_drawn(self):
        from evsweep_post import scenario as day
        tmp = tempfile.mkdtemp()
        try:
            series, meta = day.series_of_results(data("small"), 3)
            self.assertEqual(series["bus_voltage"][0].shape, (24, 33))
            self.assertEqual(day.scenario(data("small"), 3, tmp), 0)
            self.assertTrue(os.path.getsize(os.path.join(tmp, "day.png")) > 10000)
            path = os.path.join(DATA, "solve3.json")
            if not os.path.exists(path):
                raise unittest.SkipTest("solve3.json missing")
            series, meta = day.series_of_json(path)
            self.assertEqual(series["storage"][0].shape[1:], (3, 24))
            # The JSON's substation import is the results file's feeder-head series, scenario 3.
            stored, _ = day.series_of_results(data("small"), 3)
            self.assertTrue(np.allclose(series["substation"][0][0], stored["head_load"][0], rtol=0, atol=0))
            self.assertEqual(day.scenario(path, None, os.path.join(tmp, "j")), 0)
        finally:
            shutil.rmtree(tmp)


class Files(unittest.TestCase):
    def test_schema_version_is_checked(self):
        tmp = tempfile.mkdtemp()
        try:
            copy = os.path.join(tmp, "r.h5")
            shutil.copy(data("small"), copy)
            with h5py.File(copy, "r+") as f:
                f.attrs["schema_version"] = np.int64(99)
            with self.assertRaises(ResultsError) as ctx:
                Results(copy)
            self.assertIn("schema version 99", str(ctx.exception))
        finally:
            shutil.rmtree(tmp)

    def test_the_kind_and_its_columns_are_read_from_the_file(self):
        res = Results(data("small"))
        self.assertEqual(res.schema_version, 2)
        self.assertEqual(res.study_kind, "sue_dispatch")
        self.assertEqual(res.declared_metrics[:2], ["objective", "cost"])
        self.assertEqual(set(res.declared_metrics) - set(res.metric_names), set())
        self.assertEqual(len(res.station_names), 3)

    def test_a_schema_1_file_is_still_read(self):
        # Schema 1 (before study kinds): no study_kind and only the fixed layout.
        tmp = tempfile.mkdtemp()
        try:
            copy = os.path.join(tmp, "r.h5")
            shutil.copy(data("small"), copy)
            with h5py.File(copy, "r+") as f:
                f.attrs["schema_version"] = np.int64(1)
                del f.attrs["study_kind"]
                for k in list(f["layout"].attrs):
                    if k not in ("periods", "series"):
                        del f["layout"].attrs[k]
            res = Results(copy)
            self.assertEqual(res.study_kind, "sue_dispatch")
            self.assertEqual(res.declared_metrics, [])
            new = Results(data("small"))
            self.assertTrue(np.array_equal(res.metrics["cost"].to_numpy(), new.metrics["cost"].to_numpy(),
                                           equal_nan=True))
            self.assertEqual(report.report(copy, os.path.join(tmp, "report")), 0)
        finally:
            shutil.rmtree(tmp)

    def test_compare_finds_a_changed_value(self):
        tmp = tempfile.mkdtemp()
        try:
            copy = os.path.join(tmp, "r.h5")
            shutil.copy(data("small"), copy)
            self.assertEqual(compare.differences(data("small"), copy), [])
            with h5py.File(copy, "r+") as f:
                f["scenarios/loss_mwh"][3] += 1e-12
            diff = compare.differences(data("small"), copy)
            self.assertEqual(len(diff), 1)
            self.assertIn("/scenarios/loss_mwh", diff[0])
        finally:
            shutil.rmtree(tmp)


if __name__ == "__main__":
    unittest.main(verbosity=2)
