package org.fairrescore.vectors;

import org.apache.lucene.index.IndexableField;
import org.apache.lucene.util.BytesRef;
import org.opensearch.index.mapper.DocumentMapper;
import org.opensearch.index.mapper.MappedFieldType;
import org.opensearch.index.mapper.Mapper;
import org.opensearch.index.mapper.MapperParsingException;
import org.opensearch.index.mapper.MapperService;
import org.opensearch.index.mapper.MapperServiceTestCase;
import org.opensearch.index.mapper.ParsedDocument;
import org.opensearch.index.query.QueryShardException;
import org.opensearch.plugins.MapperPlugin;
import org.opensearch.plugins.Plugin;

import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * The {@code fair_rescore_vector} mapping and document parsing, on a node that knows two models of 4 dimensions and one
 * of 8 ({@code test-model} its default).
 */
public class VectorFieldMapperTests extends MapperServiceTestCase {

    static final VectorModel MODEL = new VectorModel("test-model", 4);
    static final VectorModel OTHER = new VectorModel("other-model", 4);
    static final VectorModel WIDE = new VectorModel("wide-model", 8);

    static final ModelCatalog CATALOG = new ModelCatalog() {
        @Override
        public String defaultModel() {
            return MODEL.id();
        }

        @Override
        public VectorModel model(String id) {
            return Map.of(MODEL.id(), MODEL, OTHER.id(), OTHER, WIDE.id(), WIDE).get(id);
        }

        @Override
        public Collection<String> ids() {
            return List.of(OTHER.id(), MODEL.id(), WIDE.id());
        }
    };

    public static final class VectorPlugin extends Plugin implements MapperPlugin {
        @Override
        public Map<String, Mapper.TypeParser> getMappers() {
            return Map.of(VectorFieldMapper.CONTENT_TYPE, VectorFieldMapper.parser(CATALOG));
        }
    }

    @Override
    protected Collection<? extends Plugin> getPlugins() {
        return List.of(new VectorPlugin());
    }

    private DocumentMapper mapper(String encoding) throws Exception {
        return createDocumentMapper(fieldMapping(b -> {
            b.field("type", "fair_rescore_vector").field("dims", 4);
            if (encoding != null) {
                b.field("encoding", encoding);
            }
        }));
    }

    private static float[] stored(ParsedDocument doc) {
        IndexableField[] fields = doc.rootDoc().getFields("field");
        assertEquals(1, fields.length);
        BytesRef bytes = fields[0].binaryValue();
        return VectorCodec.decode(bytes, 4);
    }

    public void testArrayIsStoredAsUnitFloat32() throws Exception {
        ParsedDocument doc = mapper(null).parse(source(b -> b.array("field", 0f, 3f, 0f, 4f)));
        assertArrayEquals(new float[] {0f, 0.6f, 0f, 0.8f}, stored(doc), 1e-7f);
        BytesRef bytes = doc.rootDoc().getFields("field")[0].binaryValue();
        assertEquals(VectorEncoding.FLOAT32, VectorCodec.encodingOf(bytes));
        assertEquals(25, bytes.length);
        assertEquals("a vector given as numbers is the field's model's", MODEL.fingerprint(), VectorCodec.model(bytes));
    }

    public void testInt8StoresThirteenBytesPlusOnePerDimension() throws Exception {
        ParsedDocument doc = mapper("int8").parse(source(b -> b.array("field", 0.1f, -0.5f, 0.3f, 0.8f)));
        BytesRef bytes = doc.rootDoc().getFields("field")[0].binaryValue();
        assertEquals(VectorEncoding.INT8, VectorCodec.encodingOf(bytes));
        assertEquals(17, bytes.length);
        assertEquals(MODEL.fingerprint(), VectorCodec.model(bytes));
        float[] v = stored(doc);
        double norm = Math.sqrt(0.01 + 0.25 + 0.09 + 0.64);
        assertEquals(-0.5 / norm, v[1], 0.01);
    }

