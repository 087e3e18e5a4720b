package org.fairrescore.vectors;

import org.apache.lucene.util.BytesRef;
import org.fairrescore.model.VectorMath;
import org.opensearch.test.OpenSearchTestCase;

import java.util.Random;

public class VectorCodecTests extends OpenSearchTestCase {

    /** The fingerprint of the model the test vectors are bound to. */
    private static final long M = VectorModel.fingerprintOf("test-model");

    private static float[] randomUnit(Random r, int dims) {
        float[] v = new float[dims];
        for (int i = 0; i < dims; i++) {
            v[i] = (float) r.nextGaussian();
        }
        return VectorMath.l2Normalize(v);
    }

    public void testFloat32RoundTripOfUnitVectorsIsExact() {
        Random r = new Random(randomLong());
        for (int round = 0; round < 50; round++) {
            int dims = randomIntBetween(1, 768);
            float[] v = randomUnit(r, dims);
            byte[] bytes = VectorCodec.encode(v, VectorEncoding.FLOAT32, M);
            assertEquals("tag, model fingerprint, components", 9 + 4 * dims, bytes.length);
            assertEquals(VectorEncoding.FLOAT32, VectorCodec.encodingOf(new BytesRef(bytes)));
            float[] back = VectorCodec.decode(new BytesRef(bytes), dims);
            float[] expected = VectorMath.l2Normalize(v.clone()); // what the codec stores: the unit vector
            assertArrayEquals(expected, back, 0f);
            assertEquals(1.0, VectorMath.norm(back), 1e-5);
        }
    }

    public void testVectorsAreStoredAtUnitLength() {
        float[] v = {3f, 4f};
        float[] back = VectorCodec.decode(new BytesRef(VectorCodec.encode(v, VectorEncoding.FLOAT32, M)), 2);
        assertArrayEquals(new float[] {0.6f, 0.8f}, back, 1e-7f);
        assertArrayEquals("input untouched", new float[] {3f, 4f}, v, 0f);
    }

    public void testInt8StaysWithinItsErrorBound() {
        Random r = new Random(randomLong());
        double worst = 0;
        double sum = 0;
        int rounds = 200;
        for (int round = 0; round < rounds; round++) {
            int dims = randomFrom(8, 64, 384, 512);
            float[] v = randomUnit(r, dims);
            float[] q = randomUnit(r, dims);
            byte[] bytes = VectorCodec.encode(v, VectorEncoding.INT8, M);
            assertEquals("tag, model fingerprint, scale, components", 13 + dims, bytes.length);
            float[] back = VectorCodec.decode(new BytesRef(bytes), dims);
            assertEquals(1.0, VectorMath.norm(back), 1e-5);

            float max = 0;
            for (float x : v) {
                max = Math.max(max, Math.abs(x));
            }
            double step = max / 127.0;
            // each raw component is off by at most half a step; renormalizing at most doubles the vector error, and the
            // cosine with a unit query moves by at most that much
            double bound = Math.sqrt(dims) * step + 1e-6;
            double error = Math.abs(VectorMath.dot(q, back) - VectorMath.dot(q, v));
            assertTrue("cosine error " + error + " over bound " + bound + " at dims " + dims, error <= bound);
            // per component: (r_i - v_i) / |r| + v_i (1 / |r| - 1), with |r_i - v_i| <= step / 2 and ||r| - 1| <= e
            double e = Math.sqrt(dims) * step / 2;
            double componentBound = (step / 2 + max * e) / (1 - e) + 1e-6;
            for (int i = 0; i < dims; i++) {
                assertEquals("component " + i, v[i], back[i], componentBound);
            }
            worst = Math.max(worst, error);
            sum += error;
        }
        assertTrue("typical cosine error is far below 0.01, got mean " + sum / rounds, sum / rounds < 0.003);
        assertTrue("worst cosine error " + worst, worst < 0.02);
    }

