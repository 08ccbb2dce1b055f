"""The decision box and the machinery under it: bootstrap ratios, Holm's correction, the A/A control,
and the rules for a pick (every comparison survives the correction and clears the noise floor;
fast-path scenarios say so; oversubscribed points are left out)."""

import math
import random
import zlib
import sys
import unittest
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from wbreport import control, decision, results  # noqa: E402
from wbreport.results import Results, Run, Series  # noqa: E402
from wbreport.stats import geomean_ratio, holm, median_ratio, summarize  # noqa: E402


def noisy(center, n=12, cv=0.03, seed=1):
    rng = random.Random(seed)
    return [center * (1 + rng.gauss(0, cv)) for _ in range(n)]


def point(run, workload, impl, cap, batch, mode, speeds, waits=1.0, allocs=0.0, aa=None):
    name = f"{workload}/{impl}/cap:{cap}/batch:{batch}/payload:u64/mode:{mode}" + (f"/aa:{aa}" if aa else "") + "/manual_time"
    key = results.POINT_NAME.match(name).groupdict()
    reps = [{"msgs_per_s": v, "ns_per_msg": 1e9 / v, "waits_per_msg": waits, "allocs_per_msg": allocs, "ctx_switches_per_msg": 0.1}
            for v in speeds]
    (run.controls if aa else run.points)[name] = Series(name=name, key=key, repetitions=reps)


def fake_results(rows, cpus=2):
    """rows: {impl: speed factor}; every scenario point of spsc/ping_pong/tasks/churn/fanout at that factor x 1M."""
    run = Run(allocator="system", path=Path("bench-system.json"), context={"wakerbench_pool_threads": "2"})
    for i, (impl, factor) in enumerate(rows.items()):
        for workload, cap, batch, mode in [("spsc", "1024", "1", "sync"), ("spsc", "1", "1", "sync"), ("ping_pong", "1", "1", "sync"),
                                           ("mpsc4", "1024", "1", "sync"), ("tasks16", "1", "1", "async"), ("churn16", "unbounded", "1", "sync"),
                                           ("spsc", "1", "1", "async")]:
            waits = 0.001 if cap == "1024" else 1.5
            point(run, workload, impl, cap, batch, mode, noisy(1e6 * factor, seed=zlib.crc32(f"{impl}/{workload}/{cap}/{mode}".encode())), waits=waits,
                  allocs=2 * waits if impl == "vec" else 0.0)
    return Results(directory=Path("fake"), env={"cpu": {"usable_cpus": cpus}, "preset": {"repetitions": 12}}, runs={"system": run}, files=[])


class Statistics(unittest.TestCase):
    def test_holm_steps_down(self):
        rejected, levels = holm([0.01, 0.04, 0.03, 0.005])
        # sorted: 0.005 <= .05/4, 0.01 <= .05/3, 0.03 > .05/2: stop; 0.04 is not rejected either
        self.assertEqual(rejected, [True, False, False, True])
        self.assertAlmostEqual(levels[3], 1 - 0.05 / 4)
        self.assertAlmostEqual(levels[1], 1 - 0.05 / 1)

    def test_interval_and_p_agree_at_every_level(self):
        r = median_ratio(noisy(110, seed=2), noisy(100, seed=3))
        for level in (0.9, 0.95, 0.99, 0.9999):
            low, high = r.interval(level)
            self.assertEqual(low > 1 or high < 1, r.p_value <= 1 - level + 1e-12, level)

    def test_identical_samples_are_not_different(self):
        a = noisy(100, seed=4)
        r = median_ratio(a, list(a))
        self.assertAlmostEqual(r.value, 1.0)
        low, high = r.interval()
        self.assertLessEqual(low, 1.0)
        self.assertGreaterEqual(high, 1.0)

    def test_clear_difference_is_significant(self):
        r = median_ratio(noisy(150, seed=5), noisy(100, seed=6))
        self.assertLess(r.p_value, 1e-6)
        self.assertGreater(r.interval(0.9999)[0], 1.2)

    def test_geomean_ratio_over_points(self):
        r = geomean_ratio([(noisy(200, seed=7), noisy(100, seed=8)), (noisy(50, seed=9), noisy(100, seed=10))])
        self.assertAlmostEqual(r.value, 1.0, delta=0.05)  # 2x at one point, 0.5x at the other

    def test_summary_has_a_reproducible_interval_of_the_median(self):
        values = noisy(100, seed=11)
        s, t = summarize(values), summarize(values)
        self.assertEqual((s.ci_low, s.ci_high), (t.ci_low, t.ci_high))
        self.assertLess(s.ci_low, s.median)
        self.assertGreater(s.ci_high, s.median)


