package org.fairrescore.plugin;

import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.fairrescore.settings.FairRescoreSettings;
import org.opensearch.client.Request;
import org.opensearch.client.Response;
import org.opensearch.common.settings.Settings;
import org.opensearch.common.xcontent.XContentHelper;
import org.opensearch.common.xcontent.json.JsonXContent;
import org.opensearch.plugins.Plugin;
import org.opensearch.test.OpenSearchIntegTestCase;
import org.opensearch.transport.Netty4ModulePlugin;

import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Internal-cluster tests with the plugin and a real Netty HTTP server on each node, so {@code getRestClient()} sends
 * real HTTP (and bad input is checked as users see it: status codes and JSON reasons).
 */
public abstract class FairRescoreIntegTestCase extends OpenSearchIntegTestCase {

    @Override
    protected Collection<Class<? extends Plugin>> nodePlugins() {
        return List.of(FairRescorePlugin.class, Netty4ModulePlugin.class);
    }

    @Override
    protected boolean addMockHttpTransport() {
        return false;
    }

    /** Sends a request over real HTTP and returns the JSON answer (keys in order); a non-2xx status throws. */
    protected static Map<String, Object> rest(String method, String path, String body) throws Exception {
        Request request = new Request(method, path);
        if (body != null) {
            request.setJsonEntity(body);
        }
        Response response = getRestClient().performRequest(request);
        return XContentHelper.convertToMap(JsonXContent.jsonXContent, EntityUtils.toString(response.getEntity()), true);
    }

    /**
     * A generous inference budget: these tests check scores and orders, which a timeout on a loaded CI machine would
     * change (the timeout itself is tested where it is provoked on purpose).
     */
    @Override
    protected Settings nodeSettings(int nodeOrdinal) {
        return Settings.builder()
                .put(super.nodeSettings(nodeOrdinal))
                .put(FairRescoreSettings.INFERENCE_TIMEOUT.getKey(), "5m")
                .build();
    }
}
