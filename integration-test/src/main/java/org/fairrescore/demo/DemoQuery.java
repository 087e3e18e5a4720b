package org.fairrescore.demo;

import java.util.List;
import java.util.Map;

/**
 * A demo query with graded relevance judgments for every product of a catalog.
 *
 * @param text   what a user types
 * @param intent the product group the query is about
 * @param grades product id to relevance, for every product that is not {@link Relevance#IRRELEVANT}
 */
public record DemoQuery(String text, String intent, Map<String, Relevance> grades) {
    public DemoQuery {
        grades = Map.copyOf(grades);
    }

    /** The relevance of a product; products without a judgment are irrelevant. */
    public Relevance grade(String productId) {
        return grades.getOrDefault(productId, Relevance.IRRELEVANT);
    }

    /** Ids of the products with the given grade, sorted. */
    public List<String> idsWith(Relevance relevance) {
        return grades.entrySet().stream().filter(e -> e.getValue() == relevance).map(Map.Entry::getKey).sorted().toList();
    }
}
