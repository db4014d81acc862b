import type { PhaseName } from '../../machines/index.ts';

// The words of the family's own view (issue 15): what a household member reads, in Dutch at B1 level
// or English, and for a child under 18 a simpler version (short sentences, everyday words; the
// client's readability test checks the child's page). Kept on the server so that a member's answer
// holds sentences, never codes: the client shows them as they are.

export type Language = 'nl' | 'en';
export type Audience = 'adult' | 'child';
type Words = Record<Language, Record<Audience, string>>;

const both = (nl: string, en: string): Record<Language, Record<Audience, string>> => ({
  nl: { adult: nl, child: nl },
  en: { adult: en, child: en },
});

export const phaseWords: Record<PhaseName, { text: Words; explanation: Words }> = {
  reported: {
    text: {
      nl: { adult: 'Er is een melding gedaan', child: 'Iemand maakt zich zorgen' },
      en: { adult: 'A report has been made', child: 'Someone is worried' },
    },
    explanation: {
      nl: {
        adult: 'Veilig Thuis heeft een melding over jullie gezin gekregen. Zij gaan kijken wat er nodig is.',
        child: 'Iemand heeft Veilig Thuis gebeld. Zij kijken of het thuis goed gaat.',
      },
      en: {
        adult: 'Veilig Thuis has received a report about your family. They will look at what is needed.',
        child: 'Someone called Veilig Thuis. They will look at how things are at home.',
      },
    },
  },
  assessment: {
    text: {
      nl: { adult: 'Veilig Thuis kijkt naar de veiligheid', child: 'Veilig Thuis kijkt mee' },
      en: { adult: 'Veilig Thuis is looking at safety', child: 'Veilig Thuis is looking' },
    },
    explanation: {
      nl: {
        adult: 'Veilig Thuis praat met jullie en met anderen. Zo zien zij of iedereen thuis veilig is.',
        child: 'Veilig Thuis praat met jullie. Ze willen weten of je thuis veilig bent.',
      },
      en: {
        adult: 'Veilig Thuis talks with you and with others, to see whether everyone at home is safe.',
        child: 'Veilig Thuis talks with you. They want to know if you are safe at home.',
      },
    },
  },
  investigation: {
    text: {
      nl: { adult: 'Veilig Thuis onderzoekt de situatie', child: 'Veilig Thuis zoekt het uit' },
      en: { adult: 'Veilig Thuis is looking into the situation', child: 'Veilig Thuis finds out more' },
    },
    explanation: {
      nl: {
        adult: 'Veilig Thuis zoekt uit wat er aan de hand is en wat jullie nodig hebben.',
        child: 'Veilig Thuis zoekt uit wat er thuis gebeurt. En wat jullie nodig hebben.',
      },
      en: {
        adult: 'Veilig Thuis finds out what is going on and what you need.',
        child: 'Veilig Thuis finds out what happens at home. And what you need.',
      },
    },
  },
  directSafety: {
    text: {
      nl: { adult: 'We werken samen aan veiligheid', child: 'Er komen afspraken' },
      en: { adult: 'We are working on safety together', child: 'There are agreements' },
    },
    explanation: {
      nl: {
        adult: 'Samen met jullie maken we afspraken, zodat het geweld stopt. Die afspraken staan in het veiligheidsplan.',
        child: 'Er zijn afspraken gemaakt. Die zorgen dat het thuis veilig wordt.',
      },
      en: {
        adult: 'Together with you we make agreements so that the violence stops. They are in the safety plan.',
        child: 'Agreements have been made. They help to make home safe.',
      },
    },
  },
  stableSafety: {
    text: {
      nl: { adult: 'Het is veiliger geworden', child: 'Het gaat beter' },
      en: { adult: 'Things have become safer', child: 'Things are better' },
    },
    explanation: {
      nl: {
        adult: 'Het geweld is gestopt. We kijken een half jaar lang of het veilig blijft.',
        child: 'Het is nu rustiger thuis. We kijken of dat zo blijft.',
      },
      en: {
        adult: 'The violence has stopped. For half a year we look at whether it stays safe.',
        child: 'It is calmer at home now. We check that it stays that way.',
      },
    },
  },
  recovery: {
    text: {
      nl: { adult: 'We werken aan herstel', child: 'Weer verder' },
      en: { adult: 'We are working on recovery', child: 'Moving on' },
    },
    explanation: {
      nl: {
        adult: 'Het is al een tijd veilig. Nu is er aandacht voor wat er gebeurd is en hoe het met iedereen gaat.',
        child: 'Het is al lang rustig. Nu is er tijd om je weer goed te voelen.',
      },
      en: {
        adult: 'It has been safe for a while. Now there is attention for what happened and how everyone is doing.',
        child: 'It has been calm for a long time. Now there is time to feel good again.',
      },
    },
  },
  closed: {
    text: {
      nl: { adult: 'De hulp is afgesloten', child: 'De hulp is klaar' },
      en: { adult: 'The help has ended', child: 'The help is done' },
    },
    explanation: {
      nl: {
        adult: 'Er is nu geen hulp meer vanuit dit plan. Gebeurt er weer iets? Bel dan Veilig Thuis: 0800-2000.',
        child: 'De hulp is klaar. Is het thuis weer niet fijn? Bel dan gratis 0800-2000.',
      },
      en: {
        adult: 'There is no more help from this plan now. If something happens again, call Veilig Thuis: 0800-2000.',
        child: 'The help is done. Is home not nice again? Call 0800-2000 for free.',
      },
    },
  },
};

export const directorRole: Words = {
  nl: { adult: 'casusregisseur', child: 'je hulpverlener' },
  en: { adult: 'case director', child: 'your helper' },
};
export const veiligThuisRole: Words = both('Veilig Thuis', 'Veilig Thuis');

