/**
 * Version of the facts extractor's output, stored beside every facts row.
 *
 * Bump it whenever a change in `src/facts/` changes what `extractFacts` returns for
 * the same commit (a new field, a fixed rule, a different classification). Rows
 * written under an older version then count as unknown: `knownCommits` leaves them
 * out and `getCommit` returns undefined, so the pipeline reads those commits again
 * and `saveCommit` replaces their facts (and drops analyses made from the old facts).
 */
export const FACTS_VERSION = 11;
