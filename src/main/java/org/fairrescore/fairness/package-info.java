/**
 * Quotas, fairness rules and diversity for one rescore window, in pure Java (no OpenSearch types). The same code runs
 * per shard in the rescorer and over the merged hits in the search pipeline.
 *
 * <h2>Wiring</h2>
 * <pre>{@code
 * QuotaPolicy policy = Rules.of(List.of(                       // one rule: that rule; several: Rules
 *         new ShopCap(2, 10),                                   // cap: <= 2 of a shop in any 10 positions
 *         new ExposureShare(0.3, 10),                           // share: <= 30 % of exposure per shop
 *         new FairTopK(0.3, 0.1),                               // fair_topk: one protected value
 *         new GroupFairTopK(List.of("tail", "mid"), new double[] {0.3, 0.2}, 0.1)));
 * WindowHits hits = WindowHits.of(blends)                        // blends in [0, 1], any order
 *         .withShops(shopKeywords)                              // cap, share (null value: a shop of its own)
 *         .withProtected(protectedKeywords, "tail")             // fair_topk
 *         .withGroups(tierKeywords, List.of("tail", "mid"))     // group_fair_topk (its groups, in order)
 *         .withVectors(unitVectors);                            // diversity (null entry: no vector)
 * Placement placement = reorderer.place(hits, policy, new Diversity(0.7, 0.95));
 * Reordering r = placement.reordering();                        // order, rankByScore, violates, quotaMet, trace
 * float[] scores = placement.scores();                          // 1 + blend, strictly decreasing, in the new order
 * }</pre>
 * Every constructor validates its ranges and throws {@link java.lang.IllegalArgumentException} with a message naming
 * the parameter ({@code max_per_shop}, {@code cap_window}, {@code max_share}, {@code share_min_prefix},
 * {@code protected_share}, {@code alpha}, the proportion of a named group, {@code lambda},
 * {@code duplicate_threshold}, {@code depth}, two rules of one kind): map it to a 400.
 *
 * <h2>The model</h2>
 * <ul>
 *   <li><b>Rules</b> ({@link org.fairrescore.fairness.QuotaPolicy}): {@link org.fairrescore.fairness.ShopCap},
 *       {@link org.fairrescore.fairness.ExposureShare}, {@link org.fairrescore.fairness.FairTopK} (one protected
 *       group, {@link org.fairrescore.fairness.MTable}) and {@link org.fairrescore.fairness.GroupFairTopK} (several
 *       protected groups of one field, {@link org.fairrescore.fairness.MultinomialMTable}). Each is a property of
 *       every prefix (minimums, share) or every run of positions (cap) of the window.</li>
 *   <li><b>Priority</b> ({@link org.fairrescore.fairness.Rules}): {@code fair_topk > group_fair_topk > cap > share},
 *       whatever order they are configured in; diversity ranks below every rule. When the rules cannot all hold, a rule
 *       is kept whenever it can hold together with the kept rules above it; the others give way.</li>
 *   <li><b>Diversity</b> ({@link org.fairrescore.fairness.Diversity}): MMR ({@code lambda * blend - (1 - lambda) *
 *       max cosine to the hits placed above}) and near duplicates (cosine to a hit placed above at least the threshold:
 *       set aside below the other hits), only ever choosing among the hits the rules allow.</li>
 * </ul>
 *
 * <h2>Placement</h2>
 * One rule without diversity keeps its own reorderer ({@link org.fairrescore.fairness.CapReorderer},
 * {@link org.fairrescore.fairness.ShareReorderer}, {@link org.fairrescore.fairness.FairTopKReorderer}): the results of
 * {@code cap}, {@code share} and {@code fair_topk} alone are what they always were. Everything else goes through one
 * procedure ({@code CompositePlacer}): positions filled top down, each with the most preferred hit (best blend, or best
 * MMR value, near duplicates last) that keeps every kept rule satisfiable for the rest of the window. A hit is only
 * accepted with a completion of the window in hand: the rules' own exact look-aheads (the minimums'
 * earliest-deadline-first test, the cap's "the biggest shop still fits" test), then a score-first or feasibility-first
 * completion, then a depth-first search within a work budget ({@code Completion}). Consequences, per
 * {@link org.fairrescore.fairness.QuotaReorderer#apply(WindowHits, QuotaPolicy, Diversity)}:
 * <ul>
 *   <li>kept rules hold at every position; when some ordering of the window meets all the rules, all hold: always on
 *       windows of at most 8 hits, where the search is exhaustive (tested against brute force); on larger windows
 *       whenever the completions or the budgeted search find such an ordering (a rule the budget could not prove is
 *       treated as one that cannot hold: it gives way, flagged);</li>
 *   <li>without diversity and with every rule holding, a DCG branch-and-bound may replace the greedy result by a
 *       strictly better DCG that meets every rule too (exhaustive up to 8 hits, a bounded improvement step above);</li>
 *   <li>the {@link org.fairrescore.fairness.Trace} says, per position, the rule that moved the hit up (or diversity, or
 *       the rules together), the hit it nearly duplicates, and the rules that gave way there;
 *       {@link org.fairrescore.fairness.Trace#displacedAt} finds the decision that moved a hit down.</li>
 * </ul>
 *
 * <h2>Cost</h2>
 * Building the model is linear in the window. The placement is one greedy pass when the greedy meets the rules (the
 * usual case); otherwise each position may run a completion ({@code O(n)}), within a budget of
 * {@code 20,000 + 200 n} steps per window, after which the last proven plan is followed. MMR costs about one dot
 * product per pair of hits within its {@link org.fairrescore.fairness.Diversity#depth()}: give it the page (or a few)
 * rather than a 500-hit window. The multinomial m-table is computed once per (window length, proportions, alpha) and
 * cached ({@link org.fairrescore.fairness.MTableCache}); for 500 hits and two groups that first computation takes about
 * a second, for 100 hits about a tenth.
 */
package org.fairrescore.fairness;
