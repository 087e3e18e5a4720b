package org.fairrescore.rescore;

import org.fairrescore.quota.DiversityParameters;
import org.fairrescore.quota.QuotaParameters;
import org.opensearch.common.settings.Settings;
import org.opensearch.common.xcontent.XContentType;
import org.opensearch.common.xcontent.json.JsonXContent;
import org.opensearch.core.common.bytes.BytesReference;
import org.opensearch.core.common.io.stream.NamedWriteableRegistry;
import org.opensearch.core.xcontent.NamedXContentRegistry;
import org.opensearch.core.xcontent.ToXContent;
import org.opensearch.core.xcontent.XContentBuilder;
import org.opensearch.core.xcontent.XContentParser;
import org.opensearch.plugins.SearchPlugin;
import org.opensearch.search.SearchModule;
import org.opensearch.search.rescore.RescorerBuilder;
import org.opensearch.test.OpenSearchTestCase;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import static org.opensearch.test.EqualsHashCodeTestUtils.checkEqualsAndHashCode;

public class FairSemanticRescorerBuilderTests extends OpenSearchTestCase {

    private final FairSemanticRescorer rescorer = TestRescorers.rescorer(null);
    private final SearchModule searchModule = new SearchModule(Settings.EMPTY, List.of(new SearchPlugin() {
        @Override
        public List<RescorerSpec<?>> getRescorers() {
            return List.of(FairSemanticRescorerBuilder.spec(rescorer));
        }
    }));
    private final NamedWriteableRegistry writeables = new NamedWriteableRegistry(searchModule.getNamedWriteables());
    private final NamedXContentRegistry xContents = new NamedXContentRegistry(searchModule.getNamedXContents());

    @Override
    protected NamedXContentRegistry xContentRegistry() {
        return xContents;
    }

    private FairSemanticRescorerBuilder randomBuilder() {
        FairSemanticRescorerBuilder builder =
                new FairSemanticRescorerBuilder(rescorer, randomAlphaOfLengthBetween(1, 40));
        if (randomBoolean()) {
            List<String> fields = new ArrayList<>();
            for (int i = 0; i < randomIntBetween(1, 3); i++) {
                fields.add(randomAlphaOfLengthBetween(1, 10));
            }
            builder.fields(fields);
        }
        if (randomBoolean()) {
            builder.semanticWeight(randomFloat());
        }
        if (randomBoolean()) {
            builder.windowSize(randomIntBetween(1, 1000));
        }
        if (randomBoolean()) {
            builder.quota(randomQuota());
        }
        if (randomBoolean()) {
            DiversityParameters diversity = new DiversityParameters();
            if (randomBoolean()) diversity.lambda(randomDoubleBetween(0, 1, true));
            if (randomBoolean()) diversity.duplicateThreshold(randomDoubleBetween(0.01, 1, true));
            if (randomBoolean()) diversity.depth(randomIntBetween(0, 100));
            builder.diversity(diversity);
        }
        return builder;
    }

    private static QuotaParameters randomQuota() {
        QuotaParameters quota = new QuotaParameters();
        if (randomBoolean()) quota.mode(randomFrom("cap", "share", "fair_topk", "group_fair_topk", "none"));
        if (randomBoolean())
            quota.mode(randomSubsetOf(randomIntBetween(1, 4), "cap", "share", "fair_topk", "group_fair_topk"));
        if (randomBoolean()) {
            java.util.Map<String, Double> minimums = new java.util.TreeMap<>();
            for (int g = 0; g < randomIntBetween(1, 3); g++) {
                minimums.put(randomAlphaOfLengthBetween(1, 6), randomDoubleBetween(0.01, 0.3, true));
            }
            quota.groupMinimums(minimums);
        }
        if (randomBoolean()) quota.maxPerShop(randomIntBetween(0, 20));
        if (randomBoolean()) quota.capWindow(randomIntBetween(1, 50));
        if (randomBoolean()) quota.maxShare(randomDoubleBetween(0.01, 1.0, true));
        if (randomBoolean()) quota.shareMinPrefix(randomIntBetween(1, 20));
        if (randomBoolean()) quota.protectedShare(randomDoubleBetween(0.01, 0.99, true));
        if (randomBoolean()) quota.alpha(randomDoubleBetween(0.01, 0.99, true));
        return quota;
    }

    private FairSemanticRescorerBuilder mutate(FairSemanticRescorerBuilder original) throws IOException {
        FairSemanticRescorerBuilder copy = copy(original);
        switch (randomIntBetween(0, 4)) {
            case 0 -> copy.queryText(original.queryText() + "x");
            case 1 -> copy.fields(List.of(randomAlphaOfLength(12)));
            case 2 ->
                copy.semanticWeight(
                        original.semanticWeight() == null ? 0.25f : (original.semanticWeight() == 0.5f ? 0.75f : 0.5f));
            case 3 -> copy.windowSize(original.windowSize() == null ? 7 : original.windowSize() + 1);
            default ->
                copy.quota(
                        original.quota() == null
                                ? new QuotaParameters().maxPerShop(3)
                                : (original.quota().isEmpty() ? new QuotaParameters().alpha(0.05) : null));
        }
        return copy;
    }

