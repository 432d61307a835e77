/* Is a word a slip of the keyboard for another (a heading, a front-matter
 * key)? Edit distance in characters, for "did you mean" messages. */
#ifndef POLICYGEN_TYPO_H
#define POLICYGEN_TYPO_H

/* How far word is from want (edit distance in characters; with prefix,
 * only word's first characters, as many as want has), or -1 when too far
 * to be a typo of it (more than a third of want). */
long typo_distance(const char *word, const char *want, int prefix);

#endif