    public void testInt8KeepsRankingOfClearlyDifferentDocuments() {
        Random r = new Random(randomLong());
        float[] q = randomUnit(r, 384);
        float[] close = q.clone();
        for (int i = 0; i < close.length; i++) {
            close[i] += (float) (0.3 * r.nextGaussian() / Math.sqrt(384));
        }
        float[] far = randomUnit(r, 384);
        float[] c = VectorCodec.decode(new BytesRef(VectorCodec.encode(close, VectorEncoding.INT8, M)), 384);
        float[] f = VectorCodec.decode(new BytesRef(VectorCodec.encode(far, VectorEncoding.INT8, M)), 384);
        assertTrue(VectorMath.dot(q, c) > VectorMath.dot(q, f));
    }

    public void testZeroVectorStaysZero() {
        for (VectorEncoding e : VectorEncoding.values()) {
            float[] back = VectorCodec.decode(new BytesRef(VectorCodec.encode(new float[5], e, M)), 5);
            assertArrayEquals(e.id(), new float[5], back, 0f);
        }
    }

    public void testNonFiniteComponentsAreRefused() {
        for (float bad : new float[] {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY}) {
            IllegalArgumentException e = expectThrows(
                    IllegalArgumentException.class,
                    () -> VectorCodec.encode(new float[] {1f, bad}, randomFrom(VectorEncoding.values()), M));
            assertTrue(e.getMessage(), e.getMessage().contains("component 1"));
        }
    }

    public void testWrongLengthOrTagIsRefused() {
        byte[] bytes = VectorCodec.encode(new float[] {1f, 2f, 3f}, VectorEncoding.FLOAT32, M);
        IllegalArgumentException e =
                expectThrows(IllegalArgumentException.class, () -> VectorCodec.decode(new BytesRef(bytes), 4));
        assertTrue(e.getMessage(), e.getMessage().contains("4-dimension"));
        byte[] int8 = VectorCodec.encode(new float[] {1f, 2f, 3f}, VectorEncoding.INT8, M);
        expectThrows(IllegalArgumentException.class, () -> VectorCodec.decode(new BytesRef(int8), 4));
        bytes[0] = 9;
        expectThrows(IllegalArgumentException.class, () -> VectorCodec.decode(new BytesRef(bytes), 3));
        expectThrows(IllegalArgumentException.class, () -> VectorCodec.decode(new BytesRef(new byte[0]), 3));
        assertNull(VectorCodec.encodingOf(new BytesRef(bytes)));
    }

    public void testDecodeHonoursTheBytesRefOffset() {
        byte[] v = VectorCodec.encode(new float[] {0f, 1f}, VectorEncoding.FLOAT32, M);
        byte[] padded = new byte[v.length + 7];
        System.arraycopy(v, 0, padded, 3, v.length);
        assertArrayEquals(new float[] {0f, 1f}, VectorCodec.decode(new BytesRef(padded, 3, v.length), 2), 0f);
    }

    public void testEncodingNames() {
        assertEquals(VectorEncoding.INT8, VectorEncoding.of("int8"));
        assertEquals(VectorEncoding.FLOAT32, VectorEncoding.of("float32"));
        IllegalArgumentException e = expectThrows(IllegalArgumentException.class, () -> VectorEncoding.of("fp16"));
        assertTrue(e.getMessage(), e.getMessage().contains("fp16"));
    }

    public void testCosineFromTheBytesEqualsDotOfTheDecodedVector() {
        Random r = new Random(randomLong());
        for (int round = 0; round < 50; round++) {
            int dims = randomIntBetween(1, 512);
            float[] v = randomUnit(r, dims);
            float[] q = randomUnit(r, dims);
            BytesRef f32 = new BytesRef(VectorCodec.encode(v, VectorEncoding.FLOAT32, M));
            float[] decoded = VectorCodec.decode(f32, dims);
            assertEquals("float32: bit for bit", VectorMath.dotFloat(q, decoded), VectorCodec.cosine(f32, q), 0f);
            assertEquals("float32: the dot product", VectorMath.dot(q, decoded), VectorCodec.cosine(f32, q), 1e-5);
            BytesRef i8 = new BytesRef(VectorCodec.encode(v, VectorEncoding.INT8, M));
            assertEquals(
                    "int8: the cosine of the decoded vector",
                    VectorMath.dot(q, VectorCodec.decode(i8, dims)),
                    VectorCodec.cosine(i8, q),
                    1e-5);
        }
        assertEquals(
                0f,
                VectorCodec.cosine(
                        new BytesRef(VectorCodec.encode(new float[3], VectorEncoding.INT8, M)),
                        new float[] {1f, 0f, 0f}),
                0f);
        expectThrows(
                IllegalArgumentException.class,
                () -> VectorCodec.cosine(
                        new BytesRef(VectorCodec.encode(new float[3], VectorEncoding.FLOAT32, M)), new float[4]));
    }

