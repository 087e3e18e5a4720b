package org.fairrescore.fairness;

/**
 * Prefix minimums per group as a {@link RuleCheck}: {@link FairTopK} (one group, the protected hits) and
 * {@link GroupFairTopK} (several). {@code minimums[g][i]} hits of group {@code g} must be in the top {@code i + 1}.
 *
 * <p>The look-ahead is <b>exact</b> for the minimums alone: the outstanding need is a set of unit jobs, the {@code t}-th
 * hit of group {@code g} due by the first prefix whose minimum reaches {@code t}; the remaining positions can meet every
 * minimum iff each group has enough hits left and, taking the jobs in order of their due prefix (earliest deadline
 * first), the {@code k}-th outstanding job is due no earlier than the prefix it would fill, {@code placed + k}. So with
 * the <em>slack</em> of a job, its due prefix minus its rank among the outstanding jobs, a hit that completes no job
 * may take the next position {@code p} iff every slack is at least {@code p + 1}, and a hit of a group with outstanding
 * jobs completes that group's earliest job: the jobs before it keep their rank, those after move up one, so it may iff
 * the slacks before it are at least {@code p + 1} and those after at least {@code p}.
 *
 * <p>Per state the slacks are scanned in deadline order from the first outstanding job, and the scan stops as soon as
 * no later job can have a slack below {@code p + 1}: a later job's slack is at least its slack with no job done
 * (precomputed suffix minimum) plus the jobs done before it. Since an m-table's due prefixes grow faster than the job
 * count, that is a few jobs past the frontier.
 */
final class MinimumsCheck extends RuleCheck {

    private final int groups;
    private final int[] groupOf;
    private final int[][] minimums;
    private final int[] need; // last minimum per group
    private final int[] count;
    private final int[] left;
    private final int[] jobGroup; // all jobs, by due prefix
    private final int[] jobDue;
    private final int[] jobOrdinal;
    private final int[][] jobOf; // per group, the index of its t-th job
    private final int[] staticSuffixMin; // min over jobs j' >= j of due - (j' + 1): slack with no job done
    private final int[] slack; // scratch
    private final int[] firstJob; // scratch: scan index of each group's first outstanding job, or -1
    private final int[] before; // scratch: min slack before it
    private boolean dirty = true;
    private boolean allowOther;
    private final boolean[] allowGroup;

    /**
     * @param groupOf  group of each label, or -1
     * @param minimums per group, the minimum in each prefix of the window
     */
    MinimumsCheck(QuotaPolicy rule, RuleModel model, int[] groupOf, int[][] minimums) {
        super(rule);
        final int n = model.n;
        this.groups = minimums.length;
        this.groupOf = groupOf;
        this.minimums = minimums;
        this.need = new int[groups];
        this.count = new int[groups];
        this.left = new int[groups];
        for (int label = 0; label < model.labels; label++) {
            if (groupOf[label] >= 0 && groupOf[label] < groups) {
                left[groupOf[label]] += model.labelSize[label];
            }
        }
        int jobs = 0;
        for (int g = 0; g < groups; g++) {
            need[g] = n == 0 ? 0 : minimums[g][n - 1];
            jobs += need[g];
        }
        long[] keys = new long[jobs];
        int j = 0;
        for (int g = 0; g < groups; g++) {
            int t = 0;
            for (int i = 0; i < n; i++) {
                while (t < minimums[g][i]) {
                    // job t (0-based) of group g is due by prefix i + 1
                    keys[j++] = ((long) (i + 1) << 40) | ((long) g << 20) | t;
                    t++;
                }
            }
        }
        java.util.Arrays.sort(keys);
        this.jobGroup = new int[jobs];
        this.jobDue = new int[jobs];
        this.jobOrdinal = new int[jobs];
        this.jobOf = new int[groups][];
        for (int g = 0; g < groups; g++) {
            jobOf[g] = new int[need[g]];
        }
        for (j = 0; j < jobs; j++) {
            jobDue[j] = (int) (keys[j] >>> 40);
            jobGroup[j] = (int) ((keys[j] >>> 20) & 0xfffff);
            jobOrdinal[j] = (int) (keys[j] & 0xfffff);
            jobOf[jobGroup[j]][jobOrdinal[j]] = j;
        }
        this.staticSuffixMin = new int[jobs + 1];
        staticSuffixMin[jobs] = Integer.MAX_VALUE / 2;
        for (j = jobs - 1; j >= 0; j--) {
            staticSuffixMin[j] = Math.min(staticSuffixMin[j + 1], jobDue[j] - (j + 1));
        }
        this.slack = new int[jobs];
        this.firstJob = new int[groups];
        this.before = new int[groups];
        this.allowGroup = new boolean[groups];
    }

    private int group(int label) {
        int g = groupOf[label];
        return g < groups ? g : -1;
    }

    @Override
    boolean holds(int label, int p) {
        int g = group(label);
        for (int h = 0; h < groups; h++) {
            if (count[h] + (h == g ? 1 : 0) < minimums[h][p]) {
                return false;
            }
        }
        return true;
    }

    @Override
    boolean allows(int label, int p) {
        if (dirty) {
            compute(p);
        }
        int g = group(label);
        return g < 0 || count[g] >= need[g] ? allowOther : allowGroup[g];
    }

    @Override
    int urgency(int label) {
        int g = group(label);
        return g >= 0 && count[g] < need[g] ? 1 : 0;
    }

    @Override
    void place(int label, int p) {
        int g = group(label);
        if (g >= 0) {
            count[g]++;
            left[g]--;
        }
        dirty = true;
    }

    @Override
    void undo(int label, int p) {
        int g = group(label);
        if (g >= 0) {
            count[g]--;
            left[g]++;
        }
        dirty = true;
    }

    /** The tests for the next position {@code p}: see the class comment. */
    private void compute(int p) {
        dirty = false;
        int start = Integer.MAX_VALUE;
        for (int g = 0; g < groups; g++) {
            firstJob[g] = -1;
            if (need[g] - count[g] > left[g]) {
                allowOther = false; // too few hits of g left: no completion meets the minimums
                java.util.Arrays.fill(allowGroup, false);
                return;
            }
            if (count[g] < need[g]) {
                start = Math.min(start, jobOf[g][count[g]]);
            }
        }
        int k = 0; // rank of the current job among the outstanding ones
        int scanned = 0;
        int runMin = Integer.MAX_VALUE;
        for (int j = start; j < jobDue.length; j++) {
            int g = jobGroup[j];
            if (jobOrdinal[j] < count[g]) {
                continue; // done
            }
            k++;
            int s = jobDue[j] - k;
            if (firstJob[g] < 0) {
                firstJob[g] = scanned;
                before[g] = runMin;
            }
            slack[scanned++] = s;
            runMin = Math.min(runMin, s);
            // a later job j' has slack >= its slack with nothing done plus the j + 1 - k jobs done before it
            if (staticSuffixMin[j + 1] + (j + 1 - k) >= p + 1) {
                break;
            }
        }
        allowOther = runMin >= p + 1;
        for (int g = 0; g < groups; g++) {
            if (firstJob[g] < 0) {
                allowGroup[g] = allowOther; // no outstanding job, or its first is past the scan: nothing binds there
                continue;
            }
            boolean ok = before[g] >= p + 1;
            for (int i = firstJob[g] + 1; ok && i < scanned; i++) {
                ok = slack[i] >= p;
            }
            allowGroup[g] = ok;
        }
    }
}
