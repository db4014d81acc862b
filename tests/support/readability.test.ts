import { describe, expect, it } from 'vitest';
import { hardWordsIn, readability, sentencesOf, wordsOf } from './readability.ts';

describe('readability measures', () => {
  it('counts dates, numbers and hyphenated words as one word each', () => {
    expect(wordsOf('Op 12-06-2025 om 09:30 praat oma’s buur-vrouw mee.')).toEqual([
      'Op',
      '12-06-2025',
      'om',
      '09:30',
      'praat',
      'oma’s',
      'buur-vrouw',
      'mee',
    ]);
  });

  it('ends a sentence at . ! ? and at every line break, and skips lines without words', () => {
    expect(sentencesOf('Wij maken een plan. Doe je mee?\nOns plan\n–\nKlaar!')).toEqual([
      'Wij maken een plan.',
      'Doe je mee?',
      'Ons plan',
      'Klaar!',
    ]);
  });

  it('averages words per sentence and names the longest sentence', () => {
    const r = readability('Wij maken een plan.\nDit plan is van ons allemaal samen.');
    expect(r).toEqual({ sentences: 2, words: 11, averageSentenceLength: 5.5, longest: 'Dit plan is van ons allemaal samen.' });
    expect(readability('')).toEqual({ sentences: 0, words: 0, averageSentenceLength: 0, longest: '' });
  });

  it('finds a hard word alone, inside a Dutch compound, in the plural and as a phrase', () => {
    const hard = ['voorwaarde', 'regisseur', 'case director', 'OTS'];
    expect(hardWordsIn('De Regisseur kijkt naar de veiligheidsvoorwaarden.', hard)).toEqual(['regisseur', 'veiligheidsvoorwaarden']);
    expect(hardWordsIn('Your case director helps.', hard)).toEqual(['case director']);
    expect(hardWordsIn('Er is een OTS.', hard)).toEqual(['ots']);
    // A short entry is matched as a whole word only: "ots" is not found in "rotsen".
    expect(hardWordsIn('Wij klimmen op de rotsen. Wij praten samen.', hard)).toEqual([]);
  });
});
