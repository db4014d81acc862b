/**
 * The words of made-up families: report summaries, forms of violence, safety conditions and a
 * safety plan made from the open conditions. Shared by the demo seed and the simulated national
 * world (simulation/national.ts), so that both read like real files and neither repeats the other.
 */
import type { FamilyContext } from '../../machines/index.ts';

export const summaries = [
  'Politie meldt een escalerende ruzie tussen de ouders; kinderen waren thuis.',
  'School maakt zich zorgen over blauwe plekken en schoolverzuim van een kind.',
  'Huisarts meldt signalen van huiselijk geweld na een consult.',
  'Buren melden herhaaldelijk geschreeuw en harde klappen in de woning.',
  'Wijkverpleging meldt zorgen over de verzorging van een oudere bewoner.',
  'Anonieme melding over een kind dat vaak alleen thuis is.',
  'Kinderopvang meldt dat een kind angstig reageert bij het ophalen.',
  'Politie meldt een incident na een conflict over de omgang met de kinderen.',
];

export const violenceForms = [
  'partnergeweld',
  'kindermishandeling',
  'getuige van partnergeweld',
  'verwaarlozing',
  'ouderenmishandeling',
  'eergerelateerd geweld',
  'ex-partnergeweld',
];

export const conditionTexts = [
  'Geen fysiek geweld in het gezin',
  'De kinderen zijn niet aanwezig bij conflicten tussen de ouders',
  'De ouders nemen deel aan de ingezette hulpverlening',
  'Wekelijks contact met het lokale team',
  'De kinderen gaan dagelijks naar school of opvang',
  'Ouder B houdt zich aan de afspraken over contact',
  'Het alcoholgebruik wordt behandeld',
  'Er is een vast steunfiguur voor de kinderen',
];

/** A plan (or its revision) with one agreement per open condition, the adults and a professional. */
export function planPayload(ctx: FamilyContext, revision: boolean) {
  const open = ctx.conditions.filter((c) => c.status === 'open');
  const adults = ctx.members.filter((m) => m.kind === 'adult');
  const agreements = open.map((c, i) => ({
    description: revision ? `Aangescherpte afspraak bij: ${c.description}` : `Afspraak bij: ${c.description}`,
    responsible: i % 2 === 0 ? 'Ouder A' : 'Lokaal team',
    coversConditionIds: [c.id],
  }));
  return {
    agreements: agreements.length > 0 ? agreements : [{ description: 'Wekelijks contact met het lokale team', responsible: 'Lokaal team', coversConditionIds: [] }],
    participants: [...adults.map((m) => ({ memberId: m.id })), { professional: 'Lokaal team' }],
    childPerspectives: ctx.members
      .filter((m) => m.kind === 'child')
      .map((m) => ({ memberId: m.id, perspective: `${m.alias} wil dat het thuis rustig blijft en weet bij wie hij of zij terecht kan.` })),
  };
}