    public void testObjectFormOfTheProcessor() throws Exception {
        ParsedDocument doc = mapper(null)
                .parse(source(b -> b.startObject("field")
                        .field("model", MODEL.id())
                        .field("text_hash", "abc")
                        .array("vector", 1f, 0f, 0f, 0f)
                        .endObject()));
        assertArrayEquals(new float[] {1f, 0f, 0f, 0f}, stored(doc), 0f);
    }

    public void testBase64FormIsTheSameVector() throws Exception {
        float[] v = {0.1f, -0.5f, 0.3f, 0.8f};
        float[] fromArray = stored(mapper(null).parse(source(b -> b.array("field", v))));
        String base64 = SourceVector.encode(v);
        assertEquals(4, SourceVector.dimensions(base64));
        assertArrayEquals(fromArray, stored(mapper(null).parse(source(b -> b.field("field", base64)))), 0f);
        assertArrayEquals(
                fromArray,
                stored(mapper(null)
                        .parse(source(b -> b.startObject("field")
                                .field("model", MODEL.id())
                                .field("text_hash", "abc")
                                .field("vector", base64)
                                .endObject()))),
                0f);
        // big-endian float32, the form Elasticsearch's dense_vector takes: 1.0f is 3F 80 00 00
        assertEquals("P4AAAA==", SourceVector.encode(new float[] {1f}));
    }

    public void testNullMeansNoVector() throws Exception {
        ParsedDocument doc = mapper(null).parse(source(b -> b.nullField("field")));
        assertEquals(0, doc.rootDoc().getFields("field").length);
        ParsedDocument none = mapper(null).parse(source(b -> b.field("other", 1)));
        assertEquals(0, none.rootDoc().getFields("field").length);
    }

    private void assertRefused(
            DocumentMapper mapper,
            org.opensearch.common.CheckedConsumer<org.opensearch.core.xcontent.XContentBuilder, java.io.IOException>
                    doc,
            String... mentions) {
        MapperParsingException e = expectThrows(MapperParsingException.class, () -> mapper.parse(source(doc)));
        String text = e.getMessage() + " / "
                + (e.getCause() == null ? "" : e.getCause().getMessage());
        assertTrue(text, text.contains("[field]"));
        for (String m : mentions) {
            assertTrue(text, text.contains(m));
        }
        assertEquals(org.opensearch.core.rest.RestStatus.BAD_REQUEST, e.status());
    }

    public void testWrongDimensionIsRefusedNamingTheField() throws Exception {
        DocumentMapper m = mapper(null);
        assertRefused(m, b -> b.array("field", 1f, 2f, 3f), "4 dimensions", "gives 3");
        assertRefused(m, b -> b.array("field", 1f, 2f, 3f, 4f, 5f), "gives 5");
        assertRefused(m, b -> b.startArray("field").endArray(), "gives 0");
        assertRefused(m, b -> b.startObject("field").array("vector", 1f).endObject(), "gives 1");
    }

    public void testNonNumericInputIsRefusedNamingTheField() throws Exception {
        DocumentMapper m = mapper(null);
        assertRefused(m, b -> b.array("field", "a", "b", "c", "d"), "numbers only", "string");
        assertRefused(
                m,
                b -> b.startArray("field")
                        .value(1f)
                        .value(true)
                        .value(1f)
                        .value(1f)
                        .endArray(),
                "component 1",
                "boolean");
        assertRefused(
                m, b -> b.startArray("field").startArray().value(1f).endArray().endArray(), "nested array");
        assertRefused(m, b -> b.field("field", "1,2,3,4"), "not a base64 vector");
        assertRefused(m, b -> b.field("field", 7), "not a number");
        assertRefused(
                m,
                b -> b.startObject("field").field("vector", "x").endObject(),
                "[field.vector]",
                "not a base64 vector");
        assertRefused(m, b -> b.startObject("field").field("vector", true).endObject(), "[vector] must be an array");
        assertRefused(m, b -> b.field("field", SourceVector.encode(new float[] {1f, 2f, 3f})), "gives 3");
        assertRefused(m, b -> b.field("field", SourceVector.encode(new float[] {1f, Float.NaN, 0f, 0f})), "NaN");
        assertRefused(m, b -> b.field("field", "AAAA"), "not a whole number of float32"); // 3 bytes
        assertRefused(m, b -> b.startObject("field").field("colour", 1).endObject(), "unknown key [colour]");
        assertRefused(m, b -> b.startObject("field").field("model", MODEL.id()).endObject(), "has no [vector]");
    }