class Control(unittest.TestCase):
    def control_results(self, copy_factor):
        r = fake_results({"intrusive": 1.0})
        run = r.runs["system"]
        for aa, factor in ((1, 1.0), (2, copy_factor)):
            point(run, "spsc", "intrusive", "1024", "1", "sync", noisy(1e6 * factor, seed=20 + aa), aa=aa)
        return r

    def test_identical_copies_are_no_difference(self):
        c = control.analyse(self.control_results(1.0))
        self.assertEqual(len(c.pairs), 3)  # the point, aa:1, aa:2
        self.assertEqual(c.verdict, "no difference")
        self.assertTrue(c.ok)
        self.assertLess(c.noise_floor, 0.05)
        self.assertIn("no difference after Holm", control.describe(c))

    def test_a_broken_copy_is_caught(self):
        """Proof that the control can fail: one copy 30% faster is called different."""
        c = control.analyse(self.control_results(1.3))
        self.assertFalse(c.ok)
        self.assertIn("DIFFERENT", c.verdict)
        self.assertGreater(c.noise_floor, 0.2)

    def test_no_copies_no_control(self):
        self.assertIsNone(control.analyse(fake_results({"intrusive": 1.0})))
        self.assertIn("not in this run", control.describe(None))


class Decision(unittest.TestCase):
    def test_clear_winner_is_picked_with_its_reason(self):
        box = decision.box(fake_results({"vec": 1.0, "intrusive": 1.5, "slab": 1.2}))
        always = next(d for d in box.scenarios if d.scenario.id == "always_blocks")
        self.assertEqual(always.pick, "intrusive")
        self.assertEqual(always.within_noise, [])
        self.assertEqual(always.runner_up.impl, "slab")
        self.assertEqual(always.ruled_out, ["slab", "vec"])
        self.assertGreater(always.runner_up.low, 1.0)
        self.assertTrue(always.about_storage)
        vec = next(s for s in always.standings if s.impl == "vec")
        self.assertAlmostEqual(vec.allocs_per_wait, 2.0)
        self.assertEqual(box.comparisons, sum(len(d.standings) - 1 for d in box.scenarios))

    def test_rows_within_noise_give_no_pick(self):
        box = decision.box(fake_results({"vec": 1.0, "intrusive": 1.005}))
        for d in box.scenarios:
            if d.leader:
                self.assertIsNone(d.pick, d.scenario.id)
                self.assertEqual(len(d.within_noise), 1)

    def test_fast_path_scenario_says_so(self):
        box = decision.box(fake_results({"vec": 1.0, "intrusive": 1.5}))
        rarely = next(d for d in box.scenarios if d.scenario.id == "rarely_blocks")
        self.assertFalse(rarely.about_storage)  # 0.001 waits per message

    def test_oversubscribed_points_are_left_out(self):
        box = decision.box(fake_results({"vec": 1.0, "intrusive": 1.5}, cpus=2))
        rarely = next(d for d in box.scenarios if d.scenario.id == "rarely_blocks")
        self.assertIn("mpsc4 cap 1024 batch 1 sync", [label for label, _ in rarely.left_out])
        self.assertNotIn("mpsc4 cap 1024 batch 1 sync", rarely.points)
        wide = decision.box(fake_results({"vec": 1.0, "intrusive": 1.5}, cpus=8))
        self.assertIn("mpsc4 cap 1024 batch 1 sync", next(d for d in wide.scenarios if d.scenario.id == "rarely_blocks").points)

    def test_noise_floor_blocks_a_narrow_margin(self):
        """A 4% lead with tight intervals is still no pick when identical series differed by more."""
        r = fake_results({"vec": 1.0, "intrusive": 1.04})
        run = r.runs["system"]
        point(run, "spsc", "intrusive", "1024", "1", "sync", noisy(1.04e6 * 1.07, seed=40), aa=1)
        box = decision.box(r)
        self.assertGreater(box.control.noise_floor, 0.04)
        always = next(d for d in box.scenarios if d.scenario.id == "always_blocks")
        self.assertIsNone(always.pick)

    def test_baselines_are_references_not_picks(self):
        box = decision.box(fake_results({"vec": 1.0, "mutex_condvar": 3.0}))
        always = next(d for d in box.scenarios if d.scenario.id == "always_blocks")
        self.assertEqual(always.leader.impl, "vec")
        self.assertEqual([impl for impl, _ in always.references], ["mutex_condvar"])
        self.assertTrue(math.isclose(always.references[0][1], 1 / 3, rel_tol=0.1))


if __name__ == "__main__":
    unittest.main()