    private FairSemanticRescorerBuilder copy(FairSemanticRescorerBuilder original) throws IOException {
        // through the registry, as a shard request carries it
        return (FairSemanticRescorerBuilder) copyNamedWriteable(original, writeables, RescorerBuilder.class);
    }

    public void testWireRoundTrip() throws IOException {
        for (int i = 0; i < 50; i++) {
            FairSemanticRescorerBuilder original = randomBuilder();
            FairSemanticRescorerBuilder copy = copy(original);
            assertEquals(original, copy);
            assertEquals(original.hashCode(), copy.hashCode());
            assertNotSame(original, copy);
        }
    }

    public void testEqualsAndHashCode() throws IOException {
        for (int i = 0; i < 50; i++) {
            checkEqualsAndHashCode(randomBuilder(), this::copy, this::mutate);
        }
    }

    public void testXContentRoundTrip() throws IOException {
        for (int i = 0; i < 50; i++) {
            FairSemanticRescorerBuilder original = randomBuilder();
            XContentBuilder builder = JsonXContent.contentBuilder();
            if (randomBoolean()) {
                builder.prettyPrint();
            }
            original.toXContent(builder, ToXContent.EMPTY_PARAMS);
            try (XContentParser parser = createParser(JsonXContent.jsonXContent, BytesReference.bytes(builder))) {
                parser.nextToken();
                RescorerBuilder<?> parsed = RescorerBuilder.parseFromXContent(parser);
                assertEquals(original, parsed);
                assertEquals(original.hashCode(), parsed.hashCode());
            }
        }
    }

    private RescorerBuilder<?> parse(String json) throws IOException {
        try (XContentParser parser = createParser(XContentType.JSON.xContent(), json)) {
            parser.nextToken();
            return RescorerBuilder.parseFromXContent(parser);
        }
    }

    public void testParsesAClause() throws IOException {
        RescorerBuilder<?> parsed = parse(
                "{\"window_size\": 50, \"fair_semantic\": {\"query_text\": \"trail sneakers\", \"fields\": [\"title\", \"description\"], \"semantic_weight\": 0.7}}");
        FairSemanticRescorerBuilder fair = (FairSemanticRescorerBuilder) parsed;
        assertEquals("trail sneakers", fair.queryText());
        assertEquals(List.of("title", "description"), fair.fields());
        assertEquals(0.7f, fair.semanticWeight(), 0f);
        assertEquals(Integer.valueOf(50), fair.windowSize());
    }

    public void testMissingQueryTextNamesTheField() {
        Exception e = expectThrows(Exception.class, () -> parse("{\"fair_semantic\": {\"semantic_weight\": 0.5}}"));
        assertTrue(e.getMessage(), e.getMessage().contains("query_text"));
    }

    public void testUnknownFieldIsRejected() {
        Exception e = expectThrows(
                Exception.class, () -> parse("{\"fair_semantic\": {\"query_text\": \"a\", \"weight\": 0.5}}"));
        assertTrue(e.getMessage(), e.getMessage().contains("weight"));
    }

    public void testWrongTypeIsRejected() {
        Exception e = expectThrows(
                Exception.class,
                () -> parse("{\"fair_semantic\": {\"query_text\": \"a\", \"semantic_weight\": \"high\"}}"));
        assertTrue(e.getMessage(), e.getMessage().contains("semantic_weight"));
        e = expectThrows(Exception.class, () -> parse("{\"fair_semantic\": {\"query_text\": {\"a\": 1}}}"));
        assertTrue(e.getMessage(), e.getMessage().contains("query_text"));
    }

    public void testWeightOutsideUnitIntervalNamesTheField() {
        for (String weight : new String[] {"-0.1", "1.5", "2"}) {
            Exception e = expectThrows(
                    Exception.class,
                    () -> parse("{\"fair_semantic\": {\"query_text\": \"a\", \"semantic_weight\": " + weight + "}}"));
            String all = messages(e);
            assertTrue(all, all.contains("semantic_weight"));
            assertTrue(all, all.contains("between 0 and 1"));
        }
    }

    public void testEmptyAndHugeQueryTextAreRejected() {
        Exception e = expectThrows(Exception.class, () -> parse("{\"fair_semantic\": {\"query_text\": \"  \"}}"));
        String all = messages(e);
        assertTrue(all, all.contains("query_text"));
        String huge = "a".repeat(FairSemanticRescorerBuilder.MAX_QUERY_TEXT_CHARS + 1);
        e = expectThrows(Exception.class, () -> parse("{\"fair_semantic\": {\"query_text\": \"" + huge + "\"}}"));
        all = messages(e);
        assertTrue(all, all.contains("at most " + FairSemanticRescorerBuilder.MAX_QUERY_TEXT_CHARS));
    }

