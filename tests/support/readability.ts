// Plain-language checks for text a family reads (issue 15: "Ons veiligheidsplan"). Two measures, both
// from Dutch easy-reading guidance, both simple enough to explain to a reviewer:
//
// - Average sentence length in words. Stichting Makkelijk Lezen's criteria for easy texts ("Criteria
//   voor eenvoudig schrijven", as published by GGD Gelderland-Zuid and the Taalunie's Taalunieversum):
//   on average fewer than 12 words a sentence. Plain-language (B1) writing guides use an average of
//   about 10 (e.g. HvdS "Schrijven op B1-niveau", tip 1), and municipal A2 guidance (Dijk en Waard,
//   "Taalniveau A2") asks at most 10, preferably fewer — the level we hold a child's page to.
// - Hard words: the same criteria name jargon ("vaktaalwoorden"), written-language words
//   ("schrijftaalwoorden": aangezien, verschaffen), rare words and abbreviations as hard. A list of this
//   domain's jargon and officialese (each with why) is kept beside the test that uses it; a word is hard
//   when a listed word is a whole word of the text or the start or end of a compound ("voorwaarden",
//   "veiligheidsvoorwaarde").
//
// A "sentence" is what a reader takes in as one: text up to . ! ? or a line break (a heading, a list
// item, a table cell each stand alone). Numbers and dates count as words: "12-06-2025" is one.

/** The sentences of `text`: split at . ! ? followed by a space or the end, and at every line break. */
export function sentencesOf(text: string): string[] {
  return text
    .split(/\n+/)
    .flatMap((line) => line.split(/(?<=[.!?])\s+/))
    .map((s) => s.trim())
    .filter((s) => wordsOf(s).length > 0);
}

/** The words of `text`: runs of letters or digits, with inner hyphens, apostrophes and date dashes. */
export function wordsOf(text: string): string[] {
  return text.match(/[\p{L}\p{N}]+(?:[-'’/.:][\p{L}\p{N}]+)*/gu) ?? [];
}

export type Readability = {
  sentences: number;
  words: number;
  /** Words per sentence, on average (0 for no text). */
  averageSentenceLength: number;
  /** The longest sentence, to name in a failure. */
  longest: string;
};

export function readability(text: string): Readability {
  const sentences = sentencesOf(text);
  const counts = sentences.map((s) => wordsOf(s).length);
  const words = counts.reduce((a, b) => a + b, 0);
  const longestAt = counts.indexOf(Math.max(0, ...counts));
  return {
    sentences: sentences.length,
    words,
    averageSentenceLength: sentences.length === 0 ? 0 : words / sentences.length,
    longest: sentences[longestAt] ?? '',
  };
}

/**
 * The words of `text` that are, begin with or end with a word of `hard` (case-insensitive), each once:
 * Dutch glues words into compounds, so "voorwaarde" is found in "veiligheidsvoorwaarden" too. A
 * multi-word entry ("case director") is found as a phrase.
 */
export function hardWordsIn(text: string, hard: readonly string[]): string[] {
  const words = wordsOf(text.toLowerCase());
  const lower = text.toLowerCase().replace(/\s+/g, ' ');
  const found = new Set<string>();
  for (const entry of hard.map((h) => h.toLowerCase())) {
    if (entry.includes(' ')) {
      if (
        new RegExp(`(^|[^\\p{L}])${entry.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}($|[^\\p{L}])`, 'u').test(
          lower,
        )
      )
        found.add(entry);
      continue;
    }
    for (const w of words) if (w === entry || compoundHas(w, entry)) found.add(w);
  }
  return [...found].sort();
}

/** `word` is a compound beginning with `part`, or ending in it or its plural (-n, -en, -s). */
function compoundHas(word: string, part: string): boolean {
  if (part.length < 5) return false;
  return word.startsWith(part) || ['', 'n', 'en', 's'].some((plural) => word.endsWith(part + plural));
}
