package org.fairrescore.model;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtProvider;
import org.opensearch.test.OpenSearchTestCase;

import java.util.EnumSet;
import java.util.concurrent.atomic.AtomicInteger;

public class InferenceDeviceTests extends OpenSearchTestCase {

    private static InferenceDevice.Request request(InferenceDevice device, boolean fallback) {
        return new InferenceDevice.Request(
                device, 1, fallback, "fair_rescore.inference.device", "fair_rescore.inference.device_fallback");
    }

    public void testCpuNeedsNothing() {
        InferenceDevice.Choice c = InferenceDevice.choose(
                request(InferenceDevice.CPU, false), EnumSet.of(OrtProvider.CPU), id -> fail(), "m");
        assertEquals(InferenceDevice.CPU, c.device());
        assertNull(c.note());
    }

    public void testCudaWithoutTheProviderFailsNamingTheSettings() {
        IllegalStateException e = expectThrows(
                IllegalStateException.class,
                () -> InferenceDevice.choose(
                        request(InferenceDevice.CUDA, false), EnumSet.of(OrtProvider.CPU), id -> fail(), "m"));
        assertTrue(e.getMessage(), e.getMessage().contains("fair_rescore.inference.device"));
        assertTrue(e.getMessage(), e.getMessage().contains("fair_rescore.inference.device_fallback: cpu"));
        assertTrue(e.getMessage(), e.getMessage().contains("-Pcuda"));
    }

    public void testCudaFallsBackToCpuWhenAllowed() {
        InferenceDevice.Choice c = InferenceDevice.choose(
                request(InferenceDevice.CUDA, true), EnumSet.of(OrtProvider.CPU), id -> fail(), "m");
        assertEquals(InferenceDevice.CPU, c.device());
        assertTrue(c.note(), c.note().contains("running on the CPU"));
    }

    public void testCudaProviderThatCannotAttachIsNoGpu() {
        EnumSet<OrtProvider> gpuBuild = EnumSet.of(OrtProvider.CPU, OrtProvider.CUDA);
        InferenceDevice.CudaAttach broken = id -> {
            throw new OrtException("libcudart.so.12: cannot open shared object file");
        };
        IllegalStateException e = expectThrows(
                IllegalStateException.class,
                () -> InferenceDevice.choose(request(InferenceDevice.CUDA, false), gpuBuild, broken, "m"));
        assertTrue(
                e.getMessage(),
                e.getMessage().contains("GPU 1") && e.getMessage().contains("libcudart"));
        assertEquals(
                InferenceDevice.CPU,
                InferenceDevice.choose(request(InferenceDevice.CUDA, true), gpuBuild, broken, "m")
                        .device());
    }

    public void testCudaAttachesWhenUsable() {
        AtomicInteger attached = new AtomicInteger(-1);
        InferenceDevice.Choice c = InferenceDevice.choose(
                request(InferenceDevice.CUDA, false),
                EnumSet.of(OrtProvider.CPU, OrtProvider.CUDA),
                attached::set,
                "m");
        assertEquals(InferenceDevice.CUDA, c.device());
        assertEquals(1, attached.get());
    }

    public void testThisBuildHasNoCudaSoLoadingOnCudaFailsOrFallsBack() throws Exception {
        assertFalse(
                "the CPU onnxruntime jar has no CUDA provider",
                ai.onnxruntime.OrtEnvironment.getAvailableProviders().contains(OrtProvider.CUDA));
        BundledModel model = ModelRegistry.scan(EmbedTestSupport.modelsDir()).get(EmbedTestSupport.MINILM);
        IllegalStateException e = expectThrows(
                IllegalStateException.class,
                () -> OnnxEmbedder.load(model, 1, 1, request(InferenceDevice.CUDA, false)));
        assertTrue(e.getMessage(), e.getMessage().contains("no CUDA execution provider"));
        try (OnnxEmbedder cpu = OnnxEmbedder.load(model, 1, 1, request(InferenceDevice.CUDA, true))) {
            assertEquals(InferenceDevice.CPU, cpu.device());
            assertEquals(384, cpu.embed("shoes").length);
        }
    }

    public void testNames() {
        assertEquals(InferenceDevice.CUDA, InferenceDevice.of("cuda"));
        expectThrows(IllegalArgumentException.class, () -> InferenceDevice.of("tpu"));
    }
}