    public void testVectorFromAnotherModelIsRefused() throws Exception {
        assertRefused(
                mapper(null),
                b -> b.startObject("field")
                        .field("model", "other-model")
                        .array("vector", 1f, 0f, 0f, 0f)
                        .endObject(),
                "other-model",
                MODEL.id());
    }

    public void testTheFieldIsBoundToTheDefaultModelOrTheOneItNames() throws Exception {
        MapperService defaults = createMapperService(fieldMapping(b -> b.field("type", "fair_rescore_vector")));
        String mapping = defaults.documentMapper().mappingSource().toString();
        assertTrue(
                "the default model and its dims are written into the mapping: " + mapping,
                mapping.contains("\"model\":\"test-model\"") && mapping.contains("\"dims\":4"));
        assertEquals(MODEL, ((VectorFieldMapper.VectorFieldType) defaults.fieldType("field")).model());

        MapperService other = createMapperService(
                fieldMapping(b -> b.field("type", "fair_rescore_vector").field("model", "wide-model")));
        VectorFieldMapper.VectorFieldType wide = (VectorFieldMapper.VectorFieldType) other.fieldType("field");
        assertEquals(WIDE, wide.model());
        assertEquals(8, wide.dims());
        ParsedDocument doc =
                other.documentMapper().parse(source(b -> b.array("field", 1f, 0f, 0f, 0f, 0f, 0f, 0f, 0f)));
        assertEquals(
                WIDE.fingerprint(),
                VectorCodec.model(doc.rootDoc().getFields("field")[0].binaryValue()));
        assertEquals(
                "wide-model",
                VectorFieldMapper.boundModel(
                        Map.of(
                                "properties",
                                Map.of("field", Map.of("type", "fair_rescore_vector", "model", "wide-model"))),
                        "field"));
        assertEquals(
                "object fields by dots",
                "m",
                VectorFieldMapper.boundModel(
                        Map.of(
                                "properties",
                                Map.of(
                                        "a",
                                        Map.of(
                                                "properties",
                                                Map.of("v", Map.of("type", "fair_rescore_vector", "model", "m"))))),
                        "a.v"));
        assertNull(VectorFieldMapper.boundModel(
                Map.of("properties", Map.of("field", Map.of("type", "keyword"))), "field"));
        assertNull(VectorFieldMapper.boundModel(Map.of(), "field"));
    }

    public void testAnUnknownModelIsRefusedListingTheKnownOnes() throws Exception {
        MapperParsingException unknown = expectThrows(
                MapperParsingException.class,
                () -> createMapperService(
                        fieldMapping(b -> b.field("type", "fair_rescore_vector").field("model", "nope"))));
        assertTrue(
                unknown.getMessage(),
                unknown.getMessage().contains("[field]") && unknown.getMessage().contains("model [nope]"));
        assertTrue(unknown.getMessage(), unknown.getMessage().contains("[other-model, test-model, wide-model]"));
        MapperParsingException blank = expectThrows(
                MapperParsingException.class,
                () -> createMapperService(
                        fieldMapping(b -> b.field("type", "fair_rescore_vector").field("model", " "))));
        assertTrue(blank.getMessage(), blank.getMessage().contains("[model] must be a model id"));
    }

    public void testTheModelCannotChange() throws Exception {
        MapperService service = createMapperService(fieldMapping(b -> b.field("type", "fair_rescore_vector")));
        IllegalArgumentException e = expectThrows(
                IllegalArgumentException.class,
                () -> merge(
                        service,
                        fieldMapping(b -> b.field("type", "fair_rescore_vector").field("model", "other-model"))));
        assertTrue(e.getMessage(), e.getMessage().contains("model"));
        // the same mapping again (dims and model as written) merges
        merge(
                service,
                fieldMapping(b -> b.field("type", "fair_rescore_vector")
                        .field("model", "test-model")
                        .field("dims", 4)));
    }