    public void testEveryEncodingIsFoundByItsTag() {
        for (VectorEncoding encoding : VectorEncoding.values()) {
            assertSame(encoding, VectorEncoding.ofTag(encoding.tag()));
            assertSame(encoding, VectorEncoding.ofTag(encoding.unboundTag()));
            assertTrue(VectorEncoding.isBound(encoding.tag()));
            assertFalse(VectorEncoding.isBound(encoding.unboundTag()));
        }
        assertNull(VectorEncoding.ofTag((byte) 0));
        assertNull(VectorEncoding.ofTag((byte) 5));
    }

    /** Every vector carries its model's fingerprint, read without decoding it. */
    public void testVectorsCarryTheirModel() {
        long minilm = VectorModel.fingerprintOf("all-minilm-l6-v2-q");
        long bge = VectorModel.fingerprintOf("bge-small-en-v15-q");
        assertNotEquals("models of equal dims are told apart", minilm, bge);
        assertEquals(minilm, new VectorModel("all-minilm-l6-v2-q", 384).fingerprint());
        for (VectorEncoding encoding : VectorEncoding.values()) {
            float[] v = {0.3f, -0.2f, 0.9f};
            BytesRef bytes = new BytesRef(VectorCodec.encode(v, encoding, minilm));
            assertEquals(minilm, VectorCodec.model(bytes));
            assertEquals(
                    VectorCodec.cosine(bytes, VectorMath.l2Normalize(v.clone())),
                    VectorCodec.cosine(
                            new BytesRef(VectorCodec.encode(v, encoding, bge)), VectorMath.l2Normalize(v.clone())),
                    0f);
            assertEquals(bge, VectorCodec.model(new BytesRef(VectorCodec.encode(v, encoding, bge))));
        }
        assertEquals(VectorModel.UNKNOWN, VectorCodec.model(new BytesRef(new byte[0])));
    }

    /** Vectors written before vectors carried a model (tags 1 and 2) still decode, as vectors of an unknown model. */
    public void testVectorsWithoutAModelStillDecode() {
        float[] unit = VectorMath.l2Normalize(new float[] {3f, 4f});
        byte[] legacy = new byte[1 + 8];
        legacy[0] = 1; // float32, no model
        java.nio.ByteBuffer.wrap(legacy, 1, 8)
                .order(java.nio.ByteOrder.LITTLE_ENDIAN)
                .putFloat(unit[0])
                .putFloat(unit[1]);
        BytesRef bytes = new BytesRef(legacy);
        assertEquals(VectorModel.UNKNOWN, VectorCodec.model(bytes));
        assertEquals(VectorEncoding.FLOAT32, VectorCodec.encodingOf(bytes));
        assertArrayEquals(unit, VectorCodec.decode(bytes, 2), 0f);
        assertEquals(1f, VectorCodec.cosine(bytes, unit), 1e-6f);
        byte[] legacyInt8 = new byte[1 + 4 + 2];
        legacyInt8[0] = 2;
        java.nio.ByteBuffer.wrap(legacyInt8, 1, 4)
                .order(java.nio.ByteOrder.LITTLE_ENDIAN)
                .putFloat(0.8f / 127f);
        legacyInt8[5] = 95;
        legacyInt8[6] = 127;
        assertEquals(VectorModel.UNKNOWN, VectorCodec.model(new BytesRef(legacyInt8)));
        assertEquals(1f, VectorCodec.cosine(new BytesRef(legacyInt8), unit), 1e-3f);
    }
}
