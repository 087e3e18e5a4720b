package org.fairrescore.model;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtProvider;
import ai.onnxruntime.OrtSession;

import java.util.Locale;
import java.util.Set;

/**
 * Where ONNX Runtime runs the model: {@code cpu}, or {@code cuda} (an NVIDIA GPU, with the {@code onnxruntime_gpu}
 * build of ONNX Runtime, which the {@code -Pcuda} Maven profile bundles instead of the CPU one).
 */
public enum InferenceDevice {
    CPU("cpu"),
    CUDA("cuda");

    private final String id;

    InferenceDevice(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    public static InferenceDevice of(String id) {
        for (InferenceDevice d : values()) {
            if (d.id.equals(id)) {
                return d;
            }
        }
        throw new IllegalArgumentException(
                String.format(Locale.ROOT, "unknown inference device [%s]; use [cpu] or [cuda]", id));
    }

    @Override
    public String toString() {
        return id;
    }

    /**
     * What a node asks for.
     *
     * @param device        the device wanted
     * @param cudaDeviceId  which GPU, when {@code device} is {@link #CUDA}
     * @param fallbackToCpu when the GPU cannot be used: run on the CPU (true) or fail (false)
     * @param deviceSetting name of the setting {@code device} came from, for messages
     * @param fallbackSetting name of the fallback setting, for messages
     */
    public record Request(
            InferenceDevice device,
            int cudaDeviceId,
            boolean fallbackToCpu,
            String deviceSetting,
            String fallbackSetting) {

        public static final Request CPU_ONLY = new Request(CPU, 0, false, "device", "device_fallback");
    }

    /** The device a session was set up for, and a note for the log when it is not the one asked for. */
    public record Choice(InferenceDevice device, String note) {}

    /** Adds the CUDA execution provider to session options; the seam tests replace. */
    @FunctionalInterface
    interface CudaAttach {
        void attach(int deviceId) throws OrtException;
    }

    /** Sets up {@code options} for the requested device (see {@link #choose}). */
    static Choice configure(
            OrtSession.SessionOptions options, Request request, Set<OrtProvider> available, String modelId) {
        return choose(request, available, options::addCUDA, modelId);
    }

    /**
     * Picks the device: CPU when asked; CUDA when the ONNX Runtime build has the CUDA provider and it attaches;
     * otherwise CPU with a note if fallback is allowed, else an {@link IllegalStateException} that says why and
     * which settings to change.
     */
    static Choice choose(Request request, Set<OrtProvider> available, CudaAttach cuda, String modelId) {
        if (request.device() == CPU) {
            return new Choice(CPU, null);
        }
        String problem;
        if (available.contains(OrtProvider.CUDA) == false) {
            problem = String.format(
                    Locale.ROOT,
                    "this ONNX Runtime build has no CUDA execution provider (available: %s); install the plugin built with -Pcuda "
                            + "(com.microsoft.onnxruntime:onnxruntime_gpu)",
                    available);
        } else {
            try {
                cuda.attach(request.cudaDeviceId());
                return new Choice(CUDA, null);
            } catch (OrtException | RuntimeException e) {
                problem = String.format(
                        Locale.ROOT,
                        "the CUDA execution provider could not use GPU %d (%s); check the NVIDIA driver, CUDA and cuDNN libraries",
                        request.cudaDeviceId(),
                        e.getMessage());
            }
        }
        if (request.fallbackToCpu()) {
            return new Choice(
                    CPU,
                    String.format(
                            Locale.ROOT,
                            "model [%s]: [%s] is [cuda] but %s; running on the CPU as [%s] allows",
                            modelId,
                            request.deviceSetting(),
                            problem,
                            request.fallbackSetting()));
        }
        throw new IllegalStateException(String.format(
                Locale.ROOT,
                "fair-rescore: [%s] is [cuda] but %s. Set [%s: cpu] to run on the CPU instead, or [%s: cpu].",
                request.deviceSetting(),
                problem,
                request.fallbackSetting(),
                request.deviceSetting()));
    }
}