    public void testMappingNeedsDimsMatchingItsModel() throws Exception {
        MapperParsingException wide = expectThrows(
                MapperParsingException.class,
                () -> createMapperService(fieldMapping(b -> b.field("type", "fair_rescore_vector")
                        .field("model", "wide-model")
                        .field("dims", 4))));
        assertTrue(
                wide.getMessage(),
                wide.getMessage().contains("[field]")
                        && wide.getMessage().contains("wide-model")
                        && wide.getMessage().contains("8"));

        MapperParsingException wrong = expectThrows(
                MapperParsingException.class,
                () -> createMapperService(
                        fieldMapping(b -> b.field("type", "fair_rescore_vector").field("dims", 384))));
        assertTrue(
                wrong.getMessage(),
                wrong.getMessage().contains("[field]")
                        && wrong.getMessage().contains("test-model")
                        && wrong.getMessage().contains("384"));

        MapperParsingException range = expectThrows(
                MapperParsingException.class,
                () -> createMapperService(
                        fieldMapping(b -> b.field("type", "fair_rescore_vector").field("dims", -1))));
        assertTrue(range.getMessage(), range.getMessage().contains("dims"));

        for (Object notANumber : new Object[] {"many", 4.5, true}) {
            MapperParsingException word = expectThrows(
                    MapperParsingException.class,
                    () -> createMapperService(fieldMapping(
                            b -> b.field("type", "fair_rescore_vector").field("dims", notANumber))));
            assertTrue(
                    word.getMessage(),
                    word.getMessage().contains("field [field]")
                            && word.getMessage().contains("[dims] must be a whole number"));
        }
        assertEquals(
                4,
                ((VectorFieldMapper.VectorFieldType) createMapperService(fieldMapping(b ->
                                        b.field("type", "fair_rescore_vector").field("dims", "4")))
                                .fieldType("field"))
                        .dims());

        MapperParsingException encoding = expectThrows(
                MapperParsingException.class,
                () -> createMapperService(fieldMapping(b ->
                        b.field("type", "fair_rescore_vector").field("dims", 4).field("encoding", "fp16"))));
        assertTrue(encoding.getMessage(), encoding.getMessage().contains("fp16"));
    }

    public void testDimsAndEncodingCannotChange() throws Exception {
        MapperService service = createMapperService(
                fieldMapping(b -> b.field("type", "fair_rescore_vector").field("dims", 4)));
        IllegalArgumentException e = expectThrows(
                IllegalArgumentException.class,
                () -> merge(
                        service,
                        fieldMapping(b -> b.field("type", "fair_rescore_vector")
                                .field("dims", 4)
                                .field("encoding", "int8"))));
        assertTrue(e.getMessage(), e.getMessage().contains("encoding"));
    }

    public void testMappingRoundTripsDimsAndEncoding() throws Exception {
        MapperService service = createMapperService(fieldMapping(
                b -> b.field("type", "fair_rescore_vector").field("dims", 4).field("encoding", "int8")));
        String mapping = service.documentMapper().mappingSource().toString();
        assertTrue(mapping, mapping.contains("\"dims\":4") && mapping.contains("\"encoding\":\"int8\""));
        MappedFieldType type = service.fieldType("field");
        assertTrue(type instanceof VectorFieldMapper.VectorFieldType);
        assertEquals(4, ((VectorFieldMapper.VectorFieldType) type).dims());
        assertEquals(VectorEncoding.INT8, ((VectorFieldMapper.VectorFieldType) type).encoding());
        assertTrue(type.hasDocValues());
        assertFalse(type.isSearchable());
    }

    public void testNotSearchable() throws Exception {
        MapperService service = createMapperService(
                fieldMapping(b -> b.field("type", "fair_rescore_vector").field("dims", 4)));
        QueryShardException e = expectThrows(
                QueryShardException.class,
                () -> service.fieldType("field").termQuery(1f, createQueryShardContext(service)));
        assertTrue(e.getMessage(), e.getMessage().contains("not searchable"));
    }
}
