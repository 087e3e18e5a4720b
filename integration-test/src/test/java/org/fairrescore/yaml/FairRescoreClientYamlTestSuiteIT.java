package org.fairrescore.yaml;

import com.carrotsearch.randomizedtesting.annotations.Name;
import com.carrotsearch.randomizedtesting.annotations.ParametersFactory;
import org.opensearch.test.rest.yaml.ClientYamlTestCandidate;
import org.opensearch.test.rest.yaml.OpenSearchClientYamlSuiteTestCase;

/**
 * The YAML REST suite in {@code rest-api-spec/test/}, run by OpenSearch's own runner against the real node named by
 * {@code -Dtests.rest.cluster=host:port} (started by {@code integration-test/test-all.sh}). One test per YAML
 * section; {@code -Dtests.rest.suite=fair_rescore/20_embed} runs one file.
 */
public class FairRescoreClientYamlTestSuiteIT extends OpenSearchClientYamlSuiteTestCase {

    public FairRescoreClientYamlTestSuiteIT(@Name("yaml") ClientYamlTestCandidate testCandidate) {
        super(testCandidate);
    }

    @ParametersFactory
    public static Iterable<Object[]> parameters() throws Exception {
        return createParameters();
    }
}
