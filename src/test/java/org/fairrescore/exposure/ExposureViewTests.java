package org.fairrescore.exposure;

import org.junit.Test;

import java.util.List;
import java.util.Map;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

public class ExposureViewTests {

    private static final Decay HOUR = new Decay(3_600_000L);

    private static ShopLedger.Entry entry(double exposure, double merit, long at) {
        return new ShopLedger.Entry(exposure, merit, at, 1);
    }

    @Test
    public void targetsFollowMeritOrSplitEvenly() {
        // a: 3/4 of the merit, 1/2 of the exposure; b: 1/4 of the merit, 1/2 of the exposure
        ExposureView view = ExposureView.of(List.of(Map.of("a", entry(2, 3, 0), "b", entry(2, 1, 0))), 0, HOUR);
        ExposureView.Standing a = view.standing("a", ExposureTarget.MERIT);
        assertEquals(3.0, a.target(), 1e-12);
        assertEquals(2.0 / 3.0, a.ratio(), 1e-12);
        assertEquals(1.0 / 3.0, a.deficit(), 1e-12);
        ExposureView.Standing b = view.standing("b", ExposureTarget.MERIT);
        assertEquals(1.0, b.target(), 1e-12);
        assertEquals(-1.0, b.deficit(), 1e-12); // twice its target: clipped at -1
        assertEquals(0.0, view.standing("b", ExposureTarget.UNIFORM).deficit(), 1e-12);
        assertEquals(ExposureView.MAX_BOOST * 0.5 / 3.0, view.boost("a", ExposureTarget.MERIT, 0.5), 1e-12);
        assertEquals(-ExposureView.MAX_BOOST * 0.5, view.boost("b", ExposureTarget.MERIT, 0.5), 1e-12);
    }

    @Test
    public void shopsWithoutFiguresGetNoBoost() {
        ExposureView view = ExposureView.of(List.of(Map.of("shown", entry(1, 0, 0), "new", entry(0, 1, 0))), 0, HOUR);
        assertEquals(0.0, view.boost("unknown", ExposureTarget.MERIT, 1), 0);
        assertEquals(0.0, view.boost(null, ExposureTarget.MERIT, 1), 0);
        // shown without merit: no target, full surplus
        assertEquals(-ExposureView.MAX_BOOST, view.boost("shown", ExposureTarget.MERIT, 1), 1e-12);
        assertTrue(
                Double.isInfinite(view.standing("shown", ExposureTarget.MERIT).ratio()));
        // merit, never shown: full deficit
        assertEquals(ExposureView.MAX_BOOST, view.boost("new", ExposureTarget.UNIFORM, 1), 1e-12);
        assertEquals(0.0, view.boost("new", ExposureTarget.MERIT, 0), 0);
        assertTrue(Double.isNaN(
                ExposureView.EMPTY.standing("x", ExposureTarget.MERIT).ratio()));
    }

    @Test
    public void ledgersAddUpDecayedToTheViewsInstant() {
        long now = 7_200_000L;
        ExposureView view = ExposureView.of(
                List.of(Map.of("a", entry(4, 4, 0)), Map.of("a", entry(1, 1, now), "b", entry(1, 1, now))), now, HOUR);
        assertEquals(2.0, view.shops().get("a").exposure(), 1e-12); // 4 two half-lives ago + 1 now
        assertEquals(3.0, view.totalExposure(), 1e-12);
        assertEquals(2, view.shopsWithMerit());
        assertEquals(now, view.shops().get("a").updated());
    }

    @Test
    public void boostsDoNotDependOnTheInstantTheViewIsDecayedTo() {
        List<Map<String, ShopLedger.Entry>> ledgers =
                List.of(Map.of("a", entry(5, 1, 1000), "b", entry(1, 2, 1000), "c", entry(0, 3, 1000)));
        ExposureView early = ExposureView.of(ledgers, 1000, HOUR);
        ExposureView late = ExposureView.of(ledgers, 1000 + 10 * 3_600_000L, HOUR);
        for (String shop : List.of("a", "b", "c")) {
            for (ExposureTarget t : ExposureTarget.values()) {
                assertEquals(early.boost(shop, t, 0.7), late.boost(shop, t, 0.7), 1e-12);
            }
        }
    }
}
