package org.fairrescore.rescore;

import org.fairrescore.settings.FairRescoreSettings;
import org.fairrescore.vectors.VectorFieldMapper;
import org.opensearch.index.mapper.MappedFieldType;
import org.opensearch.index.query.QueryShardContext;

import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What a shard checks of a clause against its index's mapping before it rescores: the fields whose text is embedded
 * and the vector field. Each mistake is a 400 that names the setting or clause field it came from and the index.
 */
final class FieldChecks {

    /** Field types whose values are text that can be embedded. */
    static final Set<String> TEXT_TYPES =
            Set.of("text", "keyword", "match_only_text", "search_as_you_type", "wildcard", "constant_keyword");

    private FieldChecks() {}

    /**
     * Every field is mapped in the shard's index as a text type.
     *
     * @param source where the field names came from (the clause's {@code fields} or {@code index.fair_rescore.text_fields})
     */
    static void textFields(QueryShardContext context, List<String> fields, String source) {
        String index = context.index().getName();
        for (String field : fields) {
            MappedFieldType type = context.fieldMapper(field);
            if (type == null) {
                throw new IllegalArgumentException(String.format(
                        Locale.ROOT,
                        "[%s] text field [%s] is not mapped in index [%s]; name mapped text fields in [%s] or [%s]",
                        FairSemanticRescorerBuilder.NAME,
                        field,
                        index,
                        FairSemanticRescorerBuilder.FIELDS.getPreferredName(),
                        FairRescoreSettings.TEXT_FIELDS.getKey()));
            }
            if (TEXT_TYPES.contains(type.typeName()) == false) {
                throw new IllegalArgumentException(String.format(
                        Locale.ROOT,
                        "[%s] [%s] names [%s], a [%s] field in index [%s]; the text embedded for documents must come from fields of type %s",
                        FairSemanticRescorerBuilder.NAME,
                        source,
                        field,
                        type.typeName(),
                        index,
                        new java.util.TreeSet<>(TEXT_TYPES)));
            }
        }
    }

    /** The index's {@code fair_rescore_vector} field from {@code index.fair_rescore.vector_field}, checked; null if unset. */
    static VectorFieldMapper.VectorFieldType vectorField(QueryShardContext context) {
        String field =
                FairRescoreSettings.VECTOR_FIELD.get(context.getIndexSettings().getSettings());
        if (field.isEmpty()) {
            return null;
        }
        String index = context.index().getName();
        MappedFieldType type = context.fieldMapper(field);
        String setting = FairRescoreSettings.VECTOR_FIELD.getKey();
        if (type == null) {
            throw new IllegalArgumentException(String.format(
                    Locale.ROOT,
                    "[%s] names [%s], which is not mapped in index [%s]; map it as a [%s] field or clear the setting",
                    setting,
                    field,
                    index,
                    VectorFieldMapper.CONTENT_TYPE));
        }
        if (type instanceof VectorFieldMapper.VectorFieldType vectors) {
            return vectors;
        }
        throw new IllegalArgumentException(String.format(
                Locale.ROOT,
                "[%s] names [%s], a [%s] field in index [%s]; it must be a [%s] field",
                setting,
                field,
                type.typeName(),
                index,
                VectorFieldMapper.CONTENT_TYPE));
    }
}
