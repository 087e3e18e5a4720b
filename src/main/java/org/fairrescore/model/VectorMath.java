package org.fairrescore.model;

/** Small dense-vector helpers. Vectors of different lengths are an {@link IllegalArgumentException}. */
public final class VectorMath {

    private VectorMath() {}

    /** Dot product, accumulated in double. */
    public static double dot(float[] a, float[] b) {
        checkLength(a, b);
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += (double) a[i] * b[i];
        }
        return sum;
    }

    /** Lanes of {@link #dotFloat}: independent sums the CPU can add in parallel. */
    public static final int LANES = 8;

    /**
     * Dot product accumulated in float, dimension {@code i} into lane {@code i % 8} (a tail shorter than 8 into
     * lane 0 after the lanes are summed pairwise). Every cosine the rescorer computes (stored float32 vectors read from
     * bytes by {@code VectorCodec.cosine}, vectors embedded on the fly) uses this order, so both paths agree bit for
     * bit; the lanes make it about twice as fast as one running sum, which waits on each addition.
     */
    public static float dotFloat(float[] a, float[] b) {
        checkLength(a, b);
        float s0 = 0f, s1 = 0f, s2 = 0f, s3 = 0f, s4 = 0f, s5 = 0f, s6 = 0f, s7 = 0f;
        int n = a.length;
        int i = 0;
        for (; i + LANES <= n; i += LANES) {
            s0 += a[i] * b[i];
            s1 += a[i + 1] * b[i + 1];
            s2 += a[i + 2] * b[i + 2];
            s3 += a[i + 3] * b[i + 3];
            s4 += a[i + 4] * b[i + 4];
            s5 += a[i + 5] * b[i + 5];
            s6 += a[i + 6] * b[i + 6];
            s7 += a[i + 7] * b[i + 7];
        }
        float sum = ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7));
        for (; i < n; i++) {
            sum += a[i] * b[i];
        }
        return sum;
    }

    /** Euclidean length. */
    public static double norm(float[] a) {
        double sum = 0;
        for (float v : a) {
            sum += (double) v * v;
        }
        return Math.sqrt(sum);
    }

    /** Cosine similarity; 0 when either vector is all zeros. */
    public static double cosine(float[] a, float[] b) {
        checkLength(a, b);
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += (double) a[i] * b[i];
            na += (double) a[i] * a[i];
            nb += (double) b[i] * b[i];
        }
        if (na == 0 || nb == 0) {
            return 0;
        }
        return dot / Math.sqrt(na * nb);
    }

    /** Scales {@code v} in place to unit length (a zero vector stays zero) and returns it. */
    public static float[] l2Normalize(float[] v) {
        double n = norm(v);
        if (n > 0) {
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) (v[i] / n);
            }
        }
        return v;
    }

    private static void checkLength(float[] a, float[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("vector lengths differ: " + a.length + " vs " + b.length);
        }
    }
}
