/**
 * A keyword matched against text the gateway holds itself (live events in the caches) the way a
 * store's `match_phrase` matches it on a text field: both lowercased and cut into words at
 * anything but letters and digits, and the keyword's words must appear in order, adjacent.
 * Close to Elasticsearch's standard analyser, not identical (it keeps some punctuation inside
 * numbers and words): a keyword with such punctuation may match in one place and not the other.
 */
const WORD = /[\p{L}\p{N}]+/gu;

export function words(text: string): string[] {
  return text.toLowerCase().match(WORD) ?? [];
}

export function containsPhrase(text: string, keyword: string): boolean {
  const wanted = words(keyword);
  if (wanted.length === 0) return true;
  const have = words(text);
  outer: for (let i = 0; i + wanted.length <= have.length; i++) {
    for (let j = 0; j < wanted.length; j++) if (have[i + j] !== wanted[j]) continue outer;
    return true;
  }
  return false;
}