export const conditionWords: Record<'open' | 'met' | 'notMet', Words> = {
  open: {
    nl: { adult: 'Hier wordt nog aan gewerkt', child: 'Daar werken we aan' },
    en: { adult: 'Still being worked on', child: 'We are working on it' },
  },
  met: {
    nl: { adult: 'Dit gaat goed', child: 'Dat gaat goed' },
    en: { adult: 'This is going well', child: 'That goes well' },
  },
  notMet: {
    nl: { adult: 'Dit lukt nog niet', child: 'Dat lukt nog niet' },
    en: { adult: 'This is not working yet', child: 'That does not work yet' },
  },
};

export const dateWords = {
  conditionDue: {
    nl: { adult: 'Uiterlijk dan: {what}', child: 'Voor deze dag: {what}' },
    en: { adult: 'By then: {what}', child: 'Before this day: {what}' },
  },
  nextConference: {
    nl: { adult: 'Volgend overleg over jullie gezin', child: 'Er is weer een gesprek over jullie gezin' },
    en: { adult: 'Next meeting about your family', child: 'There is another talk about your family' },
  },
  stableSafetyFrom: {
    nl: { adult: 'Vanaf deze dag kan worden bekeken of het veilig genoeg blijft', child: 'Vanaf deze dag kijken we of het rustig blijft' },
    en: { adult: 'From this day it can be checked whether things stay safe enough', child: 'From this day we check if it stays calm' },
  },
} satisfies Record<string, Words>;

// ------------------------------------------------------------------ who read our file

export const roleWords: Record<string, Record<Language, string>> = {
  vt: { nl: 'medewerker van Veilig Thuis', en: 'Veilig Thuis worker' },
  director: { nl: 'casusregisseur', en: 'case director' },
  auditor: { nl: 'controleur (auditor)', en: 'auditor' },
  admin: { nl: 'beheerder', en: 'administrator' },
  member: { nl: 'gezinslid', en: 'family member' },
};
export const nobodyWords = {
  role: { nl: 'niet ingelogd', en: 'not signed in' },
  name: { nl: 'onbekend', en: 'unknown' },
  shieldedMember: { nl: 'een gezinslid', en: 'a family member' },
} satisfies Record<string, Record<Language, string>>;

/** Each action of the access log: what was done (past tense), and what was tried (infinitive). */
export const actionWords: Record<string, Record<Language, { done: string; tried: string }>> = {
  read: {
    nl: { done: 'bekeek het dossier', tried: 'het dossier te bekijken' },
    en: { done: 'looked at the file', tried: 'look at the file' },
  },
  list: {
    nl: { done: 'zag jullie gezin in een lijst', tried: 'een lijst met gezinnen te bekijken' },
    en: { done: 'saw your family in a list', tried: 'look at a list of families' },
  },
  write: {
    nl: { done: 'legde iets vast in het dossier', tried: 'iets vast te leggen in het dossier' },
    en: { done: 'recorded something in the file', tried: 'record something in the file' },
  },
  create: {
    nl: { done: 'legde de melding vast', tried: 'een melding vast te leggen' },
    en: { done: 'recorded the report', tried: 'record a report' },
  },
  history: {
    nl: { done: 'las de geschiedenis van het dossier', tried: 'de geschiedenis van het dossier te lezen' },
    en: { done: 'read the history of the file', tried: 'read the history of the file' },
  },
  replay: {
    nl: { done: 'liep de geschiedenis stap voor stap na', tried: 'de geschiedenis stap voor stap na te lopen' },
    en: { done: 'went through the history step by step', tried: 'go through the history step by step' },
  },
  verify: {
    nl: { done: 'controleerde of het dossier niet veranderd is', tried: 'het dossier te controleren' },
    en: { done: 'checked that the file was not changed', tried: 'check the file' },
  },
  export: {
    nl: { done: 'maakte een kopie van het dossier', tried: 'een kopie van het dossier te maken' },
    en: { done: 'made a copy of the file', tried: 'make a copy of the file' },
  },
  monitoring: {
    nl: { done: 'zag jullie gezin in de lijst van Veilig Thuis', tried: 'de lijst van Veilig Thuis te bekijken' },
    en: { done: 'saw your family in the Veilig Thuis list', tried: 'look at the Veilig Thuis list' },
  },
  'access-log': {
    nl: { done: 'bekeek wie het dossier las', tried: 'te bekijken wie het dossier las' },
    en: { done: 'looked at who read the file', tried: 'look at who read the file' },
  },
};

const triedWords = {
  refused: { nl: 'probeerde {what}, maar dat mocht niet', en: 'tried to {what}, but was not allowed' },
  error: { nl: 'probeerde {what}, maar dat lukte niet', en: 'tried to {what}, but it failed' },
};
const otherAction = { nl: { done: 'deed iets met het dossier', tried: 'iets met het dossier te doen' }, en: { done: 'did something with the file', tried: 'do something with the file' } };

/** An access-log row's action and result in words. */
export function actionText(action: string, result: string, lang: Language): string {
  const words = (actionWords[action] ?? otherAction)[lang];
  if (result === 'ok') return words.done;
  return triedWords[result === 'error' ? 'error' : 'refused'][lang].replace('{what}', words.tried);
}

/** A role code (or several, comma-separated) in words. */
export function roleText(role: string | null, lang: Language): string {
  if (!role) return nobodyWords.role[lang];
  const names = role.split(',').map((r) => roleWords[r]?.[lang] ?? r);
  return names.join(lang === 'nl' ? ' en ' : ' and ');
}