    /** Every message down the cause chain, as a REST error's caused_by chain shows them. */
    private static String messages(Throwable e) {
        StringBuilder all = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            all.append(t.getMessage()).append(" | ");
        }
        return all.toString();
    }

    public void testParsesQuotaOverridesAndRejectsBadValues() throws IOException {
        FairSemanticRescorerBuilder fair = (FairSemanticRescorerBuilder)
                parse(
                        "{\"fair_semantic\": {\"query_text\": \"a\", \"quota\": {\"mode\": \"share\", \"max_share\": 0.25, \"share_min_prefix\": 3}}}");
        assertEquals(new QuotaParameters().mode("share").maxShare(0.25).shareMinPrefix(3), fair.quota());
        for (String bad : new String[] {
            "\"mode\": \"fairest\"", "\"max_share\": 1.5", "\"alpha\": 0", "\"max_per_shop\": -1", "\"cap_window\": 0"
        }) {
            Exception e = expectThrows(
                    Exception.class,
                    () -> parse("{\"fair_semantic\": {\"query_text\": \"a\", \"quota\": {" + bad + "}}}"));
            String all = messages(e);
            String field = bad.substring(1, bad.indexOf('"', 1));
            assertTrue(all, all.contains(field));
        }
        Exception e = expectThrows(
                Exception.class,
                () -> parse("{\"fair_semantic\": {\"query_text\": \"a\", \"quota\": {\"shop_field\": \"x\"}}}"));
        assertTrue(messages(e), messages(e).contains("shop_field"));
    }

    public void testParsesAListModeGroupMinimumsAndDiversity() throws IOException {
        FairSemanticRescorerBuilder fair = (FairSemanticRescorerBuilder) parse(
                "{\"fair_semantic\": {\"query_text\": \"a\", \"quota\": {\"mode\": [\"cap\", \"group_fair_topk\"],"
                        + " \"group_minimums\": {\"tail\": 0.3, \"mid\": 0.2}},"
                        + " \"diversity\": {\"lambda\": 0.7, \"duplicate_threshold\": 0.95, \"depth\": 20}}}");
        assertEquals(
                new QuotaParameters()
                        .mode(List.of("cap", "group_fair_topk"))
                        .groupMinimums(java.util.Map.of("tail", 0.3, "mid", 0.2)),
                fair.quota());
        assertEquals(
                new DiversityParameters().lambda(0.7).duplicateThreshold(0.95).depth(20), fair.diversity());
        // a single string stays a list of one
        FairSemanticRescorerBuilder single = (FairSemanticRescorerBuilder)
                parse("{\"fair_semantic\": {\"query_text\": \"a\", \"quota\": {\"mode\": \"share\"}}}");
        assertEquals(new QuotaParameters().mode("share"), single.quota());
        assertEquals(new QuotaParameters().mode(List.of("share")), single.quota());

        for (String bad : new String[] {
            "\"diversity\": {\"lambda\": 1.5}",
            "\"diversity\": {\"duplicate_threshold\": 0}",
            "\"diversity\": {\"depth\": -1}",
            "\"quota\": {\"mode\": [\"cap\", \"cap\"]}",
            "\"quota\": {\"mode\": [\"cap\", \"none\"]}",
            "\"quota\": {\"mode\": [\"cap\", \"fairest\"]}",
            "\"quota\": {\"group_minimums\": {\"tail\": 1.2}}",
            "\"quota\": {\"group_minimums\": {\"a\": 0.1, \"b\": 0.1, \"c\": 0.1, \"d\": 0.1}}",
            "\"diversity\": {\"mmr\": 0.5}"
        }) {
            Exception e = expectThrows(
                    Exception.class, () -> parse("{\"fair_semantic\": {\"query_text\": \"a\", " + bad + "}}"));
            String all = messages(e);
            String object = bad.substring(1, bad.indexOf('"', 1));
            String field = bad.substring(bad.indexOf('{') + 2, bad.indexOf('"', bad.indexOf('{') + 2));
            assertTrue(bad + ": " + all, all.contains(object));
            assertTrue(bad + ": " + all, all.contains(field));
        }
    }

    public void testTheCoordinatorsCopyKeepsQuotaAndDiversity() {
        FairSemanticRescorerBuilder original = new FairSemanticRescorerBuilder(rescorer, "shoes")
                .quota(new QuotaParameters().mode(List.of("cap", "share")))
                .diversity(new DiversityParameters().lambda(0.7));
        FairSemanticRescorerBuilder copy = original.withModelOfIndices("m");
        assertEquals(original.quota(), copy.quota());
        assertEquals(original.diversity(), copy.diversity());
    }

    public void testEmptyFieldsAreRejected() {
        Exception e = expectThrows(
                Exception.class, () -> parse("{\"fair_semantic\": {\"query_text\": \"a\", \"fields\": []}}"));
        String all = messages(e);
        assertTrue(all, all.contains("fields"));
    }
}
