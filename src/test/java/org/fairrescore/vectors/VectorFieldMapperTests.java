package org.fairrescore.vectors;

import org.apache.lucene.index.IndexableField;
import org.apache.lucene.util.BytesRef;
import org.opensearch.index.mapper.DocumentMapper;
import org.opensearch.index.mapper.MappedFieldType;
import org.opensearch.index.mapper.MapperParsingException;
import org.opensearch.index.mapper.MapperService;
import org.opensearch.index.mapper.MapperServiceTestCase;
import org.opensearch.index.mapper.ParsedDocument;
import org.opensearch.index.query.QueryShardException;
import org.opensearch.index.mapper.Mapper;
import org.opensearch.plugins.MapperPlugin;
import org.opensearch.plugins.Plugin;

import java.util.Collection;
import java.util.List;
import java.util.Map;

/** The {@code fair_rescore_vector} mapping and document parsing, against a node model of 4 dimensions. */
public class VectorFieldMapperTests extends MapperServiceTestCase {

    static final VectorModel MODEL = new VectorModel("test-model", 4);

    public static final class VectorPlugin extends Plugin implements MapperPlugin {
        @Override
        public Map<String, Mapper.TypeParser> getMappers() {
            return Map.of(VectorFieldMapper.CONTENT_TYPE, VectorFieldMapper.parser(() -> MODEL));
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
        assertArrayEquals(new float[] { 0f, 0.6f, 0f, 0.8f }, stored(doc), 1e-7f);
        BytesRef bytes = doc.rootDoc().getFields("field")[0].binaryValue();
        assertEquals(VectorEncoding.FLOAT32, VectorCodec.encodingOf(bytes));
        assertEquals(17, bytes.length);
    }

    public void testInt8StoresFiveBytesPlusOnePerDimension() throws Exception {
        ParsedDocument doc = mapper("int8").parse(source(b -> b.array("field", 0.1f, -0.5f, 0.3f, 0.8f)));
        BytesRef bytes = doc.rootDoc().getFields("field")[0].binaryValue();
        assertEquals(VectorEncoding.INT8, VectorCodec.encodingOf(bytes));
        assertEquals(9, bytes.length);
        float[] v = stored(doc);
        double norm = Math.sqrt(0.01 + 0.25 + 0.09 + 0.64);
        assertEquals(-0.5 / norm, v[1], 0.01);
    }

    public void testObjectFormOfTheProcessor() throws Exception {
        ParsedDocument doc = mapper(null).parse(
            source(b -> b.startObject("field").field("model", MODEL.id()).field("text_hash", "abc").array("vector", 1f, 0f, 0f, 0f).endObject())
        );
        assertArrayEquals(new float[] { 1f, 0f, 0f, 0f }, stored(doc), 0f);
    }

    public void testNullMeansNoVector() throws Exception {
        ParsedDocument doc = mapper(null).parse(source(b -> b.nullField("field")));
        assertEquals(0, doc.rootDoc().getFields("field").length);
        ParsedDocument none = mapper(null).parse(source(b -> b.field("other", 1)));
        assertEquals(0, none.rootDoc().getFields("field").length);
    }

    private void assertRefused(DocumentMapper mapper, org.opensearch.common.CheckedConsumer<org.opensearch.core.xcontent.XContentBuilder, java.io.IOException> doc, String... mentions) {
        MapperParsingException e = expectThrows(MapperParsingException.class, () -> mapper.parse(source(doc)));
        String text = e.getMessage() + " / " + (e.getCause() == null ? "" : e.getCause().getMessage());
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
        assertRefused(m, b -> b.startArray("field").value(1f).value(true).value(1f).value(1f).endArray(), "component 1", "boolean");
        assertRefused(m, b -> b.startArray("field").startArray().value(1f).endArray().endArray(), "nested array");
        assertRefused(m, b -> b.field("field", "1,2,3,4"), "not a string");
        assertRefused(m, b -> b.field("field", 7), "not a number");
        assertRefused(m, b -> b.startObject("field").field("vector", "x").endObject(), "[vector] must be an array");
        assertRefused(m, b -> b.startObject("field").field("colour", 1).endObject(), "unknown key [colour]");
        assertRefused(m, b -> b.startObject("field").field("model", MODEL.id()).endObject(), "has no [vector]");
    }

    public void testVectorFromAnotherModelIsRefused() throws Exception {
        assertRefused(
            mapper(null),
            b -> b.startObject("field").field("model", "other-model").array("vector", 1f, 0f, 0f, 0f).endObject(),
            "other-model",
            MODEL.id()
        );
    }

    public void testMappingNeedsDimsMatchingTheNodeModel() throws Exception {
        MapperParsingException missing = expectThrows(
            MapperParsingException.class,
            () -> createMapperService(fieldMapping(b -> b.field("type", "fair_rescore_vector")))
        );
        assertTrue(missing.getMessage(), missing.getMessage().contains("[field]") && missing.getMessage().contains("dims"));

        MapperParsingException wrong = expectThrows(
            MapperParsingException.class,
            () -> createMapperService(fieldMapping(b -> b.field("type", "fair_rescore_vector").field("dims", 384)))
        );
        assertTrue(wrong.getMessage(), wrong.getMessage().contains("[field]") && wrong.getMessage().contains("test-model") && wrong.getMessage().contains("384"));

        MapperParsingException range = expectThrows(
            MapperParsingException.class,
            () -> createMapperService(fieldMapping(b -> b.field("type", "fair_rescore_vector").field("dims", -1)))
        );
        assertTrue(range.getMessage(), range.getMessage().contains("dims"));

        for (Object notANumber : new Object[] { "many", 4.5, true }) {
            MapperParsingException word = expectThrows(
                MapperParsingException.class,
                () -> createMapperService(fieldMapping(b -> b.field("type", "fair_rescore_vector").field("dims", notANumber)))
            );
            assertTrue(word.getMessage(), word.getMessage().contains("field [field]") && word.getMessage().contains("[dims] must be a whole number"));
        }
        assertEquals(4, ((VectorFieldMapper.VectorFieldType) createMapperService(fieldMapping(b -> b.field("type", "fair_rescore_vector").field("dims", "4")))
            .fieldType("field")).dims());

        MapperParsingException encoding = expectThrows(
            MapperParsingException.class,
            () -> createMapperService(fieldMapping(b -> b.field("type", "fair_rescore_vector").field("dims", 4).field("encoding", "fp16")))
        );
        assertTrue(encoding.getMessage(), encoding.getMessage().contains("fp16"));
    }

    public void testDimsAndEncodingCannotChange() throws Exception {
        MapperService service = createMapperService(fieldMapping(b -> b.field("type", "fair_rescore_vector").field("dims", 4)));
        IllegalArgumentException e = expectThrows(
            IllegalArgumentException.class,
            () -> merge(service, fieldMapping(b -> b.field("type", "fair_rescore_vector").field("dims", 4).field("encoding", "int8")))
        );
        assertTrue(e.getMessage(), e.getMessage().contains("encoding"));
    }

    public void testMappingRoundTripsDimsAndEncoding() throws Exception {
        MapperService service = createMapperService(fieldMapping(b -> b.field("type", "fair_rescore_vector").field("dims", 4).field("encoding", "int8")));
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
        MapperService service = createMapperService(fieldMapping(b -> b.field("type", "fair_rescore_vector").field("dims", 4)));
        QueryShardException e = expectThrows(
            QueryShardException.class,
            () -> service.fieldType("field").termQuery(1f, createQueryShardContext(service))
        );
        assertTrue(e.getMessage(), e.getMessage().contains("not searchable"));
    }
}
