package org.fairrescore.settings;

import org.opensearch.common.settings.Setting;
import org.opensearch.common.settings.Settings;
import org.opensearch.test.OpenSearchTestCase;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

public class FairRescoreSettingsTests extends OpenSearchTestCase {

    private static IllegalArgumentException refused(Setting<?> setting, String value) {
        return expectThrows(
                IllegalArgumentException.class,
                () -> setting.get(
                        Settings.builder().put(setting.getKey(), value).build()));
    }

    public void testEverySettingIsDeclaredOnceUnderTheFixedPrefixes() {
        Set<String> keys = new HashSet<>();
        for (Setting<?> setting : FairRescoreSettings.all()) {
            assertTrue(setting.getKey(), keys.add(setting.getKey()));
            assertTrue(
                    setting.getKey(),
                    setting.getKey().startsWith("fair_rescore.")
                            || setting.getKey().startsWith("index.fair_rescore."));
        }
    }

    public void testBooleanSettingNamesItselfWhenRefused() {
        assertEquals(Boolean.FALSE, FairRescoreSettings.ALLOW_REQUEST_OVERRIDE.get(Settings.EMPTY));
        assertEquals(
                Boolean.TRUE,
                FairRescoreSettings.ALLOW_REQUEST_OVERRIDE.get(Settings.builder()
                        .put("index.fair_rescore.allow_request_override", "true")
                        .build()));
        for (String bad : List.of("maybe", "yes", "TRUE", "")) {
            IllegalArgumentException e = refused(FairRescoreSettings.ALLOW_REQUEST_OVERRIDE, bad);
            assertTrue(
                    e.getMessage(),
                    e.getMessage().contains("[index.fair_rescore.allow_request_override] must be [true] or [false]"));
        }
    }

    public void testMemorySizesRefuseNegativeValuesNamingTheSetting() {
        for (Setting<?> size : List.of(
                FairRescoreSettings.QUERY_CACHE_SIZE,
                FairRescoreSettings.DOCUMENT_CACHE_SIZE,
                FairRescoreSettings.BREAKER_LIMIT)) {
            for (String bad : List.of("-1", "-5mb", "200%", "lots")) {
                IllegalArgumentException e = refused(size, bad);
                assertTrue(e.getMessage(), e.getMessage().contains(size.getKey()));
            }
            assertEquals(
                    0L,
                    ((org.opensearch.core.common.unit.ByteSizeValue) size.get(
                                    Settings.builder().put(size.getKey(), "0b").build()))
                            .getBytes());
        }
    }

    public void testInferenceTimeoutMustBePositive() {
        assertEquals(
                2_000, FairRescoreSettings.INFERENCE_TIMEOUT.get(Settings.EMPTY).millis());
        for (String bad : List.of("0ms", "-1", "soon")) {
            IllegalArgumentException e = refused(FairRescoreSettings.INFERENCE_TIMEOUT, bad);
            assertTrue(e.getMessage(), e.getMessage().contains("fair_rescore.inference.timeout"));
        }
    }

    public void testAnIndexViewIsParsedOncePerSettingsObjectAndFollowsUpdates() {
        Settings before = Settings.builder()
                .put("index.fair_rescore.semantic_weight", 0.3f)
                .putList("index.fair_rescore.text_fields", "title")
                .build();
        FairRescoreSettings.IndexView view = FairRescoreSettings.IndexView.of(before);
        assertSame(view, FairRescoreSettings.IndexView.of(before));
        assertEquals(0.3f, view.semanticWeight(), 0f);
        assertEquals(java.util.List.of("title"), view.textFields());
        // an update replaces the settings object: the next search sees the new values
        Settings after = Settings.builder()
                .put(before)
                .put("index.fair_rescore.semantic_weight", 0.8f)
                .build();
        assertEquals(0.8f, FairRescoreSettings.IndexView.of(after).semanticWeight(), 0f);
        assertEquals(0.3f, FairRescoreSettings.IndexView.of(before).semanticWeight(), 0f);
        assertEquals(FairRescoreSettings.IndexView.parse(after), FairRescoreSettings.IndexView.of(after));
    }

    public void testModeTakesAStringOrAListOfRules() {
        assertEquals(List.of("cap"), FairRescoreSettings.MODE.get(Settings.EMPTY));
        assertEquals(
                List.of("share"),
                FairRescoreSettings.MODE.get(Settings.builder()
                        .put("index.fair_rescore.mode", "share")
                        .build()));
        assertEquals(
                List.of("cap", "fair_topk"),
                FairRescoreSettings.MODE.get(Settings.builder()
                        .putList("index.fair_rescore.mode", "cap", "fair_topk")
                        .build()));
        for (List<String> bad :
                List.of(List.of("cap", "cap"), List.of("none", "cap"), List.of("fairest"), List.of("cap", "mmr"))) {
            IllegalArgumentException e = expectThrows(
                    IllegalArgumentException.class,
                    () -> FairRescoreSettings.MODE.get(Settings.builder()
                            .putList("index.fair_rescore.mode", bad)
                            .build()));
            assertTrue(e.getMessage(), e.getMessage().contains("index.fair_rescore.mode"));
        }
    }

    public void testDiversityAndGroupSettingsCheckTheirRanges() {
        assertEquals(1.0, FairRescoreSettings.DIVERSITY_LAMBDA.get(Settings.EMPTY), 0);
        assertEquals(1.0, FairRescoreSettings.DIVERSITY_DUPLICATE_THRESHOLD.get(Settings.EMPTY), 0);
        assertEquals(20, (int) FairRescoreSettings.DIVERSITY_DEPTH.get(Settings.EMPTY));
        assertEquals("index.fair_rescore.groups.minimums.", FairRescoreSettings.GROUP_MINIMUMS.getKey());
        for (String[] bad : new String[][] {
            {"index.fair_rescore.diversity.lambda", "1.5"},
            {"index.fair_rescore.diversity.lambda", "-0.1"},
            {"index.fair_rescore.diversity.duplicate_threshold", "0"},
            {"index.fair_rescore.diversity.depth", "-1"},
            {"index.fair_rescore.groups.minimums.tail", "1"},
            {"index.fair_rescore.groups.minimums.tail", "0"}
        }) {
            Settings settings = Settings.builder().put(bad[0], bad[1]).build();
            Setting<?> setting = bad[0].startsWith("index.fair_rescore.groups.minimums.")
                    ? FairRescoreSettings.GROUP_MINIMUMS.getConcreteSetting(bad[0])
                    : FairRescoreSettings.all().stream()
                            .filter(s -> s.getKey().equals(bad[0]))
                            .findFirst()
                            .orElseThrow();
            IllegalArgumentException e = expectThrows(IllegalArgumentException.class, () -> setting.get(settings));
            assertTrue(e.getMessage(), e.getMessage().contains(bad[0]));
        }
        assertEquals(
                java.util.Map.of("tail", 0.3, "mid", 0.2),
                FairRescoreSettings.GROUP_MINIMUMS.getAsMap(Settings.builder()
                        .put("index.fair_rescore.groups.minimums.tail", 0.3)
                        .put("index.fair_rescore.groups.minimums.mid", 0.2)
                        .build()));
    }
}
